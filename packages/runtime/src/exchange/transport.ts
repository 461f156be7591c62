/**
 * The one transport interface of the exchange. A transport connects the channels of this slot
 * with the channels of one peer slot (itself, another thread, later another process over TCP).
 * It moves three kinds of frames, all in order per channel:
 * - data (a batch), sender -> receiver;
 * - events (see {@link ChannelEvent}), sender -> receiver, in order with the data;
 * - credits, receiver -> sender: the receiver has freed that many buffers for the channel.
 *
 * Credit-based flow control: a sender starts with `buffersPerChannel` credits per channel, spends
 * one per batch, and holds batches back when it has none. So at most `buffersPerChannel` batches
 * per channel are ever in flight or queued at the receiver, and a slow consumer stops its producer.
 * @module
 */

import type { Batch, BatchWatermark } from "./batch.ts";

/** A batch from another thread or process: records still encoded, watermarks alongside. */
export type EncodedBatch = Uint8Array | { readonly bytes: Uint8Array; readonly watermarks: BatchWatermark[] };

import type { ChannelEvent } from "./channel-event.ts";

export interface Transport {
  sendBatch(channel: number, batch: Batch): void;
  sendEvent(channel: number, event: ChannelEvent): void;
  sendCredit(channel: number, credits: number): void;
  /** Releases the connection to the peer (cross-thread and cross-process transports). */
  close?(): void;
}

/** Where a transport delivers what arrives for this slot. */
export interface FrameSink {
  /** A batch, either as objects (same thread) or encoded (from another thread or process). */
  onBatch(channel: number, batch: Batch | EncodedBatch): void;
  onEvent(channel: number, event: ChannelEvent): void;
  onCredit(channel: number, credits: number): void;
}
