/** Restoring in-flight data: routing to new subtasks, watermarks, and the checkpoint's stored form. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { Sinks, type Watermark } from "@weir/api";
import { decodeBatch, encodeBatch } from "../codec/batch-codec.ts";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import { channelId } from "../exchange/channel-id.ts";
import type { ChannelStateEntry, InFlightBatch, ReplayedEdge } from "../exchange/channel-state.ts";
import { EnvironmentImpl } from "../graph/environment-impl.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import { keyGroupForKey, keyGroupRangeForOperator } from "../keys/key-hash.ts";
import { EVENT_TIME_WATERMARK } from "../watermark/watermark-combination.ts";
import { InFlightReplay } from "../worker/in-flight-replay.ts";
import { assignChannelState } from "./channel-state-assignment.ts";
import { checkpointFromObjects, checkpointToObjects } from "./checkpoint-persistence.ts";

const eventTime = (value: number): Watermark =>
  ({ kind: "numeric", identifier: EVENT_TIME_WATERMARK, value }) as Watermark;

function keyedGraph(parallelism: number, partition: "keyBy" | "shuffle" | "broadcast"): JobGraph {
  const env = new EnvironmentImpl({ parallelism, jobName: "t", onExecute: () => new Promise(() => {}) });
  const source = env.fromCollection([1, 2, 3]).withParallelism(2);
  if (partition === "broadcast") {
    // Broadcast streams feed the second input of a broadcast process function.
    source
      .keyBy((n) => n)
      .connectAndProcess(source.broadcast(), {
        processRecordFromNonBroadcastInput() {},
        processRecordFromBroadcastInput() {},
      });
  } else {
    const routed = partition === "keyBy" ? source.keyBy((n) => n) : source.shuffle();
    routed.process<number>({ processRecord: (n, out) => out.collect(n) }).toSink(Sinks.discard());
  }
  return buildJobGraph(env.graph.nodes, parallelism);
}

/** The id of the graph's edge with this partitioning. */
const edgeOf = (graph: JobGraph, partitioning: string) =>
  graph.edges.find((e) => e.partitioning === partitioning)!.id;

function batch(records: number[], watermarks: InFlightBatch["watermarks"] = null): InFlightBatch {
  return {
    bytes: encodeBatch(records, records.length, Float64Array.from(records)),
    count: records.length,
    watermarks,
  };
}

/** A checkpoint of the 2 -> 2 job: per old channel (sender, receiver), input-side and output-side batches. */
function checkpointOf(
  edge: number,
  channels: { sender: number; receiver: number; input: InFlightBatch[]; output: InFlightBatch[] }[],
): CompletedCheckpoint {
  const byTask = new Map<string, ChannelStateEntry[]>();
  const add = (task: string, entry: ChannelStateEntry) =>
    byTask.set(task, [...(byTask.get(task) ?? []), entry]);
  for (const c of channels) {
    const id = channelId(edge, c.sender, c.receiver);
    add(`1/${c.receiver}`, { channel: id, side: "input", batches: c.input });
    add(`0/${c.sender}`, { channel: id, side: "output", batches: c.output });
  }
  return {
    checkpointId: 7,
    triggeredAt: 0,
    durationMs: 1,
    tasks: new Map(),
    enumerators: new Map(),
    taskStats: new Map(),
    channelState: new Map([...byTask].map(([task, entries]) => [task, { entries }])),
  };
}

const replayed = (edges: ReplayedEdge[]) =>
  edges.flatMap((e) => e.channels.flatMap((c) => c.flatMap((b) => decodeBatch(b.bytes).records as number[])));

const numbers = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("keyed in-flight data is re-routed by key group at a new parallelism, each record to exactly one subtask", () => {
  const old = keyedGraph(2, "keyBy");
  const edge = edgeOf(old, "hash");
  const checkpoint = checkpointOf(edge, [
    { sender: 0, receiver: 0, input: [batch(numbers(0, 20))], output: [batch(numbers(20, 30))] },
    { sender: 0, receiver: 1, input: [batch(numbers(30, 50))], output: [] },
    { sender: 1, receiver: 0, input: [], output: [batch(numbers(50, 60))] },
    { sender: 1, receiver: 1, input: [batch(numbers(60, 80))], output: [] },
  ]);
  for (const parallelism of [1, 2, 3]) {
    const graph = keyedGraph(parallelism, "keyBy");
    const target = graph.vertices[1]!;
    const all: number[] = [];
    for (let slot = 0; slot < parallelism; slot++) {
      const assigned = assignChannelState(checkpoint, graph, slot);
      const edges = assigned.find(([vertex]) => vertex === target.id)?.[1] ?? [];
      const records = replayed(edges);
      const { start, end } = keyGroupRangeForOperator(target.maxParallelism, parallelism, slot);
      for (const r of records) {
        const group = keyGroupForKey(r, target.maxParallelism);
        assert.ok(group >= start && group <= end, `record ${r} belongs to subtask ${slot} of ${parallelism}`);
      }
      // Every old channel is a virtual channel (watermarks wait for all of them).
      for (const e of edges) assert.equal(e.channels.length, 4);
      all.push(...records);
    }
    assert.deepEqual(
      all.sort((a, b) => a - b),
      numbers(0, 80),
      `parallelism ${parallelism}`,
    );
  }
});

test("within an old channel, input-side batches come before output-side ones", () => {
  const graph = keyedGraph(1, "shuffle");
  const checkpoint = checkpointOf(edgeOf(graph, "rebalance"), [
    { sender: 0, receiver: 0, input: [batch([1, 2])], output: [batch([3])] },
  ]);
  assert.deepEqual(replayed(assignChannelState(checkpoint, graph, 0)[0]![1]), [1, 2, 3]);
});

test("non-keyed edges keep each old receiver's data on one new subtask; broadcast keeps one copy per subtask", () => {
  const old = keyedGraph(2, "shuffle");
  const channels = [
    { sender: 0, receiver: 0, input: [batch([1])], output: [] },
    { sender: 0, receiver: 1, input: [batch([2])], output: [] },
    { sender: 1, receiver: 0, input: [batch([3])], output: [] },
    { sender: 1, receiver: 1, input: [batch([4])], output: [] },
  ];
  const checkpoint = checkpointOf(edgeOf(old, "rebalance"), channels);
  const at = (graph: JobGraph, slot: number) =>
    replayed(assignChannelState(checkpoint, graph, slot)[0]?.[1] ?? []);
  const same = keyedGraph(2, "shuffle");
  assert.deepEqual(
    [at(same, 0), at(same, 1)],
    [
      [1, 3],
      [2, 4],
    ],
  );
  assert.deepEqual(at(keyedGraph(1, "shuffle"), 0), [1, 2, 3, 4]);
  const broadcast = keyedGraph(3, "broadcast");
  const bCheckpoint = checkpointOf(edgeOf(broadcast, "broadcast"), channels);
  const bAt = (slot: number) => replayed(assignChannelState(bCheckpoint, broadcast, slot)[0]?.[1] ?? []);
  assert.deepEqual(
    [bAt(0), bAt(1), bAt(2)],
    [
      [1, 3],
      [2, 4],
      [1, 3],
    ],
  );
});

test("filtering by key keeps watermarks at their places among the kept records", () => {
  const graph = keyedGraph(2, "keyBy");
  const target = graph.vertices[1]!;
  const records = numbers(0, 40);
  const checkpoint = checkpointOf(edgeOf(graph, "hash"), [
    {
      sender: 0,
      receiver: 0,
      input: [
        batch(records, [
          { index: 20, watermark: eventTime(19) },
          { index: 40, watermark: eventTime(39) },
        ]),
      ],
      output: [],
    },
  ]);
  for (const slot of [0, 1]) {
    const edge = assignChannelState(checkpoint, graph, slot)[0]![1][0]!;
    const [only] = edge.channels[0]!;
    const kept = decodeBatch(only!.bytes).records as number[];
    const { start, end } = keyGroupRangeForOperator(target.maxParallelism, 2, slot);
    const owned = (r: number) => {
      const g = keyGroupForKey(r, target.maxParallelism);
      return g >= start && g <= end;
    };
    assert.deepEqual(kept, records.filter(owned));
    assert.deepEqual(
      only!.watermarks!.map((w) => w.index),
      [records.slice(0, 20).filter(owned).length, kept.length],
    );
  }
});

test("replay combines watermarks over the old channels: one applies once every channel passed it", () => {
  const declarations = new Map([
    [
      EVENT_TIME_WATERMARK,
      {
        identifier: EVENT_TIME_WATERMARK,
        kind: "numeric",
        combine: "MIN",
        waitForAllChannels: true,
      } as never,
    ],
  ]);
  const replay = new InFlightReplay(
    [
      {
        edge: 0,
        input: 0,
        channels: [
          [batch([1], [{ index: 1, watermark: eventTime(100) }])],
          [batch([2], [{ index: 0, watermark: eventTime(50) }])],
        ],
      },
    ],
    declarations,
  );
  const combined: number[] = [];
  for (let item = replay.next(); item !== undefined; item = replay.next())
    for (const w of item.batch.watermarks ?? [])
      for (const c of item.onWatermark(w.watermark)) combined.push(c.value as number);
  assert.deepEqual(combined, [50], "100 alone is not safe; the minimum over both channels is");
  assert.equal(replay.records, 2);
  assert.equal(replay.done, true);
});

test("channel state survives the checkpoint's stored form", () => {
  const graph = keyedGraph(2, "keyBy");
  const checkpoint = checkpointOf(edgeOf(graph, "hash"), [
    {
      sender: 0,
      receiver: 1,
      input: [batch([5, 6], [{ index: 1, watermark: eventTime(5) }])],
      output: [batch([7])],
    },
  ]);
  const written = checkpointToObjects(checkpoint);
  const read = checkpointFromObjects({
    checkpointId: 7,
    manifest: written.manifest!,
    objects: written.objects,
  } as never);
  assert.deepEqual(
    [...read.channelState!].map(([task, s]) => [
      task,
      s.entries.map((e) => [e.channel, e.side, replayed([{ edge: 0, input: 0, channels: [e.batches] }])]),
    ]),
    [...checkpoint.channelState!].map(([task, s]) => [
      task,
      s.entries.map((e) => [e.channel, e.side, replayed([{ edge: 0, input: 0, channels: [e.batches] }])]),
    ]),
  );
  assert.deepEqual(read.channelState!.get("1/1")!.entries[0]!.batches[0]!.watermarks, [
    { index: 1, watermark: eventTime(5) },
  ]);
});

test("in-flight data for an edge the job does not have is refused with the edge named", () => {
  const graph = keyedGraph(2, "keyBy");
  const checkpoint = checkpointOf(9, [{ sender: 0, receiver: 0, input: [batch([1])], output: [] }]);
  assert.throws(
    () => assignChannelState(checkpoint, graph, 0),
    /checkpoint 7 holds in-flight data of task 1\/0 for edge 9, which this job does not have there/,
  );
});
