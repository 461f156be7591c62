/**
 * COUNT, SUM, SUM0 and AVG with retraction and merging.
 *
 * Invariants: COUNT(*) is COUNT with zero operands and counts rows; COUNT(x, …) counts rows whose
 * operands are all non-null; both are BIGINT NOT NULL. SUM keeps `[sum, count]` so it is NULL once
 * every value is retracted; SUM of INT is INT and wraps like Java, SUM of DECIMAL(p, s) is
 * DECIMAL(38, s) (NULL on overflow, as Flink), SUM0 is 0 instead of NULL. AVG of an integer type
 * is that type (truncating, as Flink), AVG of DECIMAL(p, s) is DECIMAL(38, max(6, s)) rounded
 * HALF_UP. Example: AVG over INT 1, 2 is 1; over DECIMAL(3, 1) 1.0, 2.0 is 1.500000.
 * @module
 */

import { divideHalfUp, fitsPrecision, pow10 } from "../data/decimal.ts";
import type { SqlValue } from "../data/values.ts";
import { avgResultType, sumResultType } from "../types/decimal-rules.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes, withNullability } from "../types/type-factory.ts";
import { aggregate, singleOperand } from "./aggregate-definition.ts";
import type { AggregateFunctionDefinition, AggregateImplementation } from "./function-definition.ts";

export const COUNT: AggregateFunctionDefinition<number> = aggregate(
  "COUNT",
  () => ({ result: LogicalTypes.bigint(false) }),
  (operands) => {
    const arity = operands.length;
    const counts =
      arity === 0
        ? () => true
        : arity === 1
          ? (values: readonly SqlValue[]) => values[0] !== null
          : (values: readonly SqlValue[]) => values.every((v) => v !== null);
    return {
      createAccumulator: () => 0,
      accumulate: (acc, values) => (counts(values) ? acc + 1 : acc),
      retract: (acc, values) => (counts(values) ? acc - 1 : acc),
      merge: (acc, other) => acc + other,
      getValue: (acc) => BigInt(acc),
      isEmpty: (acc) => acc === 0,
    };
  },
);

/** `[sum, count of non-null values]`; the sum is a number or a bigint by type. */
export type SumAccumulator = [number | bigint, number];

interface Adder {
  zero: number | bigint;
  add(a: number | bigint, b: number | bigint): number | bigint;
  subtract(a: number | bigint, b: number | bigint): number | bigint;
}

function adderFor(type: LogicalType): Adder {
  switch (type.kind) {
    case "BIGINT":
      return {
        zero: 0n,
        add: (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint)),
        subtract: (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint)),
      };
    case "DECIMAL":
      return {
        zero: 0n,
        add: (a, b) => (a as bigint) + (b as bigint),
        subtract: (a, b) => (a as bigint) - (b as bigint),
      };
    case "TINYINT":
      return {
        zero: 0,
        add: (a, b) => (((a as number) + (b as number)) << 24) >> 24,
        subtract: (a, b) => (((a as number) - (b as number)) << 24) >> 24,
      };
    case "SMALLINT":
      return {
        zero: 0,
        add: (a, b) => (((a as number) + (b as number)) << 16) >> 16,
        subtract: (a, b) => (((a as number) - (b as number)) << 16) >> 16,
      };
    case "INT":
      return {
        zero: 0,
        add: (a, b) => ((a as number) + (b as number)) | 0,
        subtract: (a, b) => ((a as number) - (b as number)) | 0,
      };
    case "FLOAT":
      return {
        zero: 0,
        add: (a, b) => Math.fround((a as number) + (b as number)),
        subtract: (a, b) => Math.fround((a as number) - (b as number)),
      };
    default:
      return {
        zero: 0,
        add: (a, b) => (a as number) + (b as number),
        subtract: (a, b) => (a as number) - (b as number),
      };
  }
}

function sumImplementation(
  type: LogicalType,
  result: LogicalType,
  zeroWhenEmpty: boolean,
): AggregateImplementation<SumAccumulator> {
  const adder = adderFor(type);
  const precision = result.kind === "DECIMAL" ? result.precision : 0;
  return {
    createAccumulator: () => [adder.zero, 0],
    accumulate(acc, values) {
      const v = values[0];
      if (v === null || v === undefined) return acc;
      acc[0] = adder.add(acc[0], v as number | bigint);
      acc[1]++;
      return acc;
    },
    retract(acc, values) {
      const v = values[0];
      if (v === null || v === undefined) return acc;
      acc[0] = adder.subtract(acc[0], v as number | bigint);
      acc[1]--;
      return acc;
    },
    merge(acc, other) {
      acc[0] = adder.add(acc[0], other[0]);
      acc[1] += other[1];
      return acc;
    },
    getValue(acc) {
      if (acc[1] === 0) return zeroWhenEmpty ? adder.zero : null;
      if (precision > 0 && !fitsPrecision(acc[0] as bigint, precision)) return null;
      return acc[0];
    },
    isEmpty: (acc) => acc[1] === 0,
  };
}

function numericOperand(name: string) {
  return (operands: readonly LogicalType[]) => {
    const cast = singleOperand(name, operands, "NUMERIC");
    const type = cast[0]!.kind === "NULL" ? LogicalTypes.int() : cast[0]!;
    return { type, operands: [type] };
  };
}

export const SUM: AggregateFunctionDefinition<SumAccumulator> = aggregate(
  "SUM",
  (operands) => {
    const { type, operands: cast } = numericOperand("SUM")(operands);
    return { result: withNullability(sumResultType(type), true), operands: cast };
  },
  (operands, result) => sumImplementation(operands[0]!, result, false),
);

export const SUM0: AggregateFunctionDefinition<SumAccumulator> = aggregate(
  "SUM0",
  (operands) => {
    const { type, operands: cast } = numericOperand("SUM0")(operands);
    return { result: withNullability(sumResultType(type), false), operands: cast };
  },
  (operands, result) => sumImplementation(operands[0]!, result, true),
);

export const AVG: AggregateFunctionDefinition<SumAccumulator> = aggregate(
  "AVG",
  (operands) => {
    const { type, operands: cast } = numericOperand("AVG")(operands);
    return { result: withNullability(avgResultType(type), true), operands: cast };
  },
  (operands, result) => {
    const type = operands[0]!;
    const smallInteger = type.kind === "TINYINT" || type.kind === "SMALLINT" || type.kind === "INT";
    // AVG sums integers without wrapping (Flink sums them as a long): doubles are exact here.
    const sumType = smallInteger
      ? LogicalTypes.double()
      : type.kind === "DECIMAL"
        ? LogicalTypes.decimal(38, type.scale)
        : type;
    const sum = sumImplementation(sumType, sumType, false);
    let average: (acc: SumAccumulator) => SqlValue;
    switch (type.kind) {
      case "DECIMAL": {
        const up = pow10((result.kind === "DECIMAL" ? result.scale : type.scale) - type.scale);
        average = (acc) => divideHalfUp((acc[0] as bigint) * up, BigInt(acc[1]));
        break;
      }
      case "BIGINT":
        average = (acc) => (acc[0] as bigint) / BigInt(acc[1]);
        break;
      case "TINYINT":
      case "SMALLINT":
      case "INT":
        average = (acc) => Math.trunc((acc[0] as number) / acc[1]);
        break;
      case "FLOAT":
        average = (acc) => Math.fround((acc[0] as number) / acc[1]);
        break;
      default:
        average = (acc) => (acc[0] as number) / acc[1];
    }
    return { ...sum, getValue: (acc) => (acc[1] === 0 ? null : average(acc)) };
  },
);
