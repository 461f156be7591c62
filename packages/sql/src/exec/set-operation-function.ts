/**
 * Set operations on whole rows: UNION (distinct), INTERSECT [ALL], EXCEPT [ALL]. Both inputs are
 * keyed by the full row; per row, value state counts its copies in the left and right input, and
 * the output holds the row as many times as the operation says:
 * ```text
 * UNION          min(1, L + R)         (UNION ALL: L + R)
 * INTERSECT      min(1, L, R)          INTERSECT ALL   min(L, R)
 * EXCEPT         L > 0 && R = 0 ? 1:0  EXCEPT ALL      max(L - R, 0)
 * ```
 * Invariant: after every input row, the output changelog materializes to exactly that many copies
 * of each row; a change of n copies is n inserts (+I) or n deletes (-D) of the row. Example for
 * EXCEPT: `L +I[x] -> +I[x]`, `R +I[x] -> -D[x]`, `R -D[x] -> +I[x]`.
 * @module
 */

import {
  type Collector,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type TwoInputNonBroadcastStreamProcessFunction,
  type ValueStateDeclaration,
} from "@weir/api";
import { isAccumulate, type RowData, RowKind } from "../data/row.ts";
import type { SetOperationSpec } from "./operator-specs.ts";
import { stateOptions } from "./state-ttl.ts";

/** Copies of the row in the left and right input. */
type Counts = [left: number, right: number];

export class SetOperationFunction
  implements TwoInputNonBroadcastStreamProcessFunction<RowData, RowData, RowData>
{
  readonly #multiplicity: (left: number, right: number) => number;
  readonly #counts: ValueStateDeclaration<Counts>;

  constructor(spec: SetOperationSpec) {
    this.#multiplicity = multiplicityOf(spec);
    this.#counts = StateDeclarations.value<Counts>("set-operation-counts", stateOptions(spec.stateTtlMs));
  }

  usesStates(): readonly StateDeclaration[] {
    return [this.#counts];
  }

  processRecordFromFirstInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#process(record, 0, output, ctx);
  }

  processRecordFromSecondInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#process(record, 1, output, ctx);
  }

  #process(record: RowData, side: 0 | 1, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#counts);
    const counts = state.value() ?? [0, 0];
    const before = this.#multiplicity(counts[0], counts[1]);
    const next: Counts = [counts[0], counts[1]];
    // A retraction of a row that is not there changes nothing (counts never go below 0).
    next[side] = Math.max(0, next[side] + (isAccumulate(record.kind) ? 1 : -1));
    const after = this.#multiplicity(next[0], next[1]);
    if (next[0] === 0 && next[1] === 0) state.clear();
    else state.update(next);
    const kind = after > before ? RowKind.INSERT : RowKind.DELETE;
    for (let i = Math.abs(after - before); i > 0; i--) output.collect({ kind, fields: record.fields });
  }
}

function multiplicityOf(spec: SetOperationSpec): (left: number, right: number) => number {
  switch (spec.operation) {
    case "UNION":
      return spec.all ? (l, r) => l + r : (l, r) => (l + r > 0 ? 1 : 0);
    case "INTERSECT":
      return spec.all ? (l, r) => Math.min(l, r) : (l, r) => (l > 0 && r > 0 ? 1 : 0);
    case "EXCEPT":
      return spec.all ? (l, r) => Math.max(l - r, 0) : (l, r) => (l > 0 && r === 0 ? 1 : 0);
  }
}
