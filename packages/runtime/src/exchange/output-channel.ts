/**
 * The sending end of one channel: fills a batch record by record, ships it when full (or when the
 * task goes idle), and holds sealed batches back while it has no credit.
 *
 * Invariant: `backlog` is non-empty only while `credits === 0`. The task counts channels with a
 * backlog ({@link Backpressure}) and takes no new input while any exists, so a backlog never holds
 * more than what one input batch can produce.
 *
 * An unaligned barrier is the one frame that jumps the backlog: it goes out at once, needs no
 * credit, and the batches it overtook become the checkpoint's output channel state (they are still
 * sent afterwards, in order, when credit comes).
 * @module
 */

import type { Watermark } from "@weir/api";
import { type Batch, type BatchWatermark, NO_TIMESTAMP } from "./batch.ts";
import type { BarrierEvent, ChannelEvent } from "./channel-event.ts";
import { type InFlightBatch, toInFlight } from "./channel-state.ts";
import type { Transport } from "./transport.ts";

/** Counts the task's output channels that are waiting for credit. */
export class Backpressure {
  #blocked = 0;
  readonly #onRelease: () => void;

  constructor(onRelease: () => void) {
    this.#onRelease = onRelease;
  }

  get blocked(): boolean {
    return this.#blocked > 0;
  }

  block(): void {
    this.#blocked++;
  }

  release(): void {
    this.#blocked--;
    if (this.#blocked === 0) this.#onRelease();
  }
}

export class OutputChannel {
  readonly id: number;
  readonly #transport: Transport;
  readonly #batchSize: number;
  readonly #backpressure: Backpressure;
  #credits: number;
  #records: unknown[] = [];
  #timestamps: Float64Array;
  #hasTimestamps = false;
  #watermarks: BatchWatermark[] | null = null;
  #backlog: (Batch | ChannelEvent)[] = [];
  /** Records shipped or queued so far: counted per batch, read by metrics on scrape. */
  recordsSent = 0;

  constructor(
    id: number,
    transport: Transport,
    batchSize: number,
    credits: number,
    backpressure: Backpressure,
  ) {
    this.id = id;
    this.#transport = transport;
    this.#batchSize = batchSize;
    this.#credits = credits;
    this.#backpressure = backpressure;
    this.#timestamps = new Float64Array(batchSize);
  }

  add(record: unknown, timestamp: number): void {
    const records = this.#records;
    const n = records.length;
    records.push(record);
    this.#timestamps[n] = timestamp;
    if (timestamp !== NO_TIMESTAMP) this.#hasTimestamps = true;
    if (n + 1 === this.#batchSize) this.flush();
  }

  /** Places a watermark after the records added so far; it ships with the batch. */
  addWatermark(watermark: Watermark): void {
    const entry = { index: this.#records.length, watermark };
    if (this.#watermarks === null) this.#watermarks = [entry];
    else this.#watermarks.push(entry);
  }

  /** Ships the partly filled batch (or pending watermarks), if any. */
  flush(): void {
    const count = this.#records.length;
    if (count === 0 && this.#watermarks === null) return;
    const batch: Batch = {
      records: this.#records,
      timestamps: this.#hasTimestamps ? this.#timestamps.subarray(0, count) : null,
      count,
      watermarks: this.#watermarks,
    };
    this.recordsSent += count;
    this.#records = [];
    this.#watermarks = null;
    if (this.#hasTimestamps) {
      this.#timestamps = new Float64Array(this.#batchSize);
      this.#hasTimestamps = false;
    }
    this.#ship(batch);
  }

  /** Sends an event after everything added so far. Events need no credit but keep their order. */
  sendEvent(event: ChannelEvent): void {
    this.flush();
    if (this.#backlog.length > 0) this.#backlog.push(event);
    else this.#transport.sendEvent(this.id, event);
  }

  /** Sends `event` ahead of the backlog; returns the batches it overtook (encoded copies). */
  sendPriorityBarrier(event: BarrierEvent): InFlightBatch[] {
    this.flush();
    const overtaken: InFlightBatch[] = [];
    for (const item of this.#backlog) if ("records" in item) overtaken.push(toInFlight(item));
    this.#transport.sendEvent(this.id, event);
    return overtaken;
  }

  onCredit(credits: number): void {
    this.#credits += credits;
    if (this.#backlog.length === 0) return;
    while (this.#backlog.length > 0) {
      const next = this.#backlog[0]!;
      if ("records" in next) {
        if (this.#credits === 0) return;
        this.#credits--;
        this.#transport.sendBatch(this.id, next);
      } else {
        this.#transport.sendEvent(this.id, next);
      }
      this.#backlog.shift();
    }
    this.#backpressure.release();
  }

  #ship(batch: Batch): void {
    if (this.#credits > 0 && this.#backlog.length === 0) {
      this.#credits--;
      this.#transport.sendBatch(this.id, batch);
      return;
    }
    if (this.#backlog.length === 0) this.#backpressure.block();
    this.#backlog.push(batch);
  }
}
