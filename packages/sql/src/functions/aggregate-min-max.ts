/**
 * MIN and MAX, exact under retraction.
 *
 * Invariants: NULLs are ignored and an empty group gives NULL; the result type is the operand type.
 * On an input that may retract, the accumulator keeps every distinct value with its count (as
 * Flink's MinWithRetract / MaxWithRetract keep a map view), so taking back the current extreme
 * finds the next one exactly; on an insert-only input (`retraction: false`) it keeps one value.
 * Example (MAX with retraction): +5, +9, -9 → 5; +5, -5 → NULL; -7 (retracted before it was
 * added, as a local two-phase accumulator may see it) then +7 merged in → no 7 left.
 * @module
 */

import { comparatorFor, groupKeyOf } from "../data/compare-values.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { withNullability } from "../types/type-factory.ts";
import { aggregate } from "./aggregate-definition.ts";
import type { AggregateFunctionDefinition, AggregateImplementation } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { formatTypes } from "./signature.ts";

/** The value counts of a retracting MIN/MAX: map key → [value, count]. */
export interface ExtremumAccumulator {
  best: SqlValue;
  counts: Map<string | number | bigint | boolean, [SqlValue, number]>;
}

function mapKeyFor(type: LogicalType): (value: SqlValue) => string | number | bigint | boolean {
  switch (type.kind) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "DECIMAL":
    case "FLOAT":
    case "DOUBLE":
    case "DATE":
    case "TIME":
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
    case "CHAR":
    case "VARCHAR":
    case "INTERVAL_DAY_TIME":
    case "INTERVAL_YEAR_MONTH":
      return (value) => value as string | number | bigint | boolean;
    default:
      return (value) =>
        JSON.stringify(groupKeyOf(value, type), (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  }
}

function extremum(name: "MIN" | "MAX"): AggregateFunctionDefinition {
  const sign = name === "MAX" ? 1 : -1;
  return aggregate(
    name,
    (operands) => {
      const [type] = operands;
      if (operands.length !== 1 || type === undefined || type.kind === "MAP" || type.kind === "MULTISET") {
        throw new FunctionTypeError(
          `${name} expects one comparable operand but got ${formatTypes(operands)}`,
        );
      }
      return { result: withNullability(type, true) };
    },
    (operands, _result, options): AggregateImplementation<unknown> => {
      const type = operands[0]!;
      const compare = comparatorFor(type);
      const better = (a: SqlValue, b: SqlValue) => sign * compare(a, b) > 0;
      if (options.retraction === false) {
        return {
          createAccumulator: () => null,
          accumulate: (acc, values) => {
            const v = values[0] ?? null;
            if (v === null) return acc;
            return acc === null || better(v, acc as SqlValue) ? v : acc;
          },
          merge: (acc, other) =>
            other === null ? acc : acc === null || better(other as SqlValue, acc as SqlValue) ? other : acc,
          getValue: (acc) => acc as SqlValue,
        };
      }
      const keyOf = mapKeyFor(type);
      // Only values with a positive count are in the group; a count may go negative for a while
      // when a partial (two-phase) accumulator sees a retraction before the matching insert.
      const rescan = (acc: ExtremumAccumulator) => {
        let best: SqlValue = null;
        for (const [value, count] of acc.counts.values()) {
          if (count > 0 && (best === null || better(value, best))) best = value;
        }
        acc.best = best;
      };
      const add = (acc: ExtremumAccumulator, value: SqlValue, by: number) => {
        const key = keyOf(value);
        const entry = acc.counts.get(key);
        const count = (entry?.[1] ?? 0) + by;
        if (count === 0) acc.counts.delete(key);
        else if (entry === undefined) acc.counts.set(key, [value, count]);
        else entry[1] = count;
        if (count > 0) {
          if (acc.best === null || better(value, acc.best)) acc.best = value;
        } else if (acc.best !== null && compare(acc.best, value) === 0) {
          rescan(acc);
        }
      };
      return {
        createAccumulator: (): ExtremumAccumulator => ({ best: null, counts: new Map() }),
        accumulate(acc, values) {
          const v = values[0] ?? null;
          if (v !== null) add(acc as ExtremumAccumulator, v, 1);
          return acc;
        },
        retract(acc, values) {
          const v = values[0] ?? null;
          if (v !== null) add(acc as ExtremumAccumulator, v, -1);
          return acc;
        },
        merge(acc, other) {
          for (const [value, count] of (other as ExtremumAccumulator).counts.values())
            add(acc as ExtremumAccumulator, value, count);
          return acc;
        },
        getValue: (acc) => (acc as ExtremumAccumulator).best,
        isEmpty: (acc) => (acc as ExtremumAccumulator).counts.size === 0,
      };
    },
  );
}

export const MIN = extremum("MIN");
export const MAX = extremum("MAX");
