/**
 * The correlate operator: for each input row, the rows of a table function called on it, each
 * appended to the input row and emitted with the input row's kind. INNER drops input rows with no
 * function row (after the condition); LEFT emits them once with the function's columns NULL.
 *
 * Invariant: stateless and deterministic per row (given a deterministic function), so a
 * retraction yields exactly the rows its insert did, with the retraction's kind. Example with a
 * word-splitting function and LEFT:
 * ```text
 * +I[1, 'a b'] -> +I[1, 'a b', 'a'], +I[1, 'a b', 'b']
 * +I[2, '']    -> +I[2, '', NULL]
 * -D[1, 'a b'] -> -D[1, 'a b', 'a'], -D[1, 'a b', 'b']
 * ```
 * @module
 */

import type { Collector, OneInputStreamProcessFunction, PartitionedContext } from "@weir/api";
import type { Row, RowData } from "../../data/row.ts";
import { SqlRuntimeError } from "../../data/sql-runtime-error.ts";
import type { RowPredicate, RowProjection } from "../operator-specs.ts";

export interface CorrelateSpec {
  readonly joinType: "INNER" | "LEFT";
  /** The function's name, for errors. */
  readonly functionName: string;
  /** The function's operands computed from the input row. */
  readonly operands: RowProjection;
  /** Calls the function; each yielded row must have `functionArity` values. */
  readonly invoke: (operands: Row) => Iterable<Row>;
  readonly functionArity: number;
  /** Over the joined row (input fields then function columns); null keeps every row. */
  readonly condition: RowPredicate | null;
}

export class CorrelateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: CorrelateSpec;
  readonly #nulls: Row;

  constructor(spec: CorrelateSpec) {
    this.#spec = spec;
    this.#nulls = new Array(spec.functionArity).fill(null);
  }

  processRecord(record: RowData, output: Collector<RowData>, _ctx: PartitionedContext<RowData>): void {
    const spec = this.#spec;
    const fields = record.fields;
    let emitted = false;
    for (const row of spec.invoke(spec.operands(fields))) {
      if (row.length !== spec.functionArity) {
        throw new SqlRuntimeError(
          `Table function '${spec.functionName}' yielded a row of ${row.length} values, but it declares ${spec.functionArity} columns`,
        );
      }
      const joined = fields.concat(row);
      if (spec.condition !== null && !spec.condition(joined)) continue;
      output.collect({ kind: record.kind, fields: joined });
      emitted = true;
    }
    if (!emitted && spec.joinType === "LEFT") {
      output.collect({ kind: record.kind, fields: fields.concat(this.#nulls) });
    }
  }
}
