/**
 * Timestamps to the nanosecond as a `bigint` count of epoch nanoseconds (the wall clock read as UTC
 * for TIMESTAMP, the instant for TIMESTAMP_LTZ): the building blocks for holding TIMESTAMP(p) /
 * TIMESTAMP_LTZ(p) with p = 7..9 exactly (issue 5). Conversions to and from the millisecond
 * representation of p ≤ 6 (values.ts), truncation to a precision, splitting into day and time of
 * day, and the text form.
 *
 * Invariants: every function is exact over the whole range of years 0001–9999 (a bigint has no
 * rounding; the millisecond side is exact wherever values.ts says it is); precision cuts truncate
 * toward negative infinity, as Flink's `TimestampData` truncation does, so `1969-12-31
 * 23:59:59.9999999995` at TIMESTAMP(9) → TIMESTAMP(6) is `… 23:59:59.999999`, never the next second.
 * Text follows temporal-text.ts (`2020-04-15 08:05:00.123456789`, exactly `precision` fraction
 * digits; the parser accepts the same forms and keeps all nine digits).
 * Worked sequence: `parseTimestampNanosText("2020-01-01 00:00:00.123456789")` is
 * `1577836800123456789n`; `millisFromNanos(1577836800123456789n, 6)` is `1577836800123.456`;
 * `nanosFromMillis(1577836800123.456)` is `1577836800123456000n`;
 * `formatTimestampNanosText(1577836800123456789n, 8)` is `"2020-01-01 00:00:00.12345678"`.
 * @module
 */

import type { LogicalType } from "../types/logical-type.ts";
import { MICROS_PER_MILLI, MILLIS_PER_DAY, wallClockToInstant, zoneOffsetAt } from "./temporal.ts";
import { formatDateText, parseClockNanos, parseDateText } from "./temporal-text.ts";

export const NANOS_PER_MICRO = 1000n;
export const NANOS_PER_MILLI = 1_000_000n;
export const NANOS_PER_SECOND = 1_000_000_000n;
export const NANOS_PER_DAY = 86_400_000_000_000n;

/** True for the types values.ts holds as epoch nanos: TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p > 6. */
export function isNanoTimestamp(type: LogicalType): boolean {
  return (type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ") && type.precision > 6;
}

/** `a / b` rounded toward negative infinity (bigint division truncates toward zero). */
export function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Drops the digits a TIMESTAMP(p) cannot hold (p = 0..9), toward negative infinity. */
export function truncateNanos(nanos: bigint, precision: number): bigint {
  if (precision >= 9) return nanos;
  const unit = 10n ** BigInt(9 - Math.max(precision, 0));
  return floorDivBig(nanos, unit) * unit;
}

/**
 * A TIMESTAMP(p ≤ 6) value (epoch millis with the microseconds as the fraction) → epoch nanos.
 * Whole millis and fraction are read apart, as `timestampMicros` does, so a value far from 1970
 * (whose microsecond count passes 2^53) still converts without a second rounding.
 */
export function nanosFromMillis(millis: number): bigint {
  const whole = Math.floor(millis);
  const micros = Math.round((millis - whole) * MICROS_PER_MILLI);
  return BigInt(whole) * NANOS_PER_MILLI + BigInt(micros) * NANOS_PER_MICRO;
}

/**
 * Epoch nanos → the representation of TIMESTAMP(p), p ≤ 6 (values.ts), truncated to `precision`:
 * whole millis for p ≤ 3, otherwise the microseconds divided by 1000 in one step — the same
 * arithmetic `truncateToPrecision` and the text parser use, so equal timestamps from either path
 * are the same number.
 */
export function millisFromNanos(nanos: bigint, precision: number): number {
  const micros = floorDivBig(truncateNanos(nanos, Math.min(precision, 6)), NANOS_PER_MICRO);
  const millis = floorDivBig(micros, 1000n);
  if (micros === millis * 1000n) return Number(millis);
  return Number(micros) / MICROS_PER_MILLI;
}

/**
 * Epoch milliseconds from a system (a Kafka record's timestamp, a NATS message's) as a value of
 * `type`, a TIMESTAMP or TIMESTAMP_LTZ of any precision: bigint nanos above 6, else the millis
 * truncated to the precision. Example: `1500.7` as TIMESTAMP_LTZ(0) is `1000`, as (9) `1500700000n`.
 */
export function timestampValueFromMillis(millis: number, type: LogicalType): number | bigint {
  const precision = (type as { precision?: number }).precision ?? 3;
  if (isNanoTimestamp(type)) return nanosFromMillis(millis);
  return millisFromNanos(nanosFromMillis(millis), precision);
}

/** Any TIMESTAMP / TIMESTAMP_LTZ value of `type` as exact epoch nanos (for formats that store a unit). */
export function timestampNanosOf(value: number | bigint, type: LogicalType): bigint {
  return isNanoTimestamp(type) ? (value as bigint) : nanosFromMillis(value as number);
}

/** Epoch nanos as a value of `type`, truncated to its precision (toward the past, as a cast). */
export function timestampValueFromNanos(nanos: bigint, type: LogicalType): number | bigint {
  const precision = (type as { precision?: number }).precision ?? 3;
  return isNanoTimestamp(type) ? truncateNanos(nanos, precision) : millisFromNanos(nanos, precision);
}

/** A nanosecond timestamp split into its day and its time of day. */
export interface SplitTimestampNanos {
  /** Days since 1970-01-01. */
  readonly days: number;
  /** Whole milliseconds of the day (0 .. 86_399_999). */
  readonly millisOfDay: number;
  /** Nanoseconds past `millisOfDay` (0 .. 999_999). */
  readonly nanosOfMilli: number;
}

export function splitTimestampNanos(nanos: bigint): SplitTimestampNanos {
  const days = floorDivBig(nanos, NANOS_PER_DAY);
  // Below 2^53: a day has 8.64e13 nanoseconds.
  const nanosOfDay = Number(nanos - days * NANOS_PER_DAY);
  const millisOfDay = Math.floor(nanosOfDay / 1_000_000);
  return { days: Number(days), millisOfDay, nanosOfMilli: nanosOfDay - millisOfDay * 1_000_000 };
}

/** `YYYY-MM-DD[( |T)HH:mm[:ss[.fffffffff]]]` → wall-clock epoch nanos, all nine digits kept. */
export function parseTimestampNanosText(text: string): bigint | undefined {
  const trimmed = text.trim();
  const split = trimmed.search(/[ T]/);
  const days = parseDateText(split < 0 ? trimmed : trimmed.slice(0, split));
  if (days === undefined) return undefined;
  const dayNanos = BigInt(days) * NANOS_PER_DAY;
  if (split < 0) return dayNanos;
  let timePart = trimmed.slice(split + 1).trim();
  if (timePart.endsWith("Z")) timePart = timePart.slice(0, -1);
  const nanosOfDay = parseClockNanos(timePart);
  return nanosOfDay === undefined ? undefined : dayNanos + BigInt(nanosOfDay);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** Wall-clock epoch nanos → `YYYY-MM-DD HH:mm:ss[.f…]` with exactly `precision` (0–9) fraction digits. */
export function formatTimestampNanosText(nanos: bigint, precision: number): string {
  const { days, millisOfDay, nanosOfMilli } = splitTimestampNanos(nanos);
  const seconds = Math.floor(millisOfDay / 1000);
  const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  const text = `${formatDateText(days)} ${clock}`;
  if (precision <= 0) return text;
  return `${text}.${`${pad(millisOfDay % 1000, 3)}${pad(nanosOfMilli, 6)}`.slice(0, precision)}`;
}

/** Whole epoch millis of a nanosecond timestamp (toward negative infinity), for zone offsets and calendars. */
export function wholeMillisOfNanos(nanos: bigint): number {
  return Number(floorDivBig(nanos, NANOS_PER_MILLI));
}

/** Days since the epoch of a nanosecond timestamp: the DATE a cast gives. */
export function daysOfNanos(nanos: bigint): number {
  return Math.floor(wholeMillisOfNanos(nanos) / MILLIS_PER_DAY);
}

/** TIMESTAMP_LTZ instant nanos → wall-clock nanos in `zone` (offsets are whole milliseconds). */
export function nanosInstantToWallClock(nanos: bigint, zone: string): bigint {
  return nanos + BigInt(zoneOffsetAt(wholeMillisOfNanos(nanos), zone)) * NANOS_PER_MILLI;
}

/** Wall-clock nanos in `zone` → instant nanos, with temporal.ts's gap and overlap rules. */
export function nanosWallClockToInstant(nanos: bigint, zone: string): bigint {
  const wall = wholeMillisOfNanos(nanos);
  return nanos + BigInt(wallClockToInstant(wall, zone) - wall) * NANOS_PER_MILLI;
}
