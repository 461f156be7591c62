/**
 * The accumulators of one group of a group aggregation, and the change a group's new result makes
 * to the output changelog. Shared by the plain, mini-batch, local and global group aggregations so
 * that all four fold rows and emit results identically.
 *
 * Invariants:
 * - `rows` counts the group's rows (inserts minus retractions, Flink's record counter); the group
 *   exists while it is positive. When it reaches 0 the group's result is deleted.
 * - A DISTINCT call keeps, per group, a count per distinct operand tuple; the call's accumulator
 *   sees a value when its count goes 0 → 1 and gives it back (retract) on 1 → 0, so retraction is
 *   exact whatever the order of updates.
 * - A FILTER call only sees rows whose filter field is TRUE (NULL counts as false).
 * - `emitted` is the last row sent for the group; a retraction (-U/-D) always re-sends that very
 *   row, as the changelog contract asks.
 *
 * Worked sequence for `SELECT k, COUNT(*), SUM(v) … GROUP BY k` (generateUpdateBefore = true):
 * ```text
 * +I[a, 1]  -> rows 1, emitted none    -> +I[a, 1, 1]
 * +I[a, 0]  -> rows 2, values (2, 1)   -> -U[a, 1, 1] +U[a, 2, 1]
 * -D[a, 1]  -> rows 1, values (1, 0)   -> -U[a, 2, 1] +U[a, 1, 0]
 * -D[a, 0]  -> rows 0                  -> -D[a, 1, 0], state cleared
 * ```
 * @module
 */

import {
  type Collector,
  ExecutionMode,
  type NonPartitionedContext,
  type PartitionedContext,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import type { AggregateImplementation } from "../functions/function-definition.ts";
import type { AggregateCallSpec } from "./operator-specs.ts";
import { operandsMapKey } from "./row-key.ts";
import { sqlValuesEqual } from "./value-equality.ts";

/** What keyed state holds per group: plain data, so snapshots and restores keep it whole. */
export interface GroupAccumulators {
  rows: number;
  accs: unknown[];
  /** Per call: operand tuple → count for DISTINCT calls, null for the others. */
  distinct: (Map<unknown, number> | null)[];
  /** The row last emitted for this group; null when nothing is out (new group). */
  emitted: Row | null;
}

/** Thrown when an aggregation is set up in a way it cannot run; says which call and why. */
export class AggregateSetupError extends Error {
  override readonly name = "AggregateSetupError";
}

interface PreparedCall {
  readonly implementation: AggregateImplementation<unknown>;
  readonly args: readonly number[];
  readonly distinct: boolean;
  readonly filterArg: number | null;
  readonly display: string;
  /** Reused for every row: implementations read operands during the call only. */
  readonly operands: SqlValue[];
}

export class GroupAggregates {
  readonly #calls: readonly PreparedCall[];
  readonly #hasDistinct: boolean;

  /**
   * `needs.retract`: the input is updating, so every call must be able to take rows back.
   * `needs.merge`: partial accumulators are merged (two-phase aggregation).
   */
  constructor(
    calls: readonly AggregateCallSpec[],
    needs: { readonly retract: boolean; readonly merge: boolean },
  ) {
    this.#calls = calls.map((call) => {
      const { implementation } = call;
      if (needs.retract && implementation.retract === undefined) {
        throw new AggregateSetupError(
          `${call.display} cannot consume an updating input: the aggregate function has no retract method`,
        );
      }
      if (needs.merge && implementation.merge === undefined) {
        throw new AggregateSetupError(
          `${call.display} cannot run as a two-phase (local-global) aggregation: the aggregate function has no merge method`,
        );
      }
      if (needs.merge && call.distinct) {
        throw new AggregateSetupError(
          `${call.display} cannot run as a two-phase (local-global) aggregation: DISTINCT aggregates need the whole group in one place`,
        );
      }
      return {
        implementation,
        args: [...call.args],
        distinct: call.distinct,
        filterArg: call.filterArg,
        display: call.display,
        operands: new Array<SqlValue>(call.args.length).fill(null),
      };
    });
    this.#hasDistinct = this.#calls.some((call) => call.distinct);
  }

  get callCount(): number {
    return this.#calls.length;
  }

  /** Fresh accumulators of an empty group. */
  create(emitted: Row | null = null): GroupAccumulators {
    const calls = this.#calls;
    const accs = new Array<unknown>(calls.length);
    for (let i = 0; i < calls.length; i++) accs[i] = calls[i]!.implementation.createAccumulator();
    const distinct = this.#hasDistinct
      ? calls.map((call) => (call.distinct ? new Map<unknown, number>() : null))
      : [];
    return { rows: 0, accs, distinct, emitted };
  }

  /** Folds one input row in (`accumulate` true for +I/+U) or takes it back (-U/-D). */
  apply(group: GroupAccumulators, fields: Row, accumulate: boolean): void {
    const calls = this.#calls;
    const accs = group.accs;
    for (let c = 0; c < calls.length; c++) {
      const call = calls[c]!;
      if (call.filterArg !== null && fields[call.filterArg] !== true) continue;
      const operands = call.operands;
      const args = call.args;
      for (let a = 0; a < args.length; a++) operands[a] = fields[args[a]!] ?? null;
      if (call.distinct) {
        const seen = group.distinct[c]!;
        const key = operandsMapKey(operands);
        const count = seen.get(key) ?? 0;
        if (accumulate) {
          seen.set(key, count + 1);
          if (count !== 0) continue;
        } else {
          if (count <= 0) continue;
          if (count === 1) seen.delete(key);
          else seen.set(key, count - 1);
          if (count !== 1) continue;
        }
      }
      if (accumulate) accs[c] = call.implementation.accumulate(accs[c], operands);
      else accs[c] = this.#retract(call, accs[c], operands);
    }
    group.rows += accumulate ? 1 : -1;
  }

  #retract(call: PreparedCall, acc: unknown, operands: readonly SqlValue[]): unknown {
    const retract = call.implementation.retract;
    if (retract === undefined) {
      throw new AggregateSetupError(
        `${call.display} received a retraction, but the aggregation was planned for an insert-only input and the function has no retract method`,
      );
    }
    return retract(acc, operands);
  }

  /** Merges partial accumulators (from a local aggregation) into `group`. */
  merge(group: GroupAccumulators, partialRows: number, partialAccs: readonly unknown[]): void {
    const calls = this.#calls;
    for (let c = 0; c < calls.length; c++) {
      group.accs[c] = calls[c]!.implementation.merge!(group.accs[c], partialAccs[c]);
    }
    group.rows += partialRows;
  }

  /** The group's output row: key fields (taken from `keySource`, an input row) then each result. */
  resultRow(group: GroupAccumulators, keySource: Row, keyFromIndices: readonly number[]): Row {
    const k = keyFromIndices.length;
    const calls = this.#calls;
    const row = new Array<SqlValue>(k + calls.length);
    for (let i = 0; i < k; i++) row[i] = keySource[keyFromIndices[i]!] ?? null;
    for (let c = 0; c < calls.length; c++) row[k + c] = calls[c]!.implementation.getValue(group.accs[c]);
    return row;
  }

  /**
   * Emits the change of the group's result and says whether the group lives on (false: the caller
   * clears its state). Nothing is emitted when the result did not change, unless `alwaysEmit`
   * (a state TTL is on: as in Flink, downstream state is then refreshed by every update).
   */
  emitChange(
    group: GroupAccumulators,
    keySource: Row,
    keyFromIndices: readonly number[],
    output: Collector<RowData>,
    options: { readonly generateUpdateBefore: boolean; readonly alwaysEmit: boolean },
  ): boolean {
    const previous = group.emitted;
    if (group.rows <= 0) {
      if (previous !== null) output.collect({ kind: RowKind.DELETE, fields: previous });
      return false;
    }
    const row = this.resultRow(group, keySource, keyFromIndices);
    if (previous === null) {
      output.collect({ kind: RowKind.INSERT, fields: row });
    } else {
      if (!options.alwaysEmit && resultsEqual(previous, row, keyFromIndices.length)) return true;
      if (options.generateUpdateBefore) output.collect({ kind: RowKind.UPDATE_BEFORE, fields: previous });
      output.collect({ kind: RowKind.UPDATE_AFTER, fields: row });
    }
    group.emitted = row;
    return true;
  }
}

/**
 * At the end of a BATCH input, the one row of a global aggregation (no group key) that saw no rows
 * (`COUNT(*) = 0`, `SUM(x) = NULL`), as Flink's batch mode gives; streaming mode gives nothing.
 * `foldPending` runs first for each partition (a mini-batch still buffered). Only a non-keyed
 * function can emit it: a keyed one without any key is never visited.
 */
export function emitEmptyGlobalResult(
  aggregates: GroupAggregates,
  groupState: ValueStateDeclaration<GroupAccumulators>,
  ctx: NonPartitionedContext<RowData>,
  foldPending: (output: Collector<RowData>, partition: PartitionedContext<RowData>) => void,
): void {
  let groups = 0;
  ctx.applyToAllPartitions((output, partition) => {
    foldPending(output, partition);
    if (partition.stateManager.getState(groupState).value() !== undefined) groups++;
  });
  if (groups > 0 || ctx.jobInfo.executionMode !== ExecutionMode.BATCH) return;
  const fields = aggregates.resultRow(aggregates.create(), [], []);
  ctx.applyToAllPartitions((output) => output.collect({ kind: RowKind.INSERT, fields }));
}

/** Key fields are equal within a group by construction; only the results are compared. */
function resultsEqual(previous: Row, next: Row, from: number): boolean {
  for (let i = from; i < next.length; i++) if (!sqlValuesEqual(previous[i]!, next[i]!)) return false;
  return true;
}
