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
 *
 * Unaligned checkpoints: a barrier that may overtake (unaligned, or aligned with a timeout) is
 * announced to the task the moment it is enqueued, so the task can act before the barrier reaches
 * the head of its queue. When the task starts an unaligned checkpoint ({@link startUnaligned}) the
 * gate takes, per channel, the batches queued ahead of that channel's barrier (removing the
 * barrier), or — where the barrier has not arrived yet — every queued batch plus each batch that
 * arrives until it does ("recording"). The batches stay queued and are processed as usual; the
 * copies are the channel state. Invariant: a batch is recorded iff it was sent before the
 * checkpoint's barrier on its channel and not processed before the task's snapshot.
 * @module
 */

import type { Watermark, WatermarkDeclaration } from "@weir/api";
import { decodeBatch } from "../codec/batch-codec.ts";
import { WatermarkCombination } from "../watermark/watermark-combination.ts";
import type { Batch } from "./batch.ts";
import { type BarrierEvent, type ChannelEvent, isPriorityCandidate } from "./channel-event.ts";
import { type ChannelStateEntry, type InFlightBatch, toInFlight } from "./channel-state.ts";
import type { EncodedBatch, Transport } from "./transport.ts";

interface InputChannel {
  readonly id: number;
  readonly index: number;
  readonly transport: Transport;
  readonly queue: (Batch | EncodedBatch | ChannelEvent)[];
  finished: boolean;
  /** Delivered the barrier being aligned; read again after the checkpoint. */
  blocked: boolean;
  /** Unaligned checkpoint in progress and this channel's barrier not here yet: arrivals to keep. */
  recording: InFlightBatch[] | undefined;
}

/** What the gate tells its task between polls (called from frame delivery: post, don't run). */
export interface GateListener {
  /** A barrier that may overtake arrived on `channel` (its index); it is still queued. */
  barrierArrived(gate: InputGate, channel: number, barrier: BarrierEvent): void;
  /** Every channel recording for the unaligned checkpoint delivered its barrier or ended. */
  recordingDone(gate: InputGate): void;
}

/** What {@link InputGate.poll} found. */
export type GateItem =
  | { readonly kind: "batch"; readonly batch: Batch; readonly channel: number }
  /** A combined watermark changed because a channel ended. */
  | { readonly kind: "watermark"; readonly watermark: Watermark }
  | {
      readonly kind: "barrier";
      readonly checkpointId: number;
      readonly channel: number;
      readonly barrier: BarrierEvent;
    }
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
  #listener: GateListener | undefined;
  /** The unaligned checkpoint being recorded, and how many channels still record for it. */
  #recordingId = -1;
  #recording = 0;

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
      recording: undefined,
    };
    this.#channels.push(channel);
    this.#byId.set(id, channel);
    this.#unfinished++;
  }

  setListener(listener: GateListener): void {
    this.#listener = listener;
  }

  enqueue(id: number, item: Batch | EncodedBatch | ChannelEvent): void {
    const channel = this.#byId.get(id)!;
    if (channel.recording !== undefined) {
      if (!("kind" in item)) channel.recording.push(toInFlight(item));
      else if (item.kind === "end-of-partition" || item.checkpointId >= this.#recordingId) {
        this.#stopRecording(channel);
        // The barrier that ends a recording has done its work: it never reaches the task.
        if (item.kind === "barrier" && item.checkpointId === this.#recordingId) return;
      }
    }
    channel.queue.push(item);
    this.#queued++;
    if ("kind" in item && isPriorityCandidate(item))
      this.#listener?.barrierArrived(this, channel.index, item);
  }

  #stopRecording(channel: InputChannel): void {
    channel.recording = undefined;
    if (--this.#recording === 0) this.#listener?.recordingDone(this);
  }

  /**
   * Unaligned checkpoint `checkpointId` starts now (the task just snapshotted): returns one input
   * channel state entry per channel. Entries of channels whose barrier has not arrived keep
   * growing until it does; {@link recordingChannels} says how many that is. Unblocks every channel.
   */
  startUnaligned(checkpointId: number): ChannelStateEntry[] {
    this.abortUnaligned();
    this.#recordingId = checkpointId;
    const entries: ChannelStateEntry[] = [];
    for (const channel of this.#channels) {
      const batches: InFlightBatch[] = [];
      entries.push({ channel: channel.id, side: "input", batches });
      const blocked = channel.blocked;
      channel.blocked = false;
      // Finished, or delivered this checkpoint's barrier while aligning: nothing is in flight.
      if (channel.finished || blocked) continue;
      const queue = channel.queue;
      let ended = false;
      for (let i = 0; i < queue.length; i++) {
        const item = queue[i]!;
        if (!("kind" in item)) {
          batches.push(toInFlight(item));
          continue;
        }
        if (item.kind === "barrier" && item.checkpointId < checkpointId) continue;
        if (item.kind === "barrier" && item.checkpointId === checkpointId) {
          queue.splice(i, 1);
          this.#queued--;
        }
        ended = true;
        break;
      }
      if (!ended) {
        channel.recording = batches;
        this.#recording++;
      }
    }
    return entries;
  }

  /** Channels still recording for the unaligned checkpoint. */
  get recordingChannels(): number {
    return this.#recording;
  }

  /** Stops recording (the checkpoint was superseded or the task ends). */
  abortUnaligned(): void {
    for (const channel of this.#channels) channel.recording = undefined;
    this.#recording = 0;
    this.#recordingId = -1;
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
          return { kind: "barrier", checkpointId: item.checkpointId, channel: channel.index, barrier: item };
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
