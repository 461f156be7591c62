/**
 * A batch: the unit that crosses task boundaries. Records travel in batches of hundreds to
 * thousands, never one by one (DESIGN.md §4 "Exchange"), with an optional parallel column of
 * timestamps.
 *
 * Contract: once handed to a channel, a batch belongs to the receiver; the sender allocates a new
 * one. Records themselves are not copied on same-thread channels, so operators must not mutate a
 * record after emitting it (the same rule as Flink's object reuse).
 * @module
 */

import type { Watermark } from "@weir/api";

/** Timestamp of a record that has none (e.g. from a collection source). */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;

/**
 * A watermark placed between records of a batch: it comes after record `index - 1` and before
 * record `index` (`index === count` puts it after the last record). Carrying watermarks inside the
 * batch keeps them in order with the records without cutting batches short.
 */
export interface BatchWatermark {
  readonly index: number;
  readonly watermark: Watermark;
}

export interface Batch {
  readonly records: unknown[];
  /** `null` when no record of the batch has a timestamp. */
  readonly timestamps: Float64Array | null;
  readonly count: number;
  /** Watermarks between the records, in order; `null` when there are none. */
  readonly watermarks: BatchWatermark[] | null;
}
