/**
 * The accumulators of two-phase window aggregation, DISTINCT calls included (as Flink's local
 * window aggregate, which ships a `DISTINCT(x)` view next to the accumulators): a plain call keeps
 * its function's accumulator and partials merge with the function's `merge`; a DISTINCT call keeps
 * the set of distinct operand tuples it saw, partials merge by set union, and the window's value is
 * the function folded over the union of its slices' sets — so a value two subtasks (or two slices)
 * both saw counts once, as in the one-phase aggregation.
 *
 * Invariants: accumulators are plain data (they live in keyed and list state, and travel in partial
 * rows); a FILTER call only sees rows whose filter field is TRUE; NULL operands reach the function,
 * which skips them as SQL aggregates do.
 *
 * Worked example, `COUNT(DISTINCT u)` over HOP 10 s / 5 s: slice 5 s saw {u1, u2} on subtask 0 and
 * {u2} on subtask 1 → slice 5 s holds {u1, u2}; slice 10 s holds {u2, u3}; window [0 s, 10 s) folds
 * {u1, u2, u3} → 3.
 * @module
 */

import type { Row } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { AggregateSetupError } from "../group-accumulators.ts";
import type { AggregateCallSpec } from "../operator-specs.ts";
import { operandsMapKey } from "../row-key.ts";

/** A DISTINCT call's accumulator: distinct key → operand tuple. */
type DistinctSet = Map<unknown, SqlValue[]>;

/** One (key, slice)'s partial: its row count and one accumulator (or distinct set) per call. */
export interface PartialAccumulators {
  rows: number;
  readonly accs: unknown[];
}

interface Call {
  readonly spec: AggregateCallSpec;
  readonly operands: SqlValue[];
}

export class WindowPartialAggregates {
  readonly #calls: readonly Call[];

  constructor(calls: readonly AggregateCallSpec[]) {
    this.#calls = calls.map((spec) => {
      if (!spec.distinct && spec.implementation.merge === undefined) {
        throw new AggregateSetupError(
          `${spec.display} cannot run as a two-phase (local-global) aggregation: the aggregate function has no merge method`,
        );
      }
      return { spec, operands: new Array<SqlValue>(spec.args.length).fill(null) };
    });
  }

  get callCount(): number {
    return this.#calls.length;
  }

  create(): PartialAccumulators {
    return {
      rows: 0,
      accs: this.#calls.map((call) =>
        call.spec.distinct ? (new Map() as DistinctSet) : call.spec.implementation.createAccumulator(),
      ),
    };
  }

  /** Folds one input row in (local phase). */
  apply(partial: PartialAccumulators, fields: Row): void {
    const calls = this.#calls;
    for (let c = 0; c < calls.length; c++) {
      const { spec, operands } = calls[c]!;
      if (spec.filterArg !== null && fields[spec.filterArg] !== true) continue;
      const args = spec.args;
      for (let a = 0; a < args.length; a++) operands[a] = fields[args[a]!] ?? null;
      if (spec.distinct) {
        const set = partial.accs[c] as DistinctSet;
        const key = operandsMapKey(operands);
        if (!set.has(key)) set.set(key, [...operands]);
      } else {
        partial.accs[c] = spec.implementation.accumulate(partial.accs[c], operands);
      }
    }
    partial.rows++;
  }

  /** The accumulators as a partial row carries them: a DISTINCT set becomes its operand tuples. */
  wire(partial: PartialAccumulators, call: number): unknown {
    const acc = partial.accs[call];
    return this.#calls[call]!.spec.distinct ? [...(acc as DistinctSet).values()] : acc;
  }

  /** The slice end a partial row carries after its row count (`fields[at]`) and accumulators. */
  sliceEndOf(fields: readonly unknown[], at: number): number {
    return fields[at + 1 + this.#calls.length] as number;
  }

  /**
   * Merges a partial row into `into`: `fields[at]` is its row count and the fields after it are the
   * calls' accumulators, as {@link wire} made them (the local phase's `[keys…, rows, accs…, slice_end]`).
   */
  mergeWire(into: PartialAccumulators, fields: readonly unknown[], at: number): void {
    const calls = this.#calls;
    for (let c = 0; c < calls.length; c++) {
      const { spec } = calls[c]!;
      const acc = fields[at + 1 + c];
      if (spec.distinct) {
        const set = into.accs[c] as DistinctSet;
        for (const operands of acc as SqlValue[][]) {
          const key = operandsMapKey(operands);
          if (!set.has(key)) set.set(key, operands);
        }
      } else {
        into.accs[c] = spec.implementation.merge!(into.accs[c], acc);
      }
    }
    into.rows += fields[at] as number;
  }

  /** Merges `from` into `into` (both held here: distinct sets stay sets). */
  merge(into: PartialAccumulators, from: PartialAccumulators): void {
    const calls = this.#calls;
    for (let c = 0; c < calls.length; c++) {
      const { spec } = calls[c]!;
      if (spec.distinct) {
        const set = into.accs[c] as DistinctSet;
        for (const [key, operands] of from.accs[c] as DistinctSet) if (!set.has(key)) set.set(key, operands);
      } else {
        into.accs[c] = spec.implementation.merge!(into.accs[c], from.accs[c]);
      }
    }
    into.rows += from.rows;
  }

  /** Appends each call's value to `row`. */
  appendResults(partial: PartialAccumulators, row: SqlValue[]): void {
    const calls = this.#calls;
    for (let c = 0; c < calls.length; c++) {
      const { spec } = calls[c]!;
      const implementation = spec.implementation;
      if (spec.distinct) {
        let acc = implementation.createAccumulator();
        for (const operands of (partial.accs[c] as DistinctSet).values()) {
          acc = implementation.accumulate(acc, operands);
        }
        row.push(implementation.getValue(acc));
      } else {
        row.push(implementation.getValue(partial.accs[c]));
      }
    }
  }
}
