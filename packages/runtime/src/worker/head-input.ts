/**
 * How input reaches a task's head operator: batches of records with the watermarks placed between
 * them — from the network gates, or from in-flight data a restored task replays — and the
 * event-time watermark each input last delivered (for metrics).
 *
 * Invariant: after a restore from an unaligned checkpoint, a watermark from the real channels
 * never moves an input's event time below what the replayed data delivered (the channels start
 * from nothing, the replay did not).
 * @module
 */

import { EventTimeExtension, type Watermark } from "@weir/api";
import { type Batch, NO_TIMESTAMP } from "../exchange/batch.ts";
import type { StreamOperator } from "../operators/stream-operator.ts";
import { ReplayedWatermarks, type ReplayItem } from "./in-flight-replay.ts";

export class HeadInput {
  readonly #head: StreamOperator;
  readonly #replayedWatermarks = new ReplayedWatermarks();
  /** The combined event-time watermark each input last delivered (watermarks are rare). */
  readonly #delivered: number[] = [];

  constructor(head: StreamOperator) {
    this.#head = head;
  }

  /**
   * A batch of input `input`. `combine` turns a watermark inside the batch into the combined
   * watermarks it changes (one closure per batch, not per record); batches without watermarks
   * take the fast path.
   */
  process(input: 0 | 1, batch: Batch, combine: (watermark: Watermark) => readonly Watermark[]): void {
    const head = this.#head;
    const { records, timestamps, count, watermarks } = batch;
    head.prefetchBatch?.(input, records, count);
    if (watermarks !== null) {
      this.#processInterleaved(input, batch, combine);
    } else if (input === 0) {
      for (let i = 0; i < count; i++)
        head.processRecord1(records[i], timestamps === null ? NO_TIMESTAMP : timestamps[i]!);
    } else {
      for (let i = 0; i < count; i++)
        head.processRecord2(records[i], timestamps === null ? NO_TIMESTAMP : timestamps[i]!);
    }
  }

  /** A batch of replayed in-flight data: its watermarks count as delivered for the invariant. */
  processReplayed(item: ReplayItem): void {
    const input = item.input;
    this.process(input, item.batch, (watermark) => {
      const combined = item.onWatermark(watermark);
      for (const w of combined) this.#replayedWatermarks.note(input, w);
      return combined;
    });
  }

  /** Hands a combined input watermark to the head operator, noting event time for metrics. */
  deliverWatermark(input: 0 | 1, watermark: Watermark): void {
    if (this.#replayedWatermarks.behind(input, watermark)) return;
    if (EventTimeExtension.isEventTimeWatermark(watermark))
      this.#delivered[input] = watermark.value as number;
    this.#head.processWatermark(input, watermark);
  }

  /** The lowest event-time watermark over `inputs` (Flink's currentInputWatermark); null until each delivered one. */
  lowestDelivered(inputs: readonly (0 | 1)[]): number | null {
    if (inputs.length === 0) return null;
    let lowest = Number.POSITIVE_INFINITY;
    for (const input of inputs) {
      const delivered = this.#delivered[input];
      if (delivered === undefined) return null;
      if (delivered < lowest) lowest = delivered;
    }
    return lowest;
  }

  /** The slow path: records interleaved with the watermarks placed between them. */
  #processInterleaved(
    input: 0 | 1,
    batch: Batch,
    combine: (watermark: Watermark) => readonly Watermark[],
  ): void {
    const head = this.#head;
    const { records, timestamps, count, watermarks } = batch;
    let w = 0;
    for (let i = 0; i <= count; i++) {
      while (watermarks !== null && w < watermarks.length && watermarks[w]!.index === i) {
        for (const combined of combine(watermarks[w]!.watermark)) this.deliverWatermark(input, combined);
        w++;
      }
      if (i === count) break;
      const timestamp = timestamps === null ? NO_TIMESTAMP : timestamps[i]!;
      if (input === 0) head.processRecord1(records[i], timestamp);
      else head.processRecord2(records[i], timestamp);
    }
  }
}
