/**
 * The receiving end of one operator input: one queue per upstream channel. The task takes one
 * batch at a time, round-robin over channels that have data, and returns one credit per batch
 * consumed, so each queue holds at most the credits it granted.
 *
 * The gate also combines watermarks over its channels (see {@link WatermarkCombination}): the task
 * hands it each watermark found in a batch and gets back the combined watermarks that changed.
 * When a channel ends it stops holding back the combination.
 *
 * Encoded batches (from other threads) are decoded lazily, when the task takes them, so decoding
 * runs on the consuming task's time, not in the message handler.
 * @module
 */

import type { Watermark, WatermarkDeclaration } from "@weir/api";
import { decodeBatch } from "../codec/batch-codec.ts";
import { WatermarkCombination } from "../watermark/watermark-combination.ts";
import type { Batch } from "./batch.ts";
import type { ChannelEvent } from "./channel-event.ts";
import type { EncodedBatch, Transport } from "./transport.ts";

interface InputChannel {
  readonly id: number;
  readonly index: number;
  readonly transport: Transport;
  readonly queue: (Batch | EncodedBatch | ChannelEvent)[];
  finished: boolean;
  /** Delivered the barrier being aligned; read again after the checkpoint. */
  blocked: boolean;
}

/** What {@link InputGate.poll} found. */
export type GateItem =
  | { readonly kind: "batch"; readonly batch: Batch; readonly channel: number }
  /** A combined watermark changed because a channel ended. */
  | { readonly kind: "watermark"; readonly watermark: Watermark }
  | { readonly kind: "barrier"; readonly checkpointId: number; readonly channel: number }
  /** A channel delivered end-of-partition (the task re-checks a pending barrier alignment). */
  | { readonly kind: "channel-finished"; readonly channel: number }
  | { readonly kind: "end-of-input" };

export class InputGate {
  /** The operator input this gate feeds (0 or 1). */
  readonly input: 0 | 1;
  readonly #channels: InputChannel[] = [];
  readonly #byId = new Map<number, InputChannel>();
  readonly #declarations: ReadonlyMap<string, WatermarkDeclaration>;
  #combination: WatermarkCombination | undefined;
  readonly #pending: Watermark[] = [];
  #unfinished = 0;
  #queued = 0;
  #cursor = 0;
  #endReported = false;

  constructor(input: 0 | 1, declarations: ReadonlyMap<string, WatermarkDeclaration>) {
    this.input = input;
    this.#declarations = declarations;
  }

  addChannel(id: number, transport: Transport): void {
    const channel: InputChannel = {
      id,
      index: this.#channels.length,
      transport,
      queue: [],
      finished: false,
      blocked: false,
    };
    this.#channels.push(channel);
    this.#byId.set(id, channel);
    this.#unfinished++;
  }

  enqueue(channel: number, item: Batch | EncodedBatch | ChannelEvent): void {
    this.#byId.get(channel)!.queue.push(item);
    this.#queued++;
  }

  /** Items (batches and events) waiting to be polled; at most the granted credits are batches. */
  get queuedItems(): number {
    return this.#queued;
  }

  get finished(): boolean {
    return this.#endReported;
  }

  /** A watermark found in a batch of channel `channel` (its index); returns combined changes. */
  onWatermark(channel: number, watermark: Watermark): Watermark[] {
    return this.#watermarks().update(channel, watermark);
  }

  #watermarks(): WatermarkCombination {
    this.#combination ??= new WatermarkCombination(this.#declarations, this.#channels.length);
    return this.#combination;
  }

  /**
   * Stops reading `channel` (its index) until `unblockAll()`: it delivered the barrier of the
   * checkpoint being aligned.
   */
  block(channel: number): void {
    this.#channels[channel]!.blocked = true;
  }

  unblockAll(): void {
    for (const channel of this.#channels) channel.blocked = false;
  }

  /** Channels that have not delivered end-of-partition: the ones a barrier must arrive on. */
  get openChannels(): number {
    return this.#unfinished;
  }

  /**
   * The next item in round-robin order over unblocked channels: a batch, a barrier, a combined
   * watermark that changed because a channel ended, or `end-of-input` once (after every channel
   * delivered end-of-partition); `undefined` when nothing can be read now.
   */
  poll(): GateItem | undefined {
    const pending = this.#pending.shift();
    if (pending !== undefined) return { kind: "watermark", watermark: pending };
    const channels = this.#channels;
    for (let tried = 0; tried < channels.length && this.#queued > 0; tried++) {
      const channel = channels[this.#cursor]!;
      this.#cursor = this.#cursor + 1 === channels.length ? 0 : this.#cursor + 1;
      if (channel.blocked) continue;
      const item = channel.queue.shift();
      if (item === undefined) continue;
      this.#queued--;
      if ("kind" in item) {
        if (item.kind === "barrier")
          return { kind: "barrier", checkpointId: item.checkpointId, channel: channel.index };
        channel.finished = true;
        this.#unfinished--;
        if (this.#unfinished > 0 && this.#combination !== undefined) {
          this.#pending.push(...this.#combination.endInput(channel.index));
        }
        return { kind: "channel-finished", channel: channel.index };
      }
      channel.transport.sendCredit(channel.id, 1);
      if ("records" in item) return { kind: "batch", batch: item, channel: channel.index };
      const bytes = item instanceof Uint8Array ? item : item.bytes;
      const { records, timestamps } = decodeBatch(bytes);
      const watermarks = item instanceof Uint8Array ? null : item.watermarks;
      return {
        kind: "batch",
        batch: { records, timestamps, count: records.length, watermarks },
        channel: channel.index,
      };
    }
    if (this.#unfinished === 0 && !this.#endReported) {
      this.#endReported = true;
      return { kind: "end-of-input" };
    }
    return undefined;
  }
}
