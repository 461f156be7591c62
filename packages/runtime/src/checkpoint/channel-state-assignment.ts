/**
 * Which in-flight data of an unaligned checkpoint each restored subtask replays, at the same or a
 * different parallelism. The contract (replay as first input, one virtual channel per old channel,
 * re-routed by the edge's partitioning) is written where the types are, in `channel-state.ts`.
 *
 * Invariant: every in-flight record is replayed by exactly one new subtask of its edge's target —
 * by key group for keyed edges, by old receiver for the others (broadcast: one copy per new
 * subtask, as a broadcast sends). In-flight data maps to the new job by edge id, so it restores
 * into the same job graph only; an entry for an edge the job does not have is an error.
 * @module
 */

import type { KeyValue } from "@weir/api";
import { decodeBatch, encodeBatch } from "../codec/batch-codec.ts";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import type { BatchWatermark } from "../exchange/batch.ts";
import { parseChannel } from "../exchange/channel-id.ts";
import type { InFlightBatch, ReplayedEdge } from "../exchange/channel-state.ts";
import type { JobEdge, JobGraph } from "../graph/job-graph.ts";
import { keyGroupForKey, keyGroupRangeForOperator, validateKey } from "../keys/key-hash.ts";

interface OldChannel {
  readonly sender: number;
  readonly receiver: number;
  readonly input: InFlightBatch[];
  readonly output: InFlightBatch[];
}

/** Old channels by edge id, each with its input-side then output-side batches. */
function channelsByEdge(checkpoint: CompletedCheckpoint): Map<number, Map<number, OldChannel>> {
  const byEdge = new Map<number, Map<number, OldChannel>>();
  for (const state of checkpoint.channelState?.values() ?? []) {
    for (const entry of state.entries) {
      const { edge, sender, receiver } = parseChannel(entry.channel);
      const channels = byEdge.get(edge) ?? new Map<number, OldChannel>();
      byEdge.set(edge, channels);
      let channel = channels.get(entry.channel);
      if (channel === undefined) {
        channel = { sender, receiver, input: [], output: [] };
        channels.set(entry.channel, channel);
      }
      for (const batch of entry.batches) channel[entry.side].push(batch);
    }
  }
  return byEdge;
}

/** Whether the checkpoint holds any in-flight record. */
export function hasInFlightData(checkpoint: CompletedCheckpoint): boolean {
  for (const state of checkpoint.channelState?.values() ?? [])
    for (const entry of state.entries) if (entry.batches.length > 0) return true;
  return false;
}

/**
 * Throws when the checkpoint's in-flight data cannot go into `graph`: an edge it names is missing
 * or now connects other operators' vertices than the one the data was recorded on.
 */
export function checkChannelState(checkpoint: CompletedCheckpoint, graph: JobGraph): void {
  for (const [task, state] of checkpoint.channelState ?? []) {
    const vertex = Number(task.slice(0, task.indexOf("/")));
    for (const entry of state.entries) {
      if (entry.batches.length === 0) continue;
      const { edge: edgeId } = parseChannel(entry.channel);
      const edge = graph.edges[edgeId];
      const end =
        edge === undefined ? undefined : entry.side === "input" ? edge.targetVertex : edge.sourceVertex;
      if (end !== vertex) {
        throw new Error(
          `checkpoint ${checkpoint.checkpointId} holds in-flight data of task ${task} for edge ${edgeId}, which this job ` +
            "does not have there: in-flight data of an unaligned checkpoint restores only into the same job graph",
        );
      }
    }
  }
}

/** The in-flight data slot `slot` replays, by vertex (the slot runs subtask `slot` of each). */
export function assignChannelState(
  checkpoint: CompletedCheckpoint,
  graph: JobGraph,
  slot: number,
): [number, ReplayedEdge[]][] {
  if (!hasInFlightData(checkpoint)) return [];
  checkChannelState(checkpoint, graph);
  const byEdge = channelsByEdge(checkpoint);
  const assigned: [number, ReplayedEdge[]][] = [];
  for (const vertex of graph.vertices) {
    if (slot >= vertex.parallelism) continue;
    const edges: ReplayedEdge[] = [];
    for (const edgeId of vertex.inputEdges) {
      const old = byEdge.get(edgeId);
      if (old === undefined) continue;
      const edge = graph.edges[edgeId]!;
      const channels = channelsFor(edge, [...old.values()], vertex.parallelism, vertex.maxParallelism, slot);
      if (channels.some((batches) => batches.length > 0))
        edges.push({ edge: edgeId, input: edge.targetInput, channels });
    }
    if (edges.length > 0) assigned.push([vertex.id, edges]);
  }
  return assigned;
}

/** The virtual channels new subtask `slot` of `parallelism` replays for `edge`. */
function channelsFor(
  edge: JobEdge,
  old: OldChannel[],
  parallelism: number,
  maxParallelism: number,
  slot: number,
): InFlightBatch[][] {
  old.sort((a, b) => a.sender - b.sender || a.receiver - b.receiver);
  const batchesOf = (c: OldChannel) => [...c.input, ...c.output];
  switch (edge.partitioning) {
    case "hash": {
      const { start, end } = keyGroupRangeForOperator(maxParallelism, parallelism, slot);
      const owned = (record: unknown) => {
        const key = edge.keySelector!(record) as KeyValue;
        validateKey(key, "in-flight data");
        const group = keyGroupForKey(key, maxParallelism);
        return group >= start && group <= end;
      };
      return old.map((c) => filterBatches(batchesOf(c), owned));
    }
    case "global":
      return slot === 0 ? old.map(batchesOf) : [];
    case "broadcast": {
      const oldParallelism = Math.max(...old.map((c) => c.receiver)) + 1;
      // Each receiver got its own copy: keep it where it still exists, else subtask 0's.
      const from = slot < oldParallelism ? slot : 0;
      return old.filter((c) => c.receiver === from).map(batchesOf);
    }
    default:
      return old.filter((c) => c.receiver % parallelism === slot).map(batchesOf);
  }
}

/** Keeps the records `keep` accepts, watermarks at their places among the kept ones. */
function filterBatches(batches: InFlightBatch[], keep: (record: unknown) => boolean): InFlightBatch[] {
  const out: InFlightBatch[] = [];
  for (const batch of batches) {
    const { records, timestamps } = decodeBatch(batch.bytes);
    const kept: unknown[] = [];
    const keptTimestamps: number[] = [];
    // newIndex[i]: how many kept records precede original record i.
    const newIndex = new Array<number>(records.length + 1);
    for (let i = 0; i < records.length; i++) {
      newIndex[i] = kept.length;
      if (!keep(records[i])) continue;
      kept.push(records[i]);
      if (timestamps !== null) keptTimestamps.push(timestamps[i]!);
    }
    newIndex[records.length] = kept.length;
    const watermarks: BatchWatermark[] | null =
      batch.watermarks === null
        ? null
        : batch.watermarks.map((w) => ({ index: newIndex[w.index]!, watermark: w.watermark }));
    if (kept.length === 0 && watermarks === null) continue;
    out.push({
      bytes: encodeBatch(kept, kept.length, timestamps === null ? null : Float64Array.from(keptTimestamps)),
      count: kept.length,
      watermarks,
    });
  }
  return out;
}
