/**
 * Events that travel in-band on a channel, in order with the data around them. Because they share
 * the channel with records, a receiver sees an event exactly after every record sent before it.
 *
 * Contract:
 * - `end-of-partition` is the last thing a sender puts on a channel. A receiver whose channels have
 *   all delivered it has seen its whole input: it calls `endInput` and then ends its own outputs.
 * - Checkpoint barriers and watermarks will travel the same way (they are not defined yet).
 *
 * Sequence on one channel: `B1 B2 END` (B = batch) -> the receiver processes B1, B2, then marks the
 * channel finished; `endInput(k)` runs once the last channel of input k is finished.
 * @module
 */

export type ChannelEvent = { readonly kind: "end-of-partition" };

export const END_OF_PARTITION: ChannelEvent = Object.freeze({ kind: "end-of-partition" });
