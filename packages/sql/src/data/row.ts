/**
 * Rows and changelogs: the records that flow between SQL operators.
 *
 * A SQL stream is a changelog. Each record is a {@link RowData}: a row of positional field values
 * (see `values.ts`) and a {@link RowKind}. An insert-only stream carries only INSERT rows; an
 * updating stream carries the four kinds. Contract for a keyed updating stream in *retract* mode
 * (worked sequence for `SELECT k, COUNT(*) FROM t GROUP BY k` over inputs a, a, b):
 * ```text
 * +I[a, 1]            first row for key a
 * -U[a, 1] +U[a, 2]   update: the old row is retracted before the new one is sent, adjacent
 * +I[b, 1]
 * ```
 * In *upsert* mode (the consumer knows the upsert key) the `-U` rows are left out and `-D` may carry
 * only the key fields filled in. A retraction always equals, field by field, a row sent earlier on
 * the same stream; operators rely on that to find what to remove.
 * @module
 */

import type { SqlValue } from "./values.ts";

/** Positional field values of one row. */
export type Row = SqlValue[];

/** The kind of change a row describes. Numeric so that rows stay small on the wire. */
export const RowKind = {
  /** `+I`: a new row. */
  INSERT: 0,
  /** `-U`: the old content of an updated row; always followed by its `+U`. */
  UPDATE_BEFORE: 1,
  /** `+U`: the new content of an updated row. */
  UPDATE_AFTER: 2,
  /** `-D`: a row that no longer exists. */
  DELETE: 3,
} as const;
export type RowKind = (typeof RowKind)[keyof typeof RowKind];

/** How Flink prints each kind: `+I`, `-U`, `+U`, `-D`. */
export const ROW_KIND_SHORT: readonly string[] = ["+I", "-U", "+U", "-D"];

/** True for INSERT and UPDATE_AFTER: the row adds to the result. */
export function isAccumulate(kind: RowKind): boolean {
  return kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER;
}

/** One record of a SQL stream. `fields` is never mutated once emitted (operators copy). */
export interface RowData {
  readonly kind: RowKind;
  readonly fields: Row;
}

/**
 * The kinds a stream may carry, inferred by the planner per operator (Flink's ChangelogMode).
 * `insert-only`: only +I. `retract`: all four kinds, every -U followed by its +U. `upsert`: +I, +U
 * and -D keyed by `upsertKey` (field indices), no -U.
 */
export type ChangelogMode =
  | { readonly kind: "insert-only" }
  | { readonly kind: "retract" }
  | { readonly kind: "upsert"; readonly upsertKey: readonly number[] };

export const INSERT_ONLY: ChangelogMode = Object.freeze({ kind: "insert-only" });
export const RETRACT: ChangelogMode = Object.freeze({ kind: "retract" });

/** `[+I]`, `[+I,-U,+U,-D]`, `[+I,+U,-D]` as Flink's EXPLAIN prints `changelogMode=[...]`. */
export function formatChangelogMode(mode: ChangelogMode): string {
  switch (mode.kind) {
    case "insert-only":
      return "I";
    case "retract":
      return "I,UB,UA,D";
    case "upsert":
      return "I,UA,D";
  }
}
