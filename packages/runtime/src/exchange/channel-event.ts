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
 * @module
 */

export type ChannelEvent =
  | { readonly kind: "end-of-partition" }
  | { readonly kind: "barrier"; readonly checkpointId: number };

export const END_OF_PARTITION: ChannelEvent = Object.freeze({ kind: "end-of-partition" });

export function barrier(checkpointId: number): ChannelEvent {
  return { kind: "barrier", checkpointId };
}
