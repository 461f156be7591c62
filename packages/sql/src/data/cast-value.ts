/**
 * CAST between SQL types with Flink's (non-legacy, ≥ 1.15) semantics, on the value representation
 * of values.ts.
 *
 * Invariants:
 * - numeric narrowing wraps like Java (`CAST(300 AS TINYINT)` = 44), DOUBLE → integer truncates
 *   toward zero and saturates (Java's `(long) d`), NaN → 0;
 * - DECIMAL results round HALF_UP and become NULL when they overflow the precision (Flink returns
 *   null from `DecimalData.fromBigDecimal`);
 * - strings that are not a value of the target type throw {@link SqlRuntimeError} (TRY_CAST turns
 *   that into NULL); `CAST(' 12 ' AS INT)` = 12 (blanks trimmed), `CAST('1.9' AS INT)` = 1;
 * - CAST to VARCHAR(n) truncates and to CHAR(n) pads with blanks; BINARY(n) pads with zero bytes;
 * - TIMESTAMP ↔ TIMESTAMP_LTZ goes through the session time zone of `context`; a TIMESTAMP(p > 6)
 *   (epoch nanos) casts to STRING and to TIMESTAMP(p > 6) exactly, to anything else through
 *   TIMESTAMP(6) (truncation, as Flink).
 * Worked example: `castValue("12.345", STRING, DECIMAL(4, 2), ctx)` is `1235n` (12.35).
 * @module
 */

import type { FunctionContext } from "../functions/function-definition.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { MAX_LENGTH } from "../types/logical-type.ts";
import { invalid, unsupported } from "./cast-errors.ts";
import { toDate, toNanoTimestamp, toTime, toTimestamp, toTimestampLtz } from "./cast-temporal.ts";
import {
  decimalFromNumber,
  decimalToNumber,
  fitsPrecision,
  parseDecimal,
  pow10,
  rescale,
} from "./decimal.ts";
import { formatJavaDouble, formatJavaFloat } from "./format-number.ts";
import { formatDayTimeInterval, formatValue, formatYearMonthInterval } from "./format-value.ts";
import { SqlRuntimeError } from "./sql-runtime-error.ts";
import { floorDiv } from "./temporal.ts";
import { truncateTimeToPrecision, truncateToPrecision } from "./temporal-text.ts";
import { isNanoTimestamp, millisFromNanos } from "./timestamp-nanos.ts";
import type { SqlValue } from "./values.ts";

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function castValue(
  value: SqlValue,
  from: LogicalType,
  to: LogicalType,
  context: FunctionContext,
): SqlValue {
  if (value === null) return null;
  // TIMESTAMP(p > 6) is epoch nanos (values.ts): into it exactly; out of it through TIMESTAMP(6).
  if (isNanoTimestamp(to)) return toNanoTimestamp(value, from, to, context);
  if (isNanoTimestamp(from)) {
    if (to.kind === "CHAR" || to.kind === "VARCHAR") {
      return fitString(formatValue(value, from, context.timeZone), to.kind, to.length);
    }
    // Whole millis (exact for every year) unless the target keeps a fraction of the millisecond.
    const fraction =
      to.kind === "TIMESTAMP" || to.kind === "TIMESTAMP_LTZ" || to.kind === "DOUBLE" || to.kind === "FLOAT";
    const precision = fraction ? 6 : 3;
    return castValue(
      millisFromNanos(value as bigint, precision),
      { ...from, precision } as LogicalType,
      to,
      context,
    );
  }
  switch (to.kind) {
    case "BOOLEAN":
      return toBoolean(value, from);
    case "TINYINT":
      return wrapInt(toInt32(value, from, to), 8);
    case "SMALLINT":
      return wrapInt(toInt32(value, from, to), 16);
    case "INT":
      return toInt32(value, from, to);
    case "BIGINT":
      return toInt64(value, from, to);
    case "FLOAT":
      return Math.fround(toDouble(value, from, to));
    case "DOUBLE":
      return toDouble(value, from, to);
    case "DECIMAL":
      return toDecimal(value, from, to.precision, to.scale);
    case "CHAR":
    case "VARCHAR":
      return fitString(toText(value, from, context.timeZone), to.kind, to.length);
    case "BINARY":
    case "VARBINARY":
      return fitBytes(toBytes(value, from), to.kind, to.length);
    case "DATE":
      return toDate(value, from, context.timeZone);
    case "TIME":
      return truncateTimeToPrecision(toTime(value, from, context.timeZone), to.precision);
    case "TIMESTAMP":
      return truncateToPrecision(toTimestamp(value, from, context.timeZone), to.precision);
    case "TIMESTAMP_LTZ":
      return truncateToPrecision(toTimestampLtz(value, from, context.timeZone), to.precision);
    case "INTERVAL_YEAR_MONTH":
    case "INTERVAL_DAY_TIME":
      if (from.kind === to.kind) return value;
      if (from.kind === "INT" || from.kind === "SMALLINT" || from.kind === "TINYINT") return value;
      if (from.kind === "BIGINT") return Number(value);
      throw unsupported(value, from, to);
    case "ARRAY":
      if (from.kind !== "ARRAY") throw unsupported(value, from, to);
      return (value as readonly SqlValue[]).map((v) => castValue(v, from.element, to.element, context));
    case "MULTISET": {
      if (from.kind !== "MULTISET") throw unsupported(value, from, to);
      const result = new Map<SqlValue, SqlValue>();
      for (const [k, count] of value as ReadonlyMap<SqlValue, SqlValue>) {
        const key = castValue(k, from.element, to.element, context);
        result.set(key, ((result.get(key) as number | undefined) ?? 0) + (count as number));
      }
      return result;
    }
    case "MAP": {
      if (from.kind !== "MAP") throw unsupported(value, from, to);
      const result = new Map<SqlValue, SqlValue>();
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        result.set(castValue(k, from.key, to.key, context), castValue(v, from.value, to.value, context));
      }
      return result;
    }
    case "ROW": {
      if (from.kind !== "ROW" || from.fields.length !== to.fields.length) throw unsupported(value, from, to);
      return (value as readonly SqlValue[]).map((v, i) =>
        castValue(v, from.fields[i]!.type, to.fields[i]!.type, context),
      );
    }
    case "NULL":
      return null;
  }
}

/** CAST for TRY_CAST: NULL instead of a {@link SqlRuntimeError}. */
export function tryCastValue(
  value: SqlValue,
  from: LogicalType,
  to: LogicalType,
  context: FunctionContext,
): SqlValue {
  try {
    return castValue(value, from, to, context);
  } catch (error) {
    if (error instanceof SqlRuntimeError) return null;
    throw error;
  }
}

function isString(type: LogicalType): boolean {
  return type.kind === "CHAR" || type.kind === "VARCHAR";
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "0"]);

function toBoolean(value: SqlValue, from: LogicalType): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "bigint") return value !== 0n;
  if (typeof value === "string" && isString(from)) {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw invalid(value, "BOOLEAN", "not a boolean");
  }
  throw unsupported(value, from, { kind: "BOOLEAN", nullable: true });
}

/** Java's narrowing of an int to `bits` bits (two's complement wrap). */
export function wrapInt(value: number, bits: 8 | 16): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** Java's `(long) d`: truncation toward zero, saturating, NaN → 0. */
export function doubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return 9223372036854775807n;
  if (value <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(value));
}

/** Java's `(int) d`. */
export function doubleToInt(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value >= 2147483647) return 2147483647;
  if (value <= -2147483648) return -2147483648;
  return Math.trunc(value) | 0;
}

const INTEGER_TEXT = /^[+-]?(\d+)(\.\d*)?$|^[+-]?\.\d+$/;

function parseIntegerText(text: string, to: LogicalType): bigint {
  const trimmed = text.trim();
  if (!INTEGER_TEXT.test(trimmed)) throw invalid(text, formatLogicalType(to), "not an integer");
  const dot = trimmed.indexOf(".");
  const integral = dot < 0 ? trimmed : trimmed.slice(0, dot);
  const value = integral === "" || integral === "-" || integral === "+" ? 0n : BigInt(integral);
  const [min, max] =
    to.kind === "BIGINT"
      ? [-(2n ** 63n), 2n ** 63n - 1n]
      : to.kind === "INT"
        ? [-2147483648n, 2147483647n]
        : to.kind === "SMALLINT"
          ? [-32768n, 32767n]
          : [-128n, 127n];
  if (value < min || value > max) throw invalid(text, formatLogicalType(to), "out of range");
  return value;
}

function toInt32(value: SqlValue, from: LogicalType, to: LogicalType): number {
  switch (from.kind) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "INTERVAL_YEAR_MONTH":
      return value as number;
    case "INTERVAL_DAY_TIME":
      return (value as number) | 0;
    case "BIGINT":
      return Number(BigInt.asIntN(32, value as bigint));
    case "DECIMAL":
      return Number(BigInt.asIntN(32, (value as bigint) / pow10(from.scale)));
    case "FLOAT":
    case "DOUBLE":
      return doubleToInt(value as number);
    case "BOOLEAN":
      return value ? 1 : 0;
    case "CHAR":
    case "VARCHAR":
      return Number(parseIntegerText(value as string, to));
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return Number(BigInt.asIntN(32, BigInt(floorDiv(value as number, 1000))));
    default:
      throw unsupported(value, from, to);
  }
}

function toInt64(value: SqlValue, from: LogicalType, to: LogicalType): bigint {
  switch (from.kind) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "INTERVAL_YEAR_MONTH":
    case "INTERVAL_DAY_TIME":
      return BigInt(value as number);
    case "BIGINT":
      return value as bigint;
    case "DECIMAL":
      return BigInt.asIntN(64, (value as bigint) / pow10(from.scale));
    case "FLOAT":
    case "DOUBLE":
      return doubleToLong(value as number);
    case "BOOLEAN":
      return value ? 1n : 0n;
    case "CHAR":
    case "VARCHAR":
      return parseIntegerText(value as string, to);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return BigInt(floorDiv(value as number, 1000));
    default:
      throw unsupported(value, from, to);
  }
}

const DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[dDfF]?$/;

function toDouble(value: SqlValue, from: LogicalType, to: LogicalType): number {
  switch (from.kind) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "FLOAT":
    case "DOUBLE":
      return value as number;
    case "BIGINT":
      return Number(value as bigint);
    case "DECIMAL":
      return decimalToNumber(value as bigint, from.scale);
    case "BOOLEAN":
      return value ? 1 : 0;
    case "CHAR":
    case "VARCHAR": {
      const trimmed = (value as string).trim();
      if (!DOUBLE_TEXT.test(trimmed)) throw invalid(value as string, formatLogicalType(to), "not a number");
      return Number(trimmed.replace(/[dDfF]$/, ""));
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return (value as number) / 1000;
    default:
      throw unsupported(value, from, to);
  }
}

function toDecimal(value: SqlValue, from: LogicalType, precision: number, scale: number): bigint | null {
  let unscaled: bigint;
  switch (from.kind) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      unscaled = BigInt(value as number) * pow10(scale);
      break;
    case "BIGINT":
      unscaled = (value as bigint) * pow10(scale);
      break;
    case "DECIMAL":
      unscaled = rescale(value as bigint, from.scale, scale);
      break;
    case "FLOAT":
      if (!Number.isFinite(value as number)) return null;
      unscaled = parseDecimal(formatJavaFloat(value as number), scale)!;
      break;
    case "DOUBLE":
      return decimalFromNumber(value as number, precision, scale);
    case "BOOLEAN":
      unscaled = value ? pow10(scale) : 0n;
      break;
    case "CHAR":
    case "VARCHAR": {
      const parsed = parseDecimal(value as string, scale);
      if (parsed === undefined)
        throw invalid(value as string, `DECIMAL(${precision}, ${scale})`, "not a number");
      unscaled = parsed;
      break;
    }
    default:
      throw unsupported(value, from, { kind: "DECIMAL", precision, scale, nullable: true });
  }
  return fitsPrecision(unscaled, precision) ? unscaled : null;
}

function toText(value: SqlValue, from: LogicalType, timeZone: string): string {
  switch (from.kind) {
    case "CHAR":
    case "VARCHAR":
      return value as string;
    case "BINARY":
    case "VARBINARY":
      return utf8Decoder.decode(value as Uint8Array);
    case "FLOAT":
      return formatJavaFloat(value as number);
    case "DOUBLE":
      return formatJavaDouble(value as number);
    case "INTERVAL_YEAR_MONTH":
      return formatYearMonthInterval(value as number);
    case "INTERVAL_DAY_TIME":
      return formatDayTimeInterval(value as number);
    default:
      return formatValue(value, from, timeZone);
  }
}

function fitString(text: string, kind: "CHAR" | "VARCHAR", length: number): string {
  if (length === MAX_LENGTH) return text;
  if (text.length > length) return text.slice(0, length);
  return kind === "CHAR" && text.length < length ? text.padEnd(length, " ") : text;
}

function toBytes(value: SqlValue, from: LogicalType): Uint8Array {
  if (from.kind === "BINARY" || from.kind === "VARBINARY") return value as Uint8Array;
  if (isString(from)) return utf8Encoder.encode(value as string);
  throw unsupported(value, from, { kind: "VARBINARY", length: MAX_LENGTH, nullable: true });
}

function fitBytes(bytes: Uint8Array, kind: "BINARY" | "VARBINARY", length: number): Uint8Array {
  if (length === MAX_LENGTH) return bytes;
  if (bytes.length > length) return bytes.slice(0, length);
  if (kind === "BINARY" && bytes.length < length) {
    const padded = new Uint8Array(length);
    padded.set(bytes);
    return padded;
  }
  return bytes;
}
