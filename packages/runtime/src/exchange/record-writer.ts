/**
 * Routes the records of one job edge from one subtask to the channels of the receiving subtasks,
 * by the edge's partitioning. This is the `Output` an operator sees for a network edge.
 * @module
 */

import { EventTimeExtension, type KeySelector, type KeyValue, type Watermark } from "@weir/api";
import type { Partitioning } from "../graph/transformation.ts";
import { keyGroupForKey, operatorIndexForKeyGroup, validateKey } from "../keys/key-hash.ts";
import type { Output } from "../operators/output.ts";
import type { BarrierEvent, ChannelEvent } from "./channel-event.ts";
import type { ChannelStateEntry } from "./channel-state.ts";
import type { OutputChannel } from "./output-channel.ts";

export class RecordWriter implements Output {
  readonly #channels: OutputChannel[];
  readonly #partitioning: Partitioning;
  readonly #keySelector: KeySelector<unknown, KeyValue> | undefined;
  readonly #maxParallelism: number;
  readonly #where: string;
  #next: number;
  /** The last event-time watermark sent on this edge (metrics of source tasks). */
  eventTimeWatermark: number | null = null;

  constructor(options: {
    channels: OutputChannel[];
    partitioning: Partitioning;
    keySelector: KeySelector<unknown, KeyValue> | undefined;
    /** Of the receiving vertex: key groups are assigned by the receiver's max parallelism. */
    maxParallelism: number;
    subtask: number;
    /** The producing operator's name, for error messages. */
    where: string;
  }) {
    this.#channels = options.channels;
    this.#partitioning = options.partitioning;
    this.#keySelector = options.keySelector;
    this.#maxParallelism = options.maxParallelism;
    this.#where = options.where;
    this.#next = options.subtask % Math.max(1, options.channels.length);
  }

  /** Records sent on every channel of the edge (a broadcast record counts once per channel). */
  get recordsSent(): number {
    let sum = 0;
    for (const channel of this.#channels) sum += channel.recordsSent;
    return sum;
  }

  collect(record: unknown, timestamp: number): void {
    const channels = this.#channels;
    switch (this.#partitioning) {
      case "forward":
      case "global":
        channels[0]!.add(record, timestamp);
        return;
      case "rebalance": {
        const i = this.#next;
        channels[i]!.add(record, timestamp);
        this.#next = i + 1 === channels.length ? 0 : i + 1;
        return;
      }
      case "hash": {
        const key = this.#keySelector!(record);
        validateKey(key, this.#where);
        const group = keyGroupForKey(key, this.#maxParallelism);
        channels[operatorIndexForKeyGroup(this.#maxParallelism, channels.length, group)]!.add(
          record,
          timestamp,
        );
        return;
      }
      case "broadcast":
        for (let i = 0; i < channels.length; i++) channels[i]!.add(record, timestamp);
        return;
    }
  }

  /** Watermarks go to every channel: each receiver combines them over its senders. */
  emitWatermark(watermark: Watermark): void {
    if (EventTimeExtension.isEventTimeWatermark(watermark))
      this.eventTimeWatermark = watermark.value as number;
    for (const channel of this.#channels) channel.addWatermark(watermark);
  }

  flush(): void {
    for (const channel of this.#channels) channel.flush();
  }

  sendEvent(event: ChannelEvent): void {
    for (const channel of this.#channels) channel.sendEvent(event);
  }

  /**
   * Sends an unaligned barrier ahead of every batch still waiting for credit; returns what it
   * overtook, per channel, as output channel state.
   */
  sendPriorityBarrier(event: BarrierEvent): ChannelStateEntry[] {
    return this.#channels.map((channel) => ({
      channel: channel.id,
      side: "output",
      batches: channel.sendPriorityBarrier(event),
    }));
  }
}
