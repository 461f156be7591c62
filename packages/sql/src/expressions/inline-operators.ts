/**
 * JavaScript source for the operators the compiler inlines: integer, BIGINT and floating-point
 * arithmetic, comparisons of numbers / bigints / booleans / strings, and casts between numeric
 * types. Each function returns null when it does not handle the types, and the compiler then calls
 * the definition's implementation instead, so inlining can never change a result.
 *
 * Invariants: the same semantics as arithmetic-functions.ts and cast-value.ts — INT wraps with
 * `| 0` and `Math.imul`, SMALLINT/TINYINT wrap by shifting, BIGINT with `BigInt.asIntN(64, …)`,
 * integer `/` and `%` by zero call `H.divideByZero()` (which throws), FLOAT rounds with
 * `Math.fround`. Example: INT `a * b` is `Math.imul(a, b)`.
 * @module
 */

import { compareStrings } from "../data/compare-values.ts";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { LogicalType } from "../types/logical-type.ts";
import type { CodeBuilder } from "./code-builder.ts";

function wrap(kind: string, code: string): string {
  switch (kind) {
    case "INT":
      return `(${code}) | 0`;
    case "SMALLINT":
      return `((${code}) << 16) >> 16`;
    case "TINYINT":
      return `((${code}) << 24) >> 24`;
    default:
      return code;
  }
}

const SMALL_INTEGERS = new Set(["TINYINT", "SMALLINT", "INT"]);

export function inlineArithmetic(
  name: string,
  a: string,
  b: string,
  left: LogicalType,
  right: LogicalType,
  result: LogicalType,
  builder: CodeBuilder,
): string | null {
  if (!["+", "-", "*", "/", "%", "MOD"].includes(name)) return null;
  if (result.kind === "DECIMAL" && left.kind === "DECIMAL" && right.kind === "DECIMAL") {
    return inlineDecimal(name, a, b, left.scale, right.scale, result.precision, result.scale, builder);
  }
  if (left.kind !== result.kind || right.kind !== result.kind) return null;
  const op = name === "MOD" ? "%" : name;
  const zero = builder.function(divideByZero);
  if (SMALL_INTEGERS.has(result.kind)) {
    switch (op) {
      case "+":
      case "-":
        return wrap(result.kind, `${a} ${op} ${b}`);
      case "*":
        return wrap(result.kind, `Math.imul(${a}, ${b})`);
      default:
        return `${b} === 0 ? ${zero}() : ${wrap(result.kind, `${a} ${op} ${b}`)}`;
    }
  }
  if (result.kind === "BIGINT") {
    if (op === "/" || op === "%") return `${b} === 0n ? ${zero}() : BigInt.asIntN(64, ${a} ${op} ${b})`;
    return `BigInt.asIntN(64, ${a} ${op} ${b})`;
  }
  if (result.kind === "DOUBLE") return `${a} ${op} ${b}`;
  if (result.kind === "FLOAT") return `Math.fround(${a} ${op} ${b})`;
  return null;
}

/**
 * DECIMAL + - * when no rounding is needed (the result scale is the exact scale), as bigint
 * arithmetic plus a precision check (NULL on overflow, as Flink); division and rounding cases stay
 * with the implementation in arithmetic-functions.ts.
 */
function inlineDecimal(
  name: string,
  a: string,
  b: string,
  scaleA: number,
  scaleB: number,
  precision: number,
  scale: number,
  builder: CodeBuilder,
): string | null {
  const fit = builder.function(precisionCheck(precision));
  if (name === "*") return scaleA + scaleB === scale ? `${fit}(${a} * ${b})` : null;
  if (name !== "+" && name !== "-") return null;
  if (Math.max(scaleA, scaleB) !== scale) return null;
  const left = scaleA === scale ? a : `${a} * ${10n ** BigInt(scale - scaleA)}n`;
  const right = scaleB === scale ? b : `${b} * ${10n ** BigInt(scale - scaleB)}n`;
  return `${fit}(${left} ${name} ${right})`;
}

const precisionChecks = new Map<number, (value: bigint) => bigint | null>();

/** `value` when it has at most `precision` digits, else null (one shared function per precision). */
function precisionCheck(precision: number): (value: bigint) => bigint | null {
  let check = precisionChecks.get(precision);
  if (check === undefined) {
    const bound = 10n ** BigInt(precision);
    const negativeBound = -bound;
    check = (value) => (value < bound && value > negativeBound ? value : null);
    precisionChecks.set(precision, check);
  }
  return check;
}

/** Thrown by integer division and modulo by zero, as Java's ArithmeticException. */
export function divideByZero(): never {
  throw new SqlRuntimeError("Division by zero (/ by zero)");
}

const PRIMITIVE = new Set([
  "BOOLEAN",
  "TINYINT",
  "SMALLINT",
  "INT",
  "BIGINT",
  "FLOAT",
  "DOUBLE",
  "DECIMAL",
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMP_LTZ",
  "INTERVAL_DAY_TIME",
  "INTERVAL_YEAR_MONTH",
]);

export function inlineComparison(
  name: string,
  a: string,
  b: string,
  type: LogicalType,
  builder: CodeBuilder,
): string | null {
  const op = name === "=" ? "===" : name === "<>" ? "!==" : name;
  if (!["===", "!==", "<", "<=", ">", ">="].includes(op)) return null;
  if (PRIMITIVE.has(type.kind)) return `${a} ${op} ${b}`;
  if (type.kind === "CHAR" || type.kind === "VARCHAR") {
    if (op === "===" || op === "!==") return `${a} ${op} ${b}`;
    return `${builder.function(compareStrings)}(${a}, ${b}) ${op} 0`;
  }
  return null;
}

/**
 * A TIMESTAMP precision change that keeps the value as is: a widening within one representation
 * (values.ts: milliseconds with the microseconds as fraction up to p = 6, epoch nanos above).
 * Narrowing truncates digits, and crossing between number and bigint converts: castValue's work.
 */
function sameTimestampRepresentation(from: number, to: number): boolean {
  return to >= from && from > 6 === to > 6;
}

/** Casts that need no rounding or parsing decisions (numeric widening, no-op widenings); null for the others. */
export function inlineCast(value: string, from: LogicalType, to: LogicalType): string | null {
  const small = SMALL_INTEGERS.has(from.kind);
  switch (to.kind) {
    case "VARCHAR":
      // Widening a string keeps it as is; narrowing truncates (castValue).
      return (from.kind === "CHAR" || from.kind === "VARCHAR") && to.length >= from.length ? value : null;
    case "VARBINARY":
      return (from.kind === "BINARY" || from.kind === "VARBINARY") && to.length >= from.length ? value : null;
    case "TIMESTAMP":
      if (from.kind === "DATE") return to.precision > 6 ? null : `${value} * 86400000`;
      return from.kind === "TIMESTAMP" && sameTimestampRepresentation(from.precision, to.precision)
        ? value
        : null;
    case "TIMESTAMP_LTZ":
      return from.kind === "TIMESTAMP_LTZ" && sameTimestampRepresentation(from.precision, to.precision)
        ? value
        : null;
    case "TIME":
      return from.kind === "TIME" && (to.precision >= 3 || to.precision >= from.precision) ? value : null;
    case "INT":
    case "SMALLINT":
    case "TINYINT":
      if (small) return wrap(to.kind, value);
      if (from.kind === "BIGINT") return wrap(to.kind, `Number(BigInt.asIntN(32, ${value}))`);
      return null;
    case "BIGINT":
      if (small) return `BigInt(${value})`;
      return null;
    case "DOUBLE":
      if (small || from.kind === "FLOAT") return value;
      if (from.kind === "BIGINT") return `Number(${value})`;
      return null;
    case "FLOAT":
      if (small || from.kind === "DOUBLE") return `Math.fround(${value})`;
      if (from.kind === "BIGINT") return `Math.fround(Number(${value}))`;
      return null;
    case "DECIMAL":
      // Integers always fit a DECIMAL with at least their digits (INT: 10, BIGINT: 19).
      if (
        to.scale === 0 &&
        ((small && to.precision >= 10) || (from.kind === "BIGINT" && to.precision >= 19))
      ) {
        return small ? `BigInt(${value})` : value;
      }
      if (small && to.precision - to.scale >= 10) return `BigInt(${value}) * ${10n ** BigInt(to.scale)}n`;
      return null;
    default:
      return null;
  }
}
