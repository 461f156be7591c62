/**
 * Evaluation of DEFINE conditions and MEASURES over a (partial) match: computes each navigation
 * value (FIRST, LAST, PREV, aggregates over a variable's rows, MATCH_ROWTIME, MATCH_PROCTIME) from
 * the matched rows, appends them to the base row and runs the compiled expression on it.
 *
 * Invariants: in a DEFINE condition the row under test counts as already mapped to the variable
 * being defined (so `LAST(A.x, 0)` in A's condition is the row's own x, and `LAST(A.x, 1)` the A row
 * before it), as in Flink; a navigation past the matched rows gives NULL; a condition that is NULL
 * is false. Measures see the whole match (FINAL semantics, which is what ONE ROW PER MATCH gives).
 *
 * Example: match `[A(x=1), B(x=5), B(x=3)]`, measure `LAST(B.x, 1) - FIRST(A.x)` with navigations
 * `[last(B, 1, $x), first(A, 0, $x)]` evaluates `[...lastRow, 5, 1]` → 4.
 * @module
 */

import type { Row } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import type { MatchExpression, NavigationSpec, PatternElement } from "./match-specs.ts";
import type { BufferNode } from "./nfa.ts";

/** The rows seen by an evaluation: `matched` (oldest first), then optionally `extra` as `extraElement`. */
interface MatchView {
  readonly matched: readonly BufferNode[];
  readonly extra: Row | null;
  readonly extraElement: number;
}

export class MatchEvaluator {
  readonly #elementOf: ReadonlyMap<string, number>;
  readonly #timeIndex: number;

  constructor(pattern: readonly PatternElement[], timeIndex: number) {
    this.#elementOf = new Map(pattern.map((e, i) => [e.variable, i]));
    this.#timeIndex = timeIndex;
  }

  /** True when `row`, taken as `element`, satisfies `condition` after the rows `matched`. */
  test(
    condition: MatchExpression,
    element: number,
    row: Row,
    matched: readonly BufferNode[],
    now: number,
  ): boolean {
    const view: MatchView = { matched, extra: row, extraElement: element };
    return condition.evaluate(this.#matchRow(condition, row, view, now)) === true;
  }

  /** The value of a measure over a completed match. */
  measure(measure: MatchExpression, match: readonly BufferNode[], now: number): SqlValue {
    const view: MatchView = { matched: match, extra: null, extraElement: -1 };
    return measure.evaluate(this.#matchRow(measure, match[match.length - 1]!.event.row, view, now));
  }

  /** Per expression, the match row reused for every evaluation (compiled code reads it synchronously). */
  readonly #scratch = new WeakMap<MatchExpression, SqlValue[]>();

  #matchRow(expression: MatchExpression, base: Row, view: MatchView, now: number): Row {
    const navigations = expression.navigations;
    if (navigations.length === 0) return base;
    const width = base.length;
    let row = this.#scratch.get(expression);
    if (row === undefined || row.length !== width + navigations.length) {
      row = new Array<SqlValue>(width + navigations.length);
      this.#scratch.set(expression, row);
    }
    for (let i = 0; i < width; i++) row[i] = base[i] ?? null;
    for (let n = 0; n < navigations.length; n++) row[width + n] = this.#navigate(navigations[n]!, view, now);
    return row;
  }

  #element(variable: string | null): number {
    return variable === null ? -1 : (this.#elementOf.get(variable) ?? -2);
  }

  #navigate(nav: NavigationSpec, view: MatchView, now: number): SqlValue {
    switch (nav.kind) {
      case "last": {
        const row = fromEnd(view, nav.offset, (e) => this.#matches(nav.variable, e));
        return row === null ? null : nav.value(row);
      }
      case "prev": {
        const limit = this.#element(nav.variable);
        const row = fromEnd(view, nav.offset, (e) => limit === -1 || e <= limit);
        return row === null ? null : nav.value(row);
      }
      case "first": {
        let seen = 0;
        for (const node of view.matched) {
          if (this.#matches(nav.variable, node.element) && seen++ === nav.offset)
            return nav.value(node.event.row);
        }
        if (view.extra !== null && this.#matches(nav.variable, view.extraElement) && seen === nav.offset)
          return nav.value(view.extra);
        return null;
      }
      case "aggregate": {
        const { implementation } = nav;
        let acc = implementation.createAccumulator();
        for (const node of view.matched) {
          if (this.#matches(nav.variable, node.element))
            acc = implementation.accumulate(acc, nav.operands(node.event.row));
        }
        if (view.extra !== null && this.#matches(nav.variable, view.extraElement))
          acc = implementation.accumulate(acc, nav.operands(view.extra));
        return implementation.getValue(acc);
      }
      case "match-rowtime": {
        const last = view.extra ?? view.matched[view.matched.length - 1]?.event.row;
        return last === undefined ? null : (last[this.#timeIndex] ?? null);
      }
      case "match-proctime":
        return now;
    }
  }

  #matches(variable: string | null, element: number): boolean {
    return variable === null || this.#element(variable) === element;
  }
}

/** The `offset`-th row from the end among those whose element passes `keep`, or null. */
function fromEnd(view: MatchView, offset: number, keep: (element: number) => boolean): Row | null {
  let seen = 0;
  if (view.extra !== null && keep(view.extraElement)) {
    if (seen++ === offset) return view.extra;
  }
  const { matched } = view;
  for (let i = matched.length - 1; i >= 0; i--) {
    const node = matched[i]!;
    if (keep(node.element) && seen++ === offset) return node.event.row;
  }
  return null;
}
