/**
 * The in-flight data a restored task processes before any new input (the restore side of
 * unaligned checkpoints; contract in `channel-state.ts`). Each old channel is a virtual channel of
 * its edge: batches come out one at a time, channel after channel, and watermarks inside them are
 * combined over the edge's virtual channels, as the edge's gate combines its real channels.
 *
 * Invariant: a watermark leaves the replay only once every virtual channel of its edge has passed
 * it (combination as declared), so replay never moves event time past what the original run had
 * reached for the records that follow; {@link ReplayedWatermarks} then keeps the real channels,
 * which restart from scratch, from moving it back.
 * @module
 */

import type { Watermark, WatermarkDeclaration } from "@weir/api";
import { decodeBatch } from "../codec/batch-codec.ts";
import type { Batch } from "../exchange/batch.ts";
import type { InFlightBatch, ReplayedEdge } from "../exchange/channel-state.ts";
import { WatermarkCombination } from "../watermark/watermark-combination.ts";

/** One replayed batch with the edge's combination, for the task's watermark path. */
export interface ReplayItem {
  readonly input: 0 | 1;
  readonly batch: Batch;
  /** Feeds a watermark of this batch to the edge's combination; returns combined changes. */
  readonly onWatermark: (watermark: Watermark) => Watermark[];
}

export class InFlightReplay {
  readonly #items: ({ edge: number; channel: number; batch: InFlightBatch; input: 0 | 1 } | undefined)[] = [];
  readonly #combinations = new Map<number, WatermarkCombination>();
  #next = 0;
  /** Records replayed so far. */
  records = 0;

  constructor(edges: readonly ReplayedEdge[], declarations: ReadonlyMap<string, WatermarkDeclaration>) {
    for (const edge of edges) {
      this.#combinations.set(edge.edge, new WatermarkCombination(declarations, edge.channels.length));
      edge.channels.forEach((batches, channel) => {
        for (const batch of batches) this.#items.push({ edge: edge.edge, channel, batch, input: edge.input });
      });
    }
  }

  get done(): boolean {
    return this.#next === this.#items.length;
  }

  /** The next batch, decoded; `undefined` once everything was replayed. */
  next(): ReplayItem | undefined {
    const item = this.#items[this.#next];
    if (item === undefined) return undefined;
    // Let the bytes go once decoded: replayed data can be large.
    this.#items[this.#next++] = undefined;
    const { records, timestamps } = decodeBatch(item.batch.bytes);
    this.records += records.length;
    const combination = this.#combinations.get(item.edge)!;
    const channel = item.channel;
    return {
      input: item.input,
      batch: {
        records,
        timestamps,
        count: records.length,
        watermarks: item.batch.watermarks === null ? null : [...item.batch.watermarks],
      },
      onWatermark: (watermark) => combination.update(channel, watermark),
    };
  }
}

/**
 * The highest numeric watermark replay delivered per input and identifier: a real channel's lower
 * one afterwards is dropped (real channels restart from nothing after a restore).
 */
export class ReplayedWatermarks {
  readonly #highest: Map<string, number>[] = [new Map(), new Map()];
  #any = false;

  note(input: 0 | 1, watermark: Watermark): void {
    if (typeof watermark.value !== "number") return;
    const seen = this.#highest[input]!.get(watermark.identifier);
    if (seen === undefined || watermark.value > seen)
      this.#highest[input]!.set(watermark.identifier, watermark.value);
    this.#any = true;
  }

  /** Whether `watermark` from a real channel would move `input` back behind replay. */
  behind(input: 0 | 1, watermark: Watermark): boolean {
    if (!this.#any || typeof watermark.value !== "number") return false;
    const seen = this.#highest[input]!.get(watermark.identifier);
    return seen !== undefined && watermark.value < seen;
  }
}
