/**
 * Spec of the MATCH_RECOGNIZE operator (Flink's StreamExecMatch over its CepOperator): the contract
 * between the planner's translation and `match-recognize-function.ts`.
 *
 * Invariants, which the planner checks before building a spec (with Flink's messages):
 * - the pattern is a sequence of distinct variables, each with a quantifier `min..max` (`max` null
 *   for unbounded); at least one element has `min > 0` (no empty matches); the last element is not
 *   greedy; `greedy` is set only where Flink sets it (a looping quantifier written without a
 *   trailing `?`; never for `?` or `{n}`);
 * - expressions (DEFINE conditions, measures) are compiled over a "match row": the base row
 *   (DEFINE: the row being tested; MEASURES: the match's last row) followed by one value per
 *   {@link NavigationSpec}, which the operator computes from the rows matched so far;
 * - times are epoch milliseconds, as the time attribute values (see `../../data/values.ts`).
 *
 * Worked example, `PATTERN (A B+? C) DEFINE B AS B.price < PREV(B.price)` over rows `[sym, price, ts]`:
 * `pattern: [{A,1,1,false}, {B,1,null,false}, {C,1,1,false}]`, `conditions: [null, {navigations:
 * [prev(B, 1, $1)], test: row => row[1] < row[3]}, null]` — the condition reads the row's own
 * price (`$1`) and the navigation's value (`$3`, right after the 3 input fields).
 * @module
 */

import type { Row } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import type { AggregateImplementation } from "../../functions/function-definition.ts";
import type { StatefulOptions } from "../operator-specs.ts";
import type { WindowTimeKind } from "../window/window-specs.ts";

/** One variable of the pattern with its quantifier: `B+?` is `{ variable: "B", min: 1, max: null, greedy: false }`. */
export interface PatternElement {
  readonly variable: string;
  readonly min: number;
  /** Null: unbounded (`*`, `+`, `{n,}`). */
  readonly max: number | null;
  /** Greedy loops never give a row up to the next element (Flink's CEP does not backtrack). */
  readonly greedy: boolean;
}

/** `AFTER MATCH SKIP …`: where matching resumes after a match. */
export type SkipStrategy =
  | { readonly kind: "past-last-row" }
  | { readonly kind: "to-next-row" }
  | { readonly kind: "to-first"; readonly variable: string }
  | { readonly kind: "to-last"; readonly variable: string };

/**
 * A value read from the match rather than from the base row. `variable` null means every row of
 * the match (an unqualified column); otherwise the rows mapped to that variable.
 * - `first`/`last`: the `offset`-th row from the start/end of those rows (`LAST(A.x, 1)`), NULL
 *   when there is no such row;
 * - `prev`: `offset` rows back from the variable's last row, counting every row of the match up to
 *   it (Flink's PREV, a physical offset within the match);
 * - `aggregate`: an aggregate over those rows, each contributing `operands(row)`;
 * - `match-rowtime`: the time of the match's last row; `match-proctime`: the operator's clock.
 */
export type NavigationSpec =
  | {
      readonly kind: "first" | "last" | "prev";
      readonly variable: string | null;
      readonly offset: number;
      readonly value: (row: Row) => SqlValue;
    }
  | {
      readonly kind: "aggregate";
      readonly variable: string | null;
      readonly implementation: AggregateImplementation<unknown>;
      readonly operands: (row: Row) => Row;
    }
  | { readonly kind: "match-rowtime" }
  | { readonly kind: "match-proctime" };

/** An expression over the match row (base row, then one value per navigation). */
export interface MatchExpression {
  readonly navigations: readonly NavigationSpec[];
  readonly evaluate: (matchRow: Row) => SqlValue;
}

/**
 * MATCH_RECOGNIZE over an insert-only input keyed by `partitionKey`, ONE ROW PER MATCH. Output row:
 * the partition key values, then one field per measure; insert-only. Event time: rows wait until
 * the watermark passes their time, then are matched in (time, `compareRows`) order; rows not later
 * than the watermark on arrival are dropped (late). Processing time: rows are matched on arrival.
 * `withinMs`: a partial match is discarded once (time − its first row's time) ≥ withinMs.
 * `stateTtlMs` is not applied: Flink's MATCH_RECOGNIZE ignores the state retention time too (its
 * documentation points to WITHIN for bounding state).
 */
export interface MatchRecognizeSpec extends StatefulOptions {
  readonly partitionKey: readonly number[];
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  /** The ORDER BY keys after the time attribute; null when there are none. */
  readonly compareRows: ((a: Row, b: Row) => number) | null;
  readonly pattern: readonly PatternElement[];
  /** Per pattern element: its DEFINE condition, or null (always true). */
  readonly conditions: readonly (MatchExpression | null)[];
  readonly measures: readonly MatchExpression[];
  readonly skip: SkipStrategy;
  readonly withinMs: number | null;
  /** Number of input fields: navigation values start at this index of the match row. */
  readonly inputWidth: number;
}
