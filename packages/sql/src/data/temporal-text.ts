/**
 * Text forms of dates, times and timestamps: what CAST from / to STRING, literals and the SQL client
 * read and print.
 *
 * Invariants: printing follows Flink — `2020-04-15`, `08:05:00`, `2020-04-15 08:05:00.000` with
 * exactly `precision` fraction digits (a number has none past the microsecond, so they print as 0;
 * TIMESTAMP(p > 6) values are bigint nanos with their own text in timestamp-nanos.ts);
 * parsing accepts what Flink's `DateTimeUtils` accepts (single-digit month/day/hour, `T` between
 * date and time, 0–9 fraction digits, optional seconds) and returns undefined for anything else,
 * so the caller chooses between an error and NULL. A parsed timestamp keeps its microseconds; a
 * parsed TIME keeps milliseconds. Example: `parseTimestampText("2020-4-5T1:02:03.0000015")` is the
 * millis of 2020-04-05 01:02:03 plus 0.001 (1 µs; the 0.5 µs is dropped).
 * @module
 */

import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MICROS_PER_MILLI,
  MILLIS_PER_DAY,
  splitTimestamp,
  timestampMicros,
} from "./temporal.ts";

const DATE_TEXT = /^([+-]?\d{1,9})-(\d{1,2})-(\d{1,2})$/;
const TIME_TEXT = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?$/;

/** `YYYY-MM-DD` → days since the epoch. */
export function parseDateText(text: string): number | undefined {
  const match = DATE_TEXT.exec(text.trim());
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** `HH:mm[:ss[.fffffffff]]` → millis of the day (fraction truncated to millis). */
export function parseTimeText(text: string): number | undefined {
  const micros = parseClockMicros(text);
  return micros === undefined ? undefined : Math.floor(micros / MICROS_PER_MILLI);
}

/** `HH:mm[:ss[.fffffffff]]` → microseconds of the day (fraction truncated to micros). */
function parseClockMicros(text: string): number | undefined {
  const nanos = parseClockNanos(text);
  return nanos === undefined ? undefined : Math.floor(nanos / 1000);
}

/** `HH:mm[:ss[.fffffffff]]` → nanoseconds of the day (below 2^53, so exact as a number). */
export function parseClockNanos(text: string): number | undefined {
  const match = TIME_TEXT.exec(text.trim());
  if (match === null) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const nanos = Number(`${match[4] ?? ""}000000000`.slice(0, 9));
  return ((hour * 60 + minute) * 60 + second) * 1_000_000_000 + nanos;
}

/** `YYYY-MM-DD[( |T)HH:mm[:ss[.f…]]]` → wall-clock millis. */
export function parseTimestampText(text: string): number | undefined {
  const trimmed = text.trim();
  const split = trimmed.search(/[ T]/);
  const datePart = split < 0 ? trimmed : trimmed.slice(0, split);
  const days = parseDateText(datePart);
  if (days === undefined) return undefined;
  if (split < 0) return days * MILLIS_PER_DAY;
  let timePart = trimmed.slice(split + 1).trim();
  if (timePart.endsWith("Z")) timePart = timePart.slice(0, -1);
  const micros = parseClockMicros(timePart);
  if (micros === undefined) return undefined;
  const millis = days * MILLIS_PER_DAY + Math.floor(micros / MICROS_PER_MILLI);
  const microsOfMilli = micros % MICROS_PER_MILLI;
  return microsOfMilli === 0 ? millis : (timestampMicros(millis) + microsOfMilli) / MICROS_PER_MILLI;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

export function formatDateText(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Millis of the day with `precision` fraction digits (0–9). */
export function formatTimeText(millisOfDay: number, precision: number): string {
  return clockText(millisOfDay, 0, precision);
}

function clockText(millisOfDay: number, microsOfMilli: number, precision: number): string {
  const totalSeconds = Math.floor(millisOfDay / 1000);
  const text = `${pad(Math.floor(totalSeconds / 3600), 2)}:${pad(Math.floor(totalSeconds / 60) % 60, 2)}:${pad(totalSeconds % 60, 2)}`;
  if (precision <= 0) return text;
  const fraction = `${pad(millisOfDay % 1000, 3)}${pad(microsOfMilli, 3)}000`.slice(0, precision);
  return `${text}.${fraction}`;
}

export function formatTimestampText(millis: number, precision: number): string {
  const { days, millisOfDay, microsOfMilli } = splitTimestamp(millis);
  return `${formatDateText(days)} ${clockText(millisOfDay, microsOfMilli, precision)}`;
}

/**
 * Drops the fraction digits a TIMESTAMP(p) cannot hold (truncation, as Flink): whole
 * milliseconds for p ≤ 3, and for p = 4, 5 the tenths or hundredths of a millisecond.
 */
export function truncateToPrecision(millis: number, precision: number): number {
  if (Number.isInteger(millis) && precision >= 3) return millis;
  if (precision >= 6) return timestampMicros(millis) / MICROS_PER_MILLI;
  if (precision >= 3) {
    const unit = 10 ** (6 - precision);
    return (Math.floor(timestampMicros(millis) / unit) * unit) / MICROS_PER_MILLI;
  }
  const unit = 10 ** (3 - precision);
  return Math.floor(millis / unit) * unit;
}

/** A TIME(p) keeps milliseconds only (values.ts): truncation to min(p, 3) digits. */
export function truncateTimeToPrecision(millisOfDay: number, precision: number): number {
  return truncateToPrecision(Math.floor(millisOfDay), Math.min(precision, 3));
}
