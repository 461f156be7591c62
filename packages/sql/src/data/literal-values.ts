/**
 * Values and types of SQL literals, as Flink (Calcite) types them.
 *
 * Invariants: an integer literal is `INT NOT NULL` when it fits 32 bits, else `BIGINT NOT NULL`,
 * else `DECIMAL(p, 0) NOT NULL`; `1.50` is `DECIMAL(3, 2) NOT NULL` holding `150n` (precision =
 * digits of the unscaled value but at least the scale); `1.5E3` is `DOUBLE NOT NULL`. Malformed text
 * throws a {@link LogicalTypeError} that quotes it (the caller adds the position).
 * @module
 */

import type { IntervalQualifier } from "../ast/types.ts";
import { intervalType } from "../types/from-ast.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import { LogicalTypes, MAX_DECIMAL_PRECISION } from "../types/type-factory.ts";
import { MILLIS_PER_DAY, MILLIS_PER_HOUR, MILLIS_PER_MINUTE } from "./temporal.ts";
import { parseDateText, parseTimestampText, parseTimeText } from "./temporal-text.ts";
import { parseTimestampNanosText } from "./timestamp-nanos.ts";
import type { SqlValue } from "./values.ts";

export interface TypedValue {
  readonly value: SqlValue;
  readonly type: LogicalType;
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** `text` is unsigned as the parser produces it; a leading `-` is accepted too (for folded negation). */
export function parseNumberLiteral(text: string, form: "integer" | "decimal" | "approximate"): TypedValue {
  if (form === "approximate") {
    const value = Number(text);
    if (Number.isNaN(value) || !/^-?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text)) {
      throw new LogicalTypeError(`'${text}' is not a valid approximate numeric literal`);
    }
    return { value, type: LogicalTypes.double(false) };
  }
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (
    match === null ||
    (match[2] === "" && (match[3] ?? "") === "") ||
    (form === "integer" && match[3] !== undefined)
  ) {
    throw new LogicalTypeError(`'${text}' is not a valid ${form} literal`);
  }
  const fraction = match[3] ?? "";
  const magnitude = BigInt(`${match[2] || "0"}${fraction}`);
  const unscaled = match[1] === "-" ? -magnitude : magnitude;
  if (form === "integer") {
    if (unscaled >= INT_MIN && unscaled <= INT_MAX)
      return { value: Number(unscaled), type: LogicalTypes.int(false) };
    if (unscaled >= LONG_MIN && unscaled <= LONG_MAX)
      return { value: unscaled, type: LogicalTypes.bigint(false) };
  }
  const scale = fraction.length;
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  const precision = Math.max(digits, scale, 1);
  if (precision > MAX_DECIMAL_PRECISION) {
    throw new LogicalTypeError(
      `numeric literal '${text}' is out of range: more than ${MAX_DECIMAL_PRECISION} digits`,
    );
  }
  return { value: unscaled, type: LogicalTypes.decimal(precision, scale, false) };
}

export function parseDateLiteral(text: string): number {
  const days = parseDateText(text);
  if (days === undefined)
    throw new LogicalTypeError(`'${text}' is not a valid DATE literal (expected 'YYYY-MM-DD')`);
  return days;
}

export function parseTimeLiteral(text: string): number {
  const millis = parseTimeText(text);
  if (millis === undefined)
    throw new LogicalTypeError(`'${text}' is not a valid TIME literal (expected 'HH:mm:ss[.fff]')`);
  return millis;
}

/** The literal's value for its TIMESTAMP(p) type, p = its fraction digits: epoch nanos when p > 6 (values.ts). */
export function parseTimestampLiteral(text: string): number | bigint {
  const millis = literalFractionDigits(text) > 6 ? parseTimestampNanosText(text) : parseTimestampText(text);
  if (millis === undefined) {
    throw new LogicalTypeError(
      `'${text}' is not a valid TIMESTAMP literal (expected 'YYYY-MM-DD HH:mm:ss[.fff]')`,
    );
  }
  return millis;
}

/** Fraction digits written in a DATE/TIME/TIMESTAMP literal, which is its precision in Flink (`TIMESTAMP '… 00:00:00.12'` is TIMESTAMP(2)). */
export function literalFractionDigits(text: string): number {
  const match = /\.(\d+)\s*$/.exec(text);
  return match === null ? 0 : Math.min(match[1]!.length, 9);
}

const FIELD_PATTERNS: Record<string, RegExp> = {
  YEAR: /^(\d+)$/,
  "YEAR TO MONTH": /^(\d+)-(\d+)$/,
  MONTH: /^(\d+)$/,
  DAY: /^(\d+)$/,
  "DAY TO HOUR": /^(\d+) (\d+)$/,
  "DAY TO MINUTE": /^(\d+) (\d+):(\d+)$/,
  "DAY TO SECOND": /^(\d+) (\d+):(\d+):(\d+(?:\.\d*)?)$/,
  HOUR: /^(\d+)$/,
  "HOUR TO MINUTE": /^(\d+):(\d+)$/,
  "HOUR TO SECOND": /^(\d+):(\d+):(\d+(?:\.\d*)?)$/,
  MINUTE: /^(\d+)$/,
  "MINUTE TO SECOND": /^(\d+):(\d+(?:\.\d*)?)$/,
  SECOND: /^(\d+(?:\.\d*)?)$/,
};

const UNIT_MILLIS: Record<string, number> = {
  DAY: MILLIS_PER_DAY,
  HOUR: MILLIS_PER_HOUR,
  MINUTE: MILLIS_PER_MINUTE,
  SECOND: 1000,
};
const DAY_TIME_ORDER = ["DAY", "HOUR", "MINUTE", "SECOND"];

/**
 * `INTERVAL '1 02:03' DAY TO MINUTE` → millis (INTERVAL_DAY_TIME), `INTERVAL '1-6' YEAR TO MONTH`
 * → 18 months (INTERVAL_YEAR_MONTH). Fields after the first must stay in range (hours < 24 …).
 */
export function parseIntervalLiteral(
  text: string,
  qualifier: IntervalQualifier,
  negative: boolean,
): TypedValue {
  const type = intervalType(qualifier, false);
  const name = qualifier.end === null ? qualifier.start : `${qualifier.start} TO ${qualifier.end}`;
  const pattern = FIELD_PATTERNS[name];
  let body = text.trim();
  let sign = negative ? -1 : 1;
  if (body.startsWith("-")) {
    sign = -sign;
    body = body.slice(1).trim();
  } else if (body.startsWith("+")) body = body.slice(1).trim();
  const match = pattern === undefined ? null : pattern.exec(body);
  const bad = () => new LogicalTypeError(`'${text}' is not a valid INTERVAL ${name} literal`);
  if (match === null) throw bad();
  const fields = match.slice(1).map(Number);
  if (type.kind === "INTERVAL_YEAR_MONTH") {
    if (name === "YEAR TO MONTH" && fields[1]! > 11) throw bad();
    const months = name === "MONTH" ? fields[0]! : fields[0]! * 12 + (fields[1] ?? 0);
    return { value: sign * months, type };
  }
  const startIndex = DAY_TIME_ORDER.indexOf(qualifier.start);
  let millis = 0;
  fields.forEach((value, i) => {
    const unit = DAY_TIME_ORDER[startIndex + i]!;
    if (
      i > 0 &&
      ((unit === "HOUR" && value > 23) || ((unit === "MINUTE" || unit === "SECOND") && value >= 60))
    )
      throw bad();
    millis += unit === "SECOND" ? Math.round(value * 1000) : value * UNIT_MILLIS[unit]!;
  });
  return { value: sign * millis, type };
}
