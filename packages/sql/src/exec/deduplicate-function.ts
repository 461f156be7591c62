/**
 * Deduplication: `ROW_NUMBER() OVER (PARTITION BY k ORDER BY time [DESC]) = 1`, keyed by k. Keeps
 * one row per key in value state.
 *
 * Invariants (Flink's deduplicate functions):
 * - Keep first, processing time: the first row per key is emitted (+I); later rows are dropped, so
 *   the output is insert-only.
 * - Keep last, processing time: every row replaces the kept one: +I for the first, then -U old,
 *   +U new (only +U when the consumer takes upserts); a row identical to the kept one changes
 *   nothing and is dropped (re-sent when a state TTL is on, to refresh downstream state).
 * - By event time (`rowtimeIndex`): keep first replaces the kept row only with a strictly earlier
 *   rowtime, keep last with an equal or later one; a replacement is emitted as -U/+U as above.
 * Example, keep last by rowtime (field 1):
 * ```text
 * +I[a, 10] -> +I[a, 10]     +I[a, 5] -> (older: dropped)     +I[a, 12] -> -U[a, 10] +U[a, 12]
 * ```
 * The input must be insert-only (Flink's rule): any other row kind fails the operator.
 * @module
 */

import {
  type Collector,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import { ROW_KIND_SHORT, type Row, type RowData, RowKind } from "../data/row.ts";
import type { DeduplicateSpec } from "./operator-specs.ts";
import { stateOptions } from "./state-ttl.ts";
import { rowsEqual } from "./value-equality.ts";

export class DeduplicateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: DeduplicateSpec;
  readonly #kept: ValueStateDeclaration<Row>;
  readonly #resendDuplicates: boolean;

  constructor(spec: DeduplicateSpec) {
    this.#spec = spec;
    this.#resendDuplicates = spec.stateTtlMs > 0;
    this.#kept = StateDeclarations.value<Row>("deduplicate-kept-row", stateOptions(spec.stateTtlMs));
  }

  usesStates(): readonly StateDeclaration[] {
    return [this.#kept];
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new RangeError(
        `Deduplicate expects an insert-only input, got a ${ROW_KIND_SHORT[record.kind]} row; the planner must not deduplicate an updating stream`,
      );
    }
    const state = ctx.stateManager.getState(this.#kept);
    const previous = state.value();
    const row = record.fields;
    if (previous !== undefined && !this.#replaces(previous, row)) return;
    // An identical replacement changes nothing downstream; with a TTL it is sent to refresh state.
    if (previous !== undefined && !this.#resendDuplicates && rowsEqual(previous, row)) return;
    state.update(row);
    if (previous === undefined) {
      output.collect({ kind: RowKind.INSERT, fields: row });
      return;
    }
    if (this.#spec.generateUpdateBefore) output.collect({ kind: RowKind.UPDATE_BEFORE, fields: previous });
    output.collect({ kind: RowKind.UPDATE_AFTER, fields: row });
  }

  #replaces(previous: Row, row: Row): boolean {
    const { keepLastRow, rowtimeIndex } = this.#spec;
    if (rowtimeIndex === null) return keepLastRow;
    const before = previous[rowtimeIndex] as number;
    const now = row[rowtimeIndex] as number;
    return keepLastRow ? now >= before : now < before;
  }
}
