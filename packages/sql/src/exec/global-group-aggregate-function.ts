/**
 * The global phase of a two-phase group aggregation: keyed by the group key of the partial rows
 * (`partialKeyIndices(spec)`), it merges each partial from `LocalGroupAggregateFunction` into the
 * group's accumulators and emits the group's change as `GroupAggregateFunction` does (as in Flink, an
 * unchanged result is not re-sent even with a state TTL).
 *
 * Invariants: the group lives while its merged row count is positive; a partial that brings it to
 * 0 deletes the group's result (-D of the last emitted row) and clears its state; a partial for an
 * unknown group whose count is not positive (only retractions) is dropped. Example, COUNT(*) per k:
 * ```text
 * partial [a, 2, acc(2)] -> +I[a, 2]
 * partial [a, 1, acc(1)] -> -U[a, 2] +U[a, 3]
 * partial [a, -3, acc(-3)] -> -D[a, 3]
 * ```
 * @module
 */

import {
  type Collector,
  type NonPartitionedContext,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import type { RowData } from "../data/row.ts";
import { emitEmptyGlobalResult, type GroupAccumulators, GroupAggregates } from "./group-accumulators.ts";
import { requireFullRetractions } from "./input-mode.ts";
import type { GroupAggregateSpec } from "./operator-specs.ts";
import { stateOptions } from "./state-ttl.ts";

export class GlobalGroupAggregateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #aggregates: GroupAggregates;
  readonly #groupState: ValueStateDeclaration<GroupAccumulators>;
  readonly #keyIndices: readonly number[];
  readonly #emitOptions: { readonly generateUpdateBefore: boolean; readonly alwaysEmit: boolean };

  constructor(spec: GroupAggregateSpec) {
    requireFullRetractions(spec.inputMode, "GlobalGroupAggregate");
    this.#aggregates = new GroupAggregates(spec.calls, {
      retract: spec.inputMode.kind !== "insert-only",
      merge: true,
    });
    this.#keyIndices = spec.groupKey.map((_, i) => i);
    // No TTL without a group key: the aggregation may then run on a non-keyed global stream.
    const ttlMs = spec.groupKey.length === 0 ? 0 : spec.stateTtlMs;
    this.#groupState = StateDeclarations.value<GroupAccumulators>("global-aggregate", stateOptions(ttlMs));
    // As Flink's global aggregation: an unchanged result is never re-sent, TTL or not.
    this.#emitOptions = { generateUpdateBefore: spec.generateUpdateBefore, alwaysEmit: false };
  }

  usesStates(): readonly StateDeclaration[] {
    return [this.#groupState];
  }

  /** BATCH mode: a global aggregation over no rows still gives its one row (see the helper). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#keyIndices.length === 0)
      emitEmptyGlobalResult(this.#aggregates, this.#groupState, ctx, () => {});
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const fields = record.fields;
    const k = this.#keyIndices.length;
    const partialRows = fields[k] as unknown as number;
    const state = ctx.stateManager.getState(this.#groupState);
    let group = state.value();
    if (group === undefined) {
      if (partialRows <= 0) return;
      group = this.#aggregates.create();
    }
    this.#aggregates.merge(group, partialRows, fields.slice(k + 1) as unknown[]);
    if (this.#aggregates.emitChange(group, fields, this.#keyIndices, output, this.#emitOptions)) {
      state.update(group);
    } else {
      state.clear();
    }
  }
}
