/**
 * Events that travel in-band on a channel, in order with the data around them. Because they share
 * the channel with records, a receiver sees an event exactly after every record sent before it.
 * (Watermarks travel inside batches instead, see `BatchWatermark`, so they do not cut batches.)
 *
 * Contract:
 * - `end-of-partition` is the last thing a sender puts on a channel. A receiver whose channels have
 *   all delivered it has seen its whole input: it calls `endInput` and then ends its own outputs.
 * - `barrier(n)` separates the records before checkpoint n from those after it. A receiver aligns:
 *   a channel that delivered barrier n is not read again until every other open channel has
 *   delivered it too; then the receiver snapshots its state and sends barrier n on.
 *
 * Sequence at a receiver with channels a and b: `a: r1 B(7) r3`, `b: r2 r4 B(7)` ->
 * r1, [a blocked] r2, r4, B(7) on b completes alignment -> snapshot(7), barrier 7 downstream,
 * then r3. So snapshot 7 contains exactly r1, r2, r4.
 *
 * Unaligned barriers (FLIP-76; `unaligned: true`) overtake data instead: a sender puts one on the
 * wire ahead of the batches still waiting for credit, and a receiver acts on it as soon as it
 * arrives, not when it reaches the head of its queue. What it overtook is in-flight data that the
 * checkpoint persists as channel state (see `ChannelStateEntry`). Same channels as above with an
 * unaligned B(7) arriving first on a while r1 is still queued:
 * B(7) on a -> snapshot(7) at once, barrier 7 downstream at once; channel state: a = [r1],
 * b = [r2, r4] (queued now) + whatever else arrives on b before its B(7). Processing goes on
 * meanwhile (r1, r2, r4, r3 in arrival order); the task acknowledges when b's B(7) arrived.
 *
 * An aligned barrier with `alignedTimeoutMs` starts aligned and switches to unaligned at every
 * task still aligning (or whose queue still holds it) `alignedTimeoutMs` after `triggeredAt`
 * (Flink's `execution.checkpointing.aligned-checkpoint-timeout`).
 *
 * A `suspend` barrier (always aligned) is the last of a stop-with-savepoint: a task that sent it on
 * takes no more input, fires no more timers, and only waits for the checkpoint's completion to
 * commit (Flink's synchronous savepoint), so nothing after the savepoint reaches any sink.
 * Sequence at a source: trigger(9, suspend) -> snapshot, B(9 suspend) downstream, polling stops;
 * each task downstream aligns on it, snapshots, forwards it and stops the same way; 9 completes ->
 * sinks commit -> every task reports finished, without `endInput` (no end-of-input watermark).
 * @module
 */

/** How a barrier is aligned; absent fields mean a plain aligned barrier. */
export interface BarrierOptions {
  /** The barrier overtakes data and the checkpoint persists in-flight data. */
  readonly unaligned?: boolean;
  /** Aligned barrier that turns unaligned this long after `triggeredAt` (ms). */
  readonly alignedTimeoutMs?: number;
  /** When the coordinator triggered the checkpoint (epoch ms). */
  readonly triggeredAt?: number;
  /** The job stops after this checkpoint (stop-with-savepoint without drain); see the module. */
  readonly suspend?: boolean;
}

export type ChannelEvent =
  | { readonly kind: "end-of-partition" }
  | ({ readonly kind: "barrier"; readonly checkpointId: number } & BarrierOptions);

export type BarrierEvent = Extract<ChannelEvent, { kind: "barrier" }>;

export const END_OF_PARTITION: ChannelEvent = Object.freeze({ kind: "end-of-partition" });

export function barrier(checkpointId: number, options: BarrierOptions = {}): BarrierEvent {
  return { kind: "barrier", checkpointId, ...options };
}

/** Whether a receiver must hear of this barrier on arrival (it overtakes, or may time out). */
export function isPriorityCandidate(event: ChannelEvent): event is BarrierEvent {
  return event.kind === "barrier" && (event.unaligned === true || event.alignedTimeoutMs !== undefined);
}

/** When an aligned barrier with a timeout turns unaligned (epoch ms); infinity without timeout. */
export function alignmentDeadline(event: BarrierEvent): number {
  if (event.unaligned === true) return Number.NEGATIVE_INFINITY;
  if (event.alignedTimeoutMs === undefined) return Number.POSITIVE_INFINITY;
  return (event.triggeredAt ?? 0) + event.alignedTimeoutMs;
}
