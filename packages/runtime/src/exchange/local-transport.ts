/**
 * Same-slot transport: sender and receiver share a thread, so batches are handed over as objects
 * (no serialization) and frames are delivered synchronously. Delivery only enqueues at the
 * receiver; operators never run re-entrantly from inside a send.
 * @module
 */

import type { Batch } from "./batch.ts";
import type { ChannelEvent } from "./channel-event.ts";
import type { FrameSink, Transport } from "./transport.ts";

export class LocalTransport implements Transport {
  readonly #sink: FrameSink;

  constructor(sink: FrameSink) {
    this.#sink = sink;
  }

  sendBatch(channel: number, batch: Batch): void {
    this.#sink.onBatch(channel, batch);
  }

  sendEvent(channel: number, event: ChannelEvent): void {
    this.#sink.onEvent(channel, event);
  }

  sendCredit(channel: number, credits: number): void {
    this.#sink.onCredit(channel, credits);
  }
}
