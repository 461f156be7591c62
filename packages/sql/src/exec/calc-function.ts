/**
 * Calc: the stateless filter-then-project step of a SQL query (`SELECT f(x) FROM t WHERE p(x)`).
 *
 * Invariant: each input row yields at most one output row of the same kind, so a changelog stays a
 * changelog: a retraction of a row that passed the filter is projected exactly as its insert was
 * (compiled expressions are deterministic per row), and a retraction of a filtered-out row is
 * dropped like its insert. Example with `WHERE a > 1`, projection `[a * 10]`:
 * ```text
 * +I[2] -> +I[20]    +I[1] -> (nothing)    -U[2] -> -U[20]    +U[3] -> +U[30]
 * ```
 * @module
 */

import type { Collector, OneInputStreamProcessFunction, PartitionedContext } from "@weir/api";
import type { RowData } from "../data/row.ts";
import type { CalcSpec, RowPredicate, RowProjection } from "./operator-specs.ts";

export class CalcFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #condition: RowPredicate | null;
  readonly #projection: RowProjection | null;

  constructor(spec: CalcSpec) {
    this.#condition = spec.condition;
    this.#projection = spec.projection;
  }

  processRecord(record: RowData, output: Collector<RowData>, _ctx: PartitionedContext<RowData>): void {
    const condition = this.#condition;
    if (condition !== null && !condition(record.fields)) return;
    const projection = this.#projection;
    // Without a projection the record goes on as it is: rows are never mutated once emitted.
    output.collect(projection === null ? record : { kind: record.kind, fields: projection(record.fields) });
  }
}
