/**
 * Text forms of dates, times and timestamps: what CAST from / to STRING, literals and the SQL client
 * read and print.
 *
 * Invariants: printing follows Flink — `2020-04-15`, `08:05:00`, `2020-04-15 08:05:00.000` with
 * exactly `precision` fraction digits (sub-millisecond digits print as 0, see values.ts); parsing
 * accepts what Flink's `DateTimeUtils` accepts (single-digit month/day/hour, `T` between date and
 * time, 0–9 fraction digits, optional seconds) and returns undefined for anything else, so the
 * caller chooses between an error and NULL. Example: `parseTimestampText("2020-4-5T1:02")` is the
 * millis of 2020-04-05 01:02:00.
 * @module
 */

import { civilFromDays, daysFromCivil, daysInMonth, floorDiv, MILLIS_PER_DAY } from "./temporal.ts";

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
  const match = TIME_TEXT.exec(text.trim());
  if (match === null) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number(`${match[4] ?? ""}000`.slice(0, 3));
  return ((hour * 60 + minute) * 60 + second) * 1000 + millis;
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
  const time = parseTimeText(timePart);
  if (time === undefined) return undefined;
  return days * MILLIS_PER_DAY + time;
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
  const totalSeconds = Math.floor(millisOfDay / 1000);
  const text = `${pad(Math.floor(totalSeconds / 3600), 2)}:${pad(Math.floor(totalSeconds / 60) % 60, 2)}:${pad(totalSeconds % 60, 2)}`;
  if (precision <= 0) return text;
  const fraction = `${pad(millisOfDay % 1000, 3)}000000`.slice(0, precision);
  return `${text}.${fraction}`;
}

export function formatTimestampText(millis: number, precision: number): string {
  const days = floorDiv(millis, MILLIS_PER_DAY);
  return `${formatDateText(days)} ${formatTimeText(millis - days * MILLIS_PER_DAY, precision)}`;
}

/** Drops the fraction digits a TIMESTAMP(p) / TIME(p) with p < 3 cannot hold (truncation, as Flink). */
export function truncateToPrecision(millis: number, precision: number): number {
  if (precision >= 3) return millis;
  const unit = precision === 0 ? 1000 : precision === 1 ? 100 : 10;
  return Math.floor(millis / unit) * unit;
}
