/**
 * ChangelogNormalize: turns an upsert stream (e.g. a primary-keyed source: +I/+U/-D by key, -D
 * possibly carrying only the key) into a retract stream, keyed by the upsert key, by keeping the
 * last row per key in value state.
 *
 * Invariants (Flink's ChangelogNormalize):
 * - +I/+U for a new key → +I; for a known key → -U old, +U new (only +U when the consumer takes
 *   upserts); an identical row is dropped (no state TTL: with one, it is re-sent to refresh
 *   downstream state).
 * - -D/-U for a known key → -D of the full kept row, whatever fields the -D carried; for an unknown
 *   key → dropped.
 * Example: `+I[1, a] -> +I[1, a]`, `+U[1, b] -> -U[1, a] +U[1, b]`, `-D[1, null] -> -D[1, b]`.
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
import { isAccumulate, type Row, type RowData, RowKind } from "../data/row.ts";
import type { ChangelogNormalizeSpec } from "./operator-specs.ts";
import { stateOptions } from "./state-ttl.ts";
import { rowsEqual } from "./value-equality.ts";

export class ChangelogNormalizeFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #generateUpdateBefore: boolean;
  readonly #dropDuplicates: boolean;
  readonly #last: ValueStateDeclaration<Row>;

  constructor(spec: ChangelogNormalizeSpec) {
    this.#generateUpdateBefore = spec.generateUpdateBefore;
    this.#dropDuplicates = spec.stateTtlMs === 0;
    this.#last = StateDeclarations.value<Row>("changelog-normalize-last-row", stateOptions(spec.stateTtlMs));
  }

  usesStates(): readonly StateDeclaration[] {
    return [this.#last];
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#last);
    const previous = state.value();
    if (!isAccumulate(record.kind)) {
      if (previous === undefined) return;
      state.clear();
      output.collect({ kind: RowKind.DELETE, fields: previous });
      return;
    }
    const row = record.fields;
    if (previous === undefined) {
      state.update(row);
      output.collect({ kind: RowKind.INSERT, fields: row });
      return;
    }
    if (this.#dropDuplicates && rowsEqual(previous, row)) return;
    state.update(row);
    if (this.#generateUpdateBefore) output.collect({ kind: RowKind.UPDATE_BEFORE, fields: previous });
    output.collect({ kind: RowKind.UPDATE_AFTER, fields: row });
  }
}
