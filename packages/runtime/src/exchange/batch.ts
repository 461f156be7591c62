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

/** Timestamp of a record that has none (e.g. from a collection source). */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;

export interface Batch {
  readonly records: unknown[];
  /** `null` when no record of the batch has a timestamp. */
  readonly timestamps: Float64Array | null;
  readonly count: number;
}
