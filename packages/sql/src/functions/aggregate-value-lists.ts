/**
 * Aggregates over the values themselves: FIRST_VALUE, LAST_VALUE, LISTAGG and COLLECT, all
 * retractable.
 *
 * Invariants: NULL operands are skipped; with retraction the accumulator keeps the accumulated
 * values in arrival order (Flink's *WithRetract variants keep them in a list/map view too), and a
 * retraction removes the most recent equal value, so FIRST_VALUE / LAST_VALUE answer from what is
 * left; LISTAGG joins in arrival order with the separator of its second operand (default ','), and
 * is NULL for no values; COLLECT gives a MULTISET (value → count), never NULL.
 * Example: LISTAGG over 'a', 'b', 'c' with ';' is 'a;b;c'; retracting 'b' gives 'a;c'; over 'a', 'b',
 * 'a', retracting 'a' gives 'b;a' (the first equal value goes, as in Flink).
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import { aggregate } from "./aggregate-definition.ts";
import { sqlComparator } from "./comparison-functions.ts";
import type { AggregateFunctionDefinition, AggregateImplementation } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { checkOperands, formatTypes } from "./signature.ts";

function removeLast(
  values: SqlValue[],
  value: SqlValue,
  equals: (a: SqlValue, b: SqlValue) => boolean,
): void {
  for (let i = values.length - 1; i >= 0; i--) {
    if (equals(values[i]!, value)) {
      values.splice(i, 1);
      return;
    }
  }
}

function equalsFor(type: LogicalType): (a: SqlValue, b: SqlValue) => boolean {
  const compare = sqlComparator(type);
  return (a, b) => a === b || (a !== null && b !== null && compare(a, b) === 0);
}

function firstOrLast(name: "FIRST_VALUE" | "LAST_VALUE"): AggregateFunctionDefinition {
  const last = name === "LAST_VALUE";
  return aggregate(
    name,
    (operands) => {
      if (operands.length !== 1)
        throw new FunctionTypeError(`${name} expects one operand but got ${formatTypes(operands)}`);
      return { result: withNullability(operands[0]!, true) };
    },
    (operands, _result, options): AggregateImplementation<unknown> => {
      if (options.retraction === false) {
        return {
          createAccumulator: () => null,
          accumulate: (acc, values) => {
            const v = values[0] ?? null;
            if (v === null) return acc;
            return last || acc === null ? v : acc;
          },
          merge: (acc, other) => (other === null ? acc : last || acc === null ? other : acc),
          getValue: (acc) => acc as SqlValue,
        };
      }
      const equals = equalsFor(operands[0]!);
      return {
        createAccumulator: (): SqlValue[] => [],
        accumulate(acc, values) {
          const v = values[0] ?? null;
          if (v !== null) (acc as SqlValue[]).push(v);
          return acc;
        },
        retract(acc, values) {
          const v = values[0] ?? null;
          if (v !== null) removeLast(acc as SqlValue[], v, equals);
          return acc;
        },
        merge(acc, other) {
          (acc as SqlValue[]).push(...(other as SqlValue[]));
          return acc;
        },
        getValue(acc) {
          const values = acc as SqlValue[];
          return values.length === 0 ? null : last ? values[values.length - 1]! : values[0]!;
        },
        isEmpty: (acc) => (acc as SqlValue[]).length === 0,
      };
    },
  );
}

export const FIRST_VALUE = firstOrLast("FIRST_VALUE");
export const LAST_VALUE = firstOrLast("LAST_VALUE");

/**
 * LISTAGG's accumulator: the values in order, the separator seen with them, and retractions of
 * values not (yet) in the list — a local two-phase accumulator can see a retraction before the
 * insert it takes back; merging settles them, as Flink's ListAggWithRetractAccumulator does.
 */
export interface ListAggAccumulator {
  values: string[];
  separator: string;
  retracted: string[];
}

export const LISTAGG: AggregateFunctionDefinition<ListAggAccumulator> = aggregate(
  "LISTAGG",
  (operands) => {
    const cast = checkOperands("LISTAGG", operands, ["STRING", "STRING?"]);
    return { result: LogicalTypes.string(true), operands: cast };
  },
  () => ({
    createAccumulator: (): ListAggAccumulator => ({ values: [], separator: ",", retracted: [] }),
    accumulate(acc, values) {
      const v = values[0] ?? null;
      if (v === null) return acc;
      acc.values.push(v as string);
      const separator = values[1];
      if (typeof separator === "string") acc.separator = separator;
      return acc;
    },
    retract(acc, values) {
      const v = values[0] ?? null;
      if (v === null) return acc;
      // Flink removes the first equal value.
      const at = acc.values.indexOf(v as string);
      if (at >= 0) acc.values.splice(at, 1);
      else acc.retracted.push(v as string);
      return acc;
    },
    merge(acc, other) {
      acc.values.push(...other.values);
      const pending = [...acc.retracted, ...other.retracted];
      acc.retracted = [];
      for (const value of pending) {
        const at = acc.values.indexOf(value);
        if (at >= 0) acc.values.splice(at, 1);
        else acc.retracted.push(value);
      }
      return acc;
    },
    getValue: (acc) => (acc.values.length === 0 ? null : acc.values.join(acc.separator)),
    isEmpty: (acc) => acc.values.length === 0,
  }),
);

export const COLLECT: AggregateFunctionDefinition<Map<SqlValue, number>> = aggregate(
  "COLLECT",
  (operands) => {
    if (operands.length !== 1)
      throw new FunctionTypeError(`COLLECT expects one operand but got ${formatTypes(operands)}`);
    return { result: LogicalTypes.multiset(operands[0]!, false) };
  },
  () => ({
    createAccumulator: () => new Map(),
    accumulate(acc, values) {
      const v = values[0] ?? null;
      if (v !== null) acc.set(v, (acc.get(v) ?? 0) + 1);
      return acc;
    },
    retract(acc, values) {
      const v = values[0] ?? null;
      if (v === null) return acc;
      const count = (acc.get(v) ?? 0) - 1;
      if (count <= 0) acc.delete(v);
      else acc.set(v, count);
      return acc;
    },
    merge(acc, other) {
      for (const [v, n] of other) acc.set(v, (acc.get(v) ?? 0) + n);
      return acc;
    },
    getValue: (acc) => new Map(acc),
    isEmpty: (acc) => acc.size === 0,
  }),
);
