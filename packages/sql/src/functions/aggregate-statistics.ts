/**
 * Statistical and boolean aggregates: VAR_POP, VAR_SAMP (VARIANCE), STDDEV_POP, STDDEV_SAMP
 * (STDDEV), BOOL_AND, BOOL_OR — all retractable and mergeable.
 *
 * Invariants: the variance family keeps `[count, sum, sum of squares]` in doubles and computes
 * (Σx² − (Σx)²/n) / n (or n − 1), as Flink's rewrite into SUM/COUNT does; the result has the
 * operand's type (Flink casts back: STDDEV_POP of INT is INT, truncated), VAR_SAMP / STDDEV_SAMP
 * of a single value are NULL. BOOL_AND / BOOL_OR keep `[true count, false count]` and are NULL
 * for no values. Example: VAR_POP over DOUBLE 1, 2, 3, 4 is 1.25.
 * @module
 */

import { doubleToInt, doubleToLong } from "../data/cast-value.ts";
import { decimalFromNumber, decimalToNumber } from "../data/decimal.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import { aggregate } from "./aggregate-definition.ts";
import type { AggregateFunctionDefinition } from "./function-definition.ts";
import { checkOperands } from "./signature.ts";

export type MomentsAccumulator = [number, number, number];

function toDouble(type: LogicalType): (v: SqlValue) => number {
  if (type.kind === "DECIMAL") return (v) => decimalToNumber(v as bigint, type.scale);
  if (type.kind === "BIGINT") return (v) => Number(v);
  return (v) => v as number;
}

function fromDouble(type: LogicalType): (v: number) => SqlValue {
  switch (type.kind) {
    case "DECIMAL":
      return (v) => decimalFromNumber(v, type.precision, type.scale);
    case "BIGINT":
      return (v) => doubleToLong(v);
    case "INT":
      return (v) => doubleToInt(v);
    case "SMALLINT":
      return (v) => (doubleToInt(v) << 16) >> 16;
    case "TINYINT":
      return (v) => (doubleToInt(v) << 24) >> 24;
    case "FLOAT":
      return (v) => Math.fround(v);
    default:
      return (v) => v;
  }
}

function moments(
  name: string,
  sample: boolean,
  root: boolean,
): AggregateFunctionDefinition<MomentsAccumulator> {
  return aggregate(
    name,
    (operands) => {
      const cast = checkOperands(name, operands, ["NUMERIC"]);
      const type = cast[0]!.kind === "NULL" ? LogicalTypes.double() : cast[0]!;
      return { result: withNullability(type, true), operands: [type] };
    },
    (operands, result) => {
      const read = toDouble(operands[0]!);
      const write = fromDouble(result);
      return {
        createAccumulator: () => [0, 0, 0],
        accumulate(acc, values) {
          const v = values[0] ?? null;
          if (v === null) return acc;
          const x = read(v);
          acc[0]++;
          acc[1] += x;
          acc[2] += x * x;
          return acc;
        },
        retract(acc, values) {
          const v = values[0] ?? null;
          if (v === null) return acc;
          const x = read(v);
          acc[0]--;
          acc[1] -= x;
          acc[2] -= x * x;
          return acc;
        },
        merge(acc, other) {
          acc[0] += other[0];
          acc[1] += other[1];
          acc[2] += other[2];
          return acc;
        },
        getValue(acc) {
          const [n, sum, squares] = acc;
          if (n === 0 || (sample && n === 1)) return null;
          const variance = Math.max(0, (squares - (sum * sum) / n) / (sample ? n - 1 : n));
          return write(root ? Math.sqrt(variance) : variance);
        },
        isEmpty: (acc) => acc[0] === 0,
      };
    },
  );
}

function booleanAggregate(name: "BOOL_AND" | "BOOL_OR"): AggregateFunctionDefinition<[number, number]> {
  return aggregate(
    name,
    (operands) => ({
      result: LogicalTypes.boolean(true),
      operands: checkOperands(name, operands, ["BOOLEAN"]),
    }),
    () => ({
      createAccumulator: () => [0, 0],
      accumulate(acc, values) {
        const v = values[0];
        if (v === true) acc[0]++;
        else if (v === false) acc[1]++;
        return acc;
      },
      retract(acc, values) {
        const v = values[0];
        if (v === true) acc[0]--;
        else if (v === false) acc[1]--;
        return acc;
      },
      merge(acc, other) {
        acc[0] += other[0];
        acc[1] += other[1];
        return acc;
      },
      getValue(acc) {
        if (acc[0] + acc[1] === 0) return null;
        return name === "BOOL_AND" ? acc[1] === 0 : acc[0] > 0;
      },
      isEmpty: (acc) => acc[0] + acc[1] === 0,
    }),
  );
}

export const STATISTICAL_AGGREGATES: readonly AggregateFunctionDefinition<unknown>[] = [
  moments("VAR_POP", false, false),
  moments("VAR_SAMP", true, false),
  moments("VARIANCE", true, false),
  moments("STDDEV_POP", false, true),
  moments("STDDEV_SAMP", true, true),
  moments("STDDEV", true, true),
  booleanAggregate("BOOL_AND"),
  booleanAggregate("BOOL_OR"),
] as readonly AggregateFunctionDefinition<unknown>[];
