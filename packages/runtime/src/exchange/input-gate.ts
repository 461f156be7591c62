/**
 * The receiving end of one operator input: one queue per upstream channel. The task takes one
 * batch at a time, round-robin over channels that have data, and returns one credit per batch
 * consumed, so each queue holds at most the credits it granted.
 *
 * Encoded batches (from other threads) are decoded lazily, when the task takes them, so decoding
 * runs on the consuming task's time, not in the message handler.
 * @module
 */

import { decodeBatch } from "../codec/batch-codec.ts";
import type { Batch } from "./batch.ts";
import type { ChannelEvent } from "./channel-event.ts";
import type { Transport } from "./transport.ts";

interface InputChannel {
  readonly id: number;
  readonly transport: Transport;
  readonly queue: (Batch | Uint8Array | ChannelEvent)[];
  finished: boolean;
}

/** What {@link InputGate.poll} found. */
export type GateItem = { readonly kind: "batch"; readonly batch: Batch } | { readonly kind: "end-of-input" };

export class InputGate {
  /** The operator input this gate feeds (0 or 1). */
  readonly input: 0 | 1;
  readonly #channels: InputChannel[] = [];
  readonly #byId = new Map<number, InputChannel>();
  #unfinished = 0;
  #queued = 0;
  #cursor = 0;
  #endReported = false;

  constructor(input: 0 | 1) {
    this.input = input;
  }

  addChannel(id: number, transport: Transport): void {
    const channel: InputChannel = { id, transport, queue: [], finished: false };
    this.#channels.push(channel);
    this.#byId.set(id, channel);
    this.#unfinished++;
  }

  owns(channel: number): boolean {
    return this.#byId.has(channel);
  }

  enqueue(channel: number, item: Batch | Uint8Array | ChannelEvent): void {
    this.#byId.get(channel)!.queue.push(item);
    this.#queued++;
  }

  /** Items (batches and events) waiting to be polled; at most the granted credits are batches. */
  get queuedItems(): number {
    return this.#queued;
  }

  /** True when `poll` would return something. */
  get hasWork(): boolean {
    return this.#queued > 0 || (this.#unfinished === 0 && !this.#endReported);
  }

  get finished(): boolean {
    return this.#endReported;
  }

  /**
   * The next batch in round-robin order, or `end-of-input` once (after every channel delivered
   * end-of-partition), or `undefined` when nothing is queued.
   */
  poll(): GateItem | undefined {
    const channels = this.#channels;
    while (this.#queued > 0) {
      const channel = channels[this.#cursor]!;
      this.#cursor = this.#cursor + 1 === channels.length ? 0 : this.#cursor + 1;
      const item = channel.queue.shift();
      if (item === undefined) continue;
      this.#queued--;
      if (item instanceof Uint8Array) {
        channel.transport.sendCredit(channel.id, 1);
        const { records, timestamps } = decodeBatch(item);
        return { kind: "batch", batch: { records, timestamps, count: records.length } };
      }
      if ("records" in item) {
        channel.transport.sendCredit(channel.id, 1);
        return { kind: "batch", batch: item };
      }
      // end-of-partition: the only event so far.
      channel.finished = true;
      this.#unfinished--;
    }
    if (this.#unfinished === 0 && !this.#endReported) {
      this.#endReported = true;
      return { kind: "end-of-input" };
    }
    return undefined;
  }
}
