/**
 * Channel state: the in-flight data an unaligned checkpoint persists beside the operator
 * snapshots (FLIP-76). Batches are kept encoded with the exchange codec (exact size, no later
 * mutation of the records can change what was checkpointed), watermarks alongside.
 *
 * What a channel (edge e, sender s, receiver r) holds at checkpoint n, in channel order:
 * 1. `input` side, written by r: the batches s sent before barrier n that r had not processed when
 *    it snapshotted (queued ahead of the barrier, or arriving on a channel whose barrier had not
 *    arrived yet);
 * 2. `output` side, written by s: the batches s produced before barrier n that still waited for
 *    credit when the barrier overtook them.
 * Records r processed before its snapshot are in r's operator state, records after (2) are after
 * the barrier: each record sent on the channel is in exactly one of the three.
 *
 * Restore contract (see `assignChannelState`): in-flight data is replayed as the FIRST INPUT of the
 * restored receiving subtasks, before anything their gates deliver, one old channel at a time.
 * Each old channel becomes a "virtual channel" of the edge's input, re-routed by the edge's
 * partitioning at the new parallelism: keyed (hash) edges keep the records whose key group the
 * new subtask owns (so any parallelism works), forward/rebalance channels go to subtask
 * `old receiver % new parallelism`, global to subtask 0, and broadcast edges replay old receiver
 * 0's channels at every subtask (broadcast state is restored from subtask 0's snapshot too).
 * Watermarks in replayed batches are combined over the virtual channels of the edge exactly as a
 * gate combines its channels, so a watermark is applied once every old channel got past it;
 * real-channel watermarks below a replayed one are then dropped, so event time never goes back.
 *
 * Worked sequence, keyed edge, 2 senders -> 2 receivers restored at 3 receivers:
 * checkpoint 7 wrote input (e,0,1)=[b1] and output (e,1,0)=[b2]. Restore: every new subtask k gets
 * virtual channels [(e,0,0) [], (e,0,1) b1|k, (e,1,0) b2|k, (e,1,1) []], where b|k keeps the
 * records of b whose key group k owns; each task replays them before its first gate poll.
 * @module
 */

import { encodeBatch } from "../codec/batch-codec.ts";
import type { Batch, BatchWatermark } from "./batch.ts";
import type { EncodedBatch } from "./transport.ts";

/** One batch of in-flight data: records encoded by the batch codec, watermarks between them. */
export interface InFlightBatch {
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly watermarks: readonly BatchWatermark[] | null;
}

/** The in-flight data of one channel seen from one side, in channel order. */
export interface ChannelStateEntry {
  /** The packed channel id (edge, sender, receiver); see `channelId`. */
  readonly channel: number;
  readonly side: "input" | "output";
  readonly batches: InFlightBatch[];
}

/** A task's channel state for one checkpoint: an entry per input channel and per output channel. */
export interface TaskChannelState {
  readonly entries: readonly ChannelStateEntry[];
}

/** The in-flight data one restored subtask replays on one input edge, one list per old channel. */
export interface ReplayedEdge {
  readonly edge: number;
  readonly input: 0 | 1;
  readonly channels: readonly (readonly InFlightBatch[])[];
}

/** A batch as channel state: encoded once, when the checkpoint captures it. */
export function toInFlight(batch: Batch | EncodedBatch): InFlightBatch {
  if ("records" in batch) {
    return {
      bytes: encodeBatch(batch.records, batch.count, batch.timestamps),
      count: batch.count,
      watermarks: batch.watermarks,
    };
  }
  // Copied: a transport may hand over views of a frame buffer it reuses.
  if (batch instanceof Uint8Array) return { bytes: batch.slice(), count: countOf(batch), watermarks: null };
  return { bytes: batch.bytes.slice(), count: countOf(batch.bytes), watermarks: batch.watermarks };
}

/** Record count of an encoded batch: the codec's header starts with it (u32 after the version). */
function countOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(COUNT_OFFSET, true);
}

const COUNT_OFFSET = 4;

/** Bytes and records of a task's channel state, for checkpoint statistics. */
export function channelStateSize(state: TaskChannelState): { bytes: number; records: number } {
  let bytes = 0;
  let records = 0;
  for (const entry of state.entries) {
    for (const batch of entry.batches) {
      bytes += batch.bytes.byteLength;
      records += batch.count;
    }
  }
  return { bytes, records };
}
