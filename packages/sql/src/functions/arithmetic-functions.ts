/**
 * The arithmetic operators `+ - * / %` (also MOD) and unary `NEGATE`, on numbers, DECIMALs,
 * intervals and date/time ± interval, with Flink's typing and overflow rules.
 *
 * Invariants: operands of a numeric operator reach the implementation already cast to the types
 * `inferType` asked for — the same integer type for integer arithmetic, DECIMALs (integers widened
 * to DECIMAL(10, 0) etc.) when a DECIMAL is involved, the common FLOAT/DOUBLE otherwise. Integer
 * results wrap to the type's width (`2147483647 + 1` = -2147483648 for INT), integer `/` truncates
 * and `/ by zero` or `% by zero` throws; DECIMAL results round HALF_UP to the result scale and are
 * NULL on overflow, DECIMAL division by zero throws; DOUBLE follows IEEE (1.0 / 0 = Infinity).
 * Example: DECIMAL(5, 2) `1.25` + DECIMAL(3, 1) `1.5` is DECIMAL(7, 2) `2.75` (`275n`).
 * @module
 */

import { divideHalfUp, fitsPrecision, pow10, rescale } from "../data/decimal.ts";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import {
  addMonthsToDays,
  addMonthsToTimestamp,
  floorMod,
  instantToWallClock,
  MILLIS_PER_DAY,
  wallClockToInstant,
} from "../data/temporal.ts";
import {
  isNanoTimestamp,
  NANOS_PER_MILLI,
  nanosInstantToWallClock,
  nanosWallClockToInstant,
  wholeMillisOfNanos,
} from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import {
  decimalAdditionType,
  decimalDivisionType,
  decimalModuloType,
  decimalMultiplicationType,
  decimalOfInteger,
} from "../types/decimal-rules.ts";
import type { DecimalType, LogicalType } from "../types/logical-type.ts";
import {
  commonType,
  isApproximateNumeric,
  isInterval,
  isNumeric,
  isTemporal,
} from "../types/type-coercion.ts";
import { withNullability, withoutTimeAttribute } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { numberReader } from "./numeric-values.ts";
import { formatTypes } from "./signature.ts";

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";
type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

function asDecimal(type: LogicalType): DecimalType {
  if (type.kind === "DECIMAL") return type;
  return decimalOfInteger(type.kind as "TINYINT" | "SMALLINT" | "INT" | "BIGINT", type.nullable);
}

/** Result and operand types of `a op b`, or a FunctionTypeError. */
export function inferArithmetic(
  op: ArithmeticOperator,
  left: LogicalType,
  right: LogicalType,
): { result: LogicalType; operands: LogicalType[] } {
  const nullable = left.nullable || right.nullable;
  const a = left.kind === "NULL" ? right : left;
  const b = right.kind === "NULL" ? left : right;
  if (a.kind === "NULL") {
    throw new FunctionTypeError(
      `operator '${op}' needs at least one typed operand, got ${formatTypes([left, right])}`,
    );
  }
  if (isNumeric(a) && isNumeric(b)) {
    if (isApproximateNumeric(a) || isApproximateNumeric(b)) {
      const common = commonType([a, b])!;
      return {
        result: withNullability(common, nullable),
        operands: [withNullability(common, left.nullable), withNullability(common, right.nullable)],
      };
    }
    if (a.kind === "DECIMAL" || b.kind === "DECIMAL") {
      const da = asDecimal(a);
      const db = asDecimal(b);
      const result =
        op === "+" || op === "-"
          ? decimalAdditionType(da, db, nullable)
          : op === "*"
            ? decimalMultiplicationType(da, db, nullable)
            : op === "/"
              ? decimalDivisionType(da, db, nullable)
              : decimalModuloType(da, db, nullable);
      return {
        result,
        operands: [withNullability(da, left.nullable), withNullability(db, right.nullable)],
      };
    }
    const common = commonType([a, b])!;
    return {
      result: withNullability(common, nullable),
      operands: [withNullability(common, left.nullable), withNullability(common, right.nullable)],
    };
  }
  if ((op === "+" || op === "-") && isTemporal(a) && isInterval(b)) {
    return { result: withNullability(withoutTimeAttribute(a), nullable), operands: [left, right] };
  }
  if (op === "+" && isInterval(a) && isTemporal(b)) {
    return { result: withNullability(withoutTimeAttribute(b), nullable), operands: [left, right] };
  }
  if ((op === "+" || op === "-") && isInterval(a) && a.kind === b.kind) {
    return { result: withNullability(a, nullable), operands: [left, right] };
  }
  if ((op === "*" || op === "/") && isInterval(a) && isNumeric(b)) {
    return { result: withNullability(a, nullable), operands: [left, right] };
  }
  if (op === "*" && isNumeric(a) && isInterval(b)) {
    return { result: withNullability(b, nullable), operands: [left, right] };
  }
  throw new FunctionTypeError(`operator '${op}' does not apply to ${formatTypes([left, right])}`);
}

function divideByZero(): SqlRuntimeError {
  return new SqlRuntimeError("Division by zero (/ by zero)");
}

function wrapSmall(kind: string): (v: number) => number {
  if (kind === "TINYINT") return (v) => (v << 24) >> 24;
  if (kind === "SMALLINT") return (v) => (v << 16) >> 16;
  return (v) => v | 0;
}

/** The implementation of `a op b` for the resolved operand and result types. */
export function arithmeticImplementation(
  op: ArithmeticOperator,
  operands: readonly LogicalType[],
  result: LogicalType,
): Impl {
  const [a, b] = operands as [LogicalType, LogicalType];
  if (result.kind === "DECIMAL" && a.kind === "DECIMAL" && b.kind === "DECIMAL") {
    return decimalImplementation(op, a, b, result);
  }
  if (isNumeric(result) && isNumeric(a) && isNumeric(b)) {
    switch (result.kind) {
      case "BIGINT":
        switch (op) {
          case "+":
            return (_c, x, y) => BigInt.asIntN(64, (x as bigint) + (y as bigint));
          case "-":
            return (_c, x, y) => BigInt.asIntN(64, (x as bigint) - (y as bigint));
          case "*":
            return (_c, x, y) => BigInt.asIntN(64, (x as bigint) * (y as bigint));
          case "/":
            return (_c, x, y) => {
              if (y === 0n) throw divideByZero();
              return BigInt.asIntN(64, (x as bigint) / (y as bigint));
            };
          case "%":
            return (_c, x, y) => {
              if (y === 0n) throw divideByZero();
              return (x as bigint) % (y as bigint);
            };
        }
        break;
      case "TINYINT":
      case "SMALLINT":
      case "INT": {
        const wrap = wrapSmall(result.kind);
        switch (op) {
          case "+":
            return (_c, x, y) => wrap((x as number) + (y as number));
          case "-":
            return (_c, x, y) => wrap((x as number) - (y as number));
          case "*":
            return (_c, x, y) => wrap(Math.imul(x as number, y as number));
          case "/":
            return (_c, x, y) => {
              if (y === 0) throw divideByZero();
              return wrap(Math.trunc((x as number) / (y as number)));
            };
          case "%":
            return (_c, x, y) => {
              if (y === 0) throw divideByZero();
              return wrap((x as number) % (y as number));
            };
        }
        break;
      }
      case "FLOAT":
      case "DOUBLE": {
        const round = result.kind === "FLOAT" ? Math.fround : (v: number) => v;
        switch (op) {
          case "+":
            return (_c, x, y) => round((x as number) + (y as number));
          case "-":
            return (_c, x, y) => round((x as number) - (y as number));
          case "*":
            return (_c, x, y) => round((x as number) * (y as number));
          case "/":
            return (_c, x, y) => round((x as number) / (y as number));
          case "%":
            return (_c, x, y) => round((x as number) % (y as number));
        }
      }
    }
  }
  return temporalImplementation(op, a, b);
}

function decimalImplementation(
  op: ArithmeticOperator,
  a: DecimalType,
  b: DecimalType,
  result: DecimalType,
): Impl {
  const { precision, scale } = result;
  const fit = (v: bigint): bigint | null => (fitsPrecision(v, precision) ? v : null);
  const common = Math.max(a.scale, b.scale);
  const upA = pow10(common - a.scale);
  const upB = pow10(common - b.scale);
  switch (op) {
    case "+":
      return (_c, x, y) => fit(rescale((x as bigint) * upA + (y as bigint) * upB, common, scale));
    case "-":
      return (_c, x, y) => fit(rescale((x as bigint) * upA - (y as bigint) * upB, common, scale));
    case "*":
      return (_c, x, y) => fit(rescale((x as bigint) * (y as bigint), a.scale + b.scale, scale));
    case "/": {
      // x/10^sa ÷ y/10^sb = (x · 10^(s − sa + sb)) / y at scale s.
      const shift = scale - a.scale + b.scale;
      return (_c, x, y) => {
        if (y === 0n) throw divideByZero();
        return shift >= 0
          ? fit(divideHalfUp((x as bigint) * pow10(shift), y as bigint))
          : fit(divideHalfUp(x as bigint, (y as bigint) * pow10(-shift)));
      };
    }
    case "%":
      return (_c, x, y) => {
        if (y === 0n) throw divideByZero();
        return fit(rescale(((x as bigint) * upA) % ((y as bigint) * upB), common, scale));
      };
  }
}

function temporalImplementation(op: ArithmeticOperator, a: LogicalType, b: LogicalType): Impl {
  const sign = op === "-" ? -1 : 1;
  if (isInterval(a) && isInterval(b)) return (_c, x, y) => (x as number) + sign * (y as number);
  if (isInterval(a) && isNumeric(b)) {
    const read = numberReader(b);
    return op === "*"
      ? (_c, x, y) => Math.trunc((x as number) * read(y))
      : (_c, x, y) => {
          const divisor = read(y);
          if (divisor === 0) throw divideByZero();
          return Math.trunc((x as number) / divisor);
        };
  }
  if (isNumeric(a) && isInterval(b)) {
    const read = numberReader(a);
    return (_c, x, y) => Math.trunc(read(x) * (y as number));
  }
  // temporal ± interval, in either order for +.
  const temporalFirst = isTemporal(a);
  const temporal = temporalFirst ? a : b;
  const interval = temporalFirst ? b : a;
  if (isNanoTimestamp(temporal)) {
    const shiftNanos = shiftNanoTimestamp(temporal, interval);
    return temporalFirst
      ? (c, x, y) => shiftNanos(c, x as bigint, sign * (y as number))
      : (c, x, y) => shiftNanos(c, y as bigint, x as number);
  }
  const shift = shiftTemporal(temporal, interval);
  return temporalFirst
    ? (c, x, y) => shift(c, x as number, sign * (y as number))
    : (c, x, y) => shift(c, y as number, x as number);
}

/**
 * Adds an interval amount (months or millis) to a TIMESTAMP(p > 6) / TIMESTAMP_LTZ(p > 6) value
 * (epoch nanos): months move the whole milliseconds on the calendar and keep the rest.
 */
function shiftNanoTimestamp(
  temporal: LogicalType,
  interval: LogicalType,
): (c: FunctionContext, value: bigint, amount: number) => bigint {
  if (interval.kind !== "INTERVAL_YEAR_MONTH") return (_c, ts, ms) => ts + BigInt(ms) * NANOS_PER_MILLI;
  const ltz = temporal.kind === "TIMESTAMP_LTZ";
  return (c, ts, months) => {
    const wall = ltz ? nanosInstantToWallClock(ts, c.timeZone) : ts;
    const millis = wholeMillisOfNanos(wall);
    const rest = wall - BigInt(millis) * NANOS_PER_MILLI;
    const shifted = BigInt(addMonthsToTimestamp(millis, months)) * NANOS_PER_MILLI + rest;
    return ltz ? nanosWallClockToInstant(shifted, c.timeZone) : shifted;
  };
}

/** Adds an interval amount (months or millis) to a temporal value of the given type. */
function shiftTemporal(
  temporal: LogicalType,
  interval: LogicalType,
): (c: FunctionContext, value: number, amount: number) => number {
  const months = interval.kind === "INTERVAL_YEAR_MONTH";
  switch (temporal.kind) {
    case "DATE":
      return months
        ? (_c, d, m) => addMonthsToDays(d, m)
        : (_c, d, ms) => d + Math.trunc(ms / MILLIS_PER_DAY);
    case "TIME":
      return months ? (_c, t) => t : (_c, t, ms) => floorMod(t + ms, MILLIS_PER_DAY);
    case "TIMESTAMP":
      return months ? (_c, ts, m) => addMonthsToTimestamp(ts, m) : (_c, ts, ms) => ts + ms;
    case "TIMESTAMP_LTZ":
      return months
        ? (c, ts, m) =>
            wallClockToInstant(addMonthsToTimestamp(instantToWallClock(ts, c.timeZone), m), c.timeZone)
        : (_c, ts, ms) => ts + ms;
    default:
      throw new FunctionTypeError(`cannot add an interval to ${temporal.kind}`);
  }
}

function arithmeticOperator(name: string, op: ArithmeticOperator): ScalarFunctionDefinition {
  return {
    kind: "scalar",
    name,
    strict: true,
    deterministic: true,
    inferType(operands) {
      if (operands.length !== 2)
        throw new FunctionTypeError(`${name} expects 2 operands but got ${operands.length}`);
      return inferArithmetic(op, operands[0]!, operands[1]!);
    },
    // Without resolved types only same-typed numbers can be handled; the compiler always specializes.
    implementation(_c, x, y) {
      if (typeof x === "bigint" && typeof y === "bigint") {
        return arithmeticImplementation(op, [BIGINT, BIGINT], BIGINT)(_c, x, y);
      }
      return arithmeticImplementation(op, [DOUBLE, DOUBLE], DOUBLE)(_c, x, y);
    },
    specialize: (operands, result) => arithmeticImplementation(op, operands, result),
  };
}

const BIGINT: LogicalType = { kind: "BIGINT", nullable: true };
const DOUBLE: LogicalType = { kind: "DOUBLE", nullable: true };

function negateImplementation(type: LogicalType): Impl {
  switch (type.kind) {
    case "BIGINT":
      return (_c, x) => BigInt.asIntN(64, -(x as bigint));
    case "DECIMAL":
      return (_c, x) => -(x as bigint);
    case "TINYINT":
      return (_c, x) => (-(x as number) << 24) >> 24;
    case "SMALLINT":
      return (_c, x) => (-(x as number) << 16) >> 16;
    case "INT":
      return (_c, x) => -(x as number) | 0;
    default:
      return (_c, x) => -(x as number);
  }
}

export const ARITHMETIC_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  arithmeticOperator("+", "+"),
  arithmeticOperator("-", "-"),
  arithmeticOperator("*", "*"),
  arithmeticOperator("/", "/"),
  arithmeticOperator("%", "%"),
  arithmeticOperator("MOD", "%"),
  {
    kind: "scalar",
    name: "NEGATE",
    strict: true,
    deterministic: true,
    inferType(operands) {
      const [type] = operands;
      if (
        operands.length !== 1 ||
        type === undefined ||
        !(isNumeric(type) || isInterval(type) || type.kind === "NULL")
      ) {
        throw new FunctionTypeError(
          `unary '-' expects a numeric or interval operand but got ${formatTypes(operands)}`,
        );
      }
      return { result: type.kind === "NULL" ? { kind: "INT", nullable: true } : type };
    },
    implementation: (_c, x) => (typeof x === "bigint" ? -x : -(x as number)),
    specialize: (operands) => negateImplementation(operands[0]!),
  },
];
