/**
 * Time units on the numeric date/time representation: reading any temporal value as a wall clock
 * (TIMESTAMP_LTZ through the session zone), EXTRACT of a unit, FLOOR / CEIL to a unit, the unit
 * lengths TIMESTAMPADD / TIMESTAMPDIFF use, and the plan-time check of unit literals.
 *
 * Invariants: units are upper-case names as the validator passes them (`'HOUR'`); WEEK is the ISO
 * week for EXTRACT and weeks start on Sunday for FLOOR (Calcite); month-based units respect month
 * lengths (`CEIL(TIMESTAMP '2020-01-31 10:00', 'MONTH')` is 2020-02-01 00:00).
 * @module
 */

import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import {
  addMonthsToTimestamp,
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  floorDiv,
  floorMod,
  instantToWallClock,
  MILLIS_PER_DAY,
  MILLIS_PER_HOUR,
  MILLIS_PER_MINUTE,
  splitTimestamp,
  wallClockToInstant,
} from "../data/temporal.ts";
import {
  isNanoTimestamp,
  millisFromNanos,
  nanosInstantToWallClock,
  nanosWallClockToInstant,
  splitTimestampNanos,
} from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { isInterval } from "../types/type-coercion.ts";
import type { FunctionContext } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

/**
 * Wall-clock millis of a DATE / TIME / TIMESTAMP / TIMESTAMP_LTZ value; a TIMESTAMP(p > 6) comes
 * back as its TIMESTAMP(6) number (digits past the microsecond are {@link wallNanosOf}'s).
 */
export function wallClockOf(value: SqlValue, type: LogicalType, timeZone: string): number {
  if (isNanoTimestamp(type)) return millisFromNanos(wallNanosOf(value as bigint, type, timeZone), 6);
  switch (type.kind) {
    case "DATE":
      return (value as number) * MILLIS_PER_DAY;
    case "TIMESTAMP_LTZ":
      return instantToWallClock(value as number, timeZone);
    default:
      return value as number;
  }
}

/** Wall-clock epoch nanos of a TIMESTAMP(p > 6) / TIMESTAMP_LTZ(p > 6) value. */
export function wallNanosOf(value: bigint, type: LogicalType, timeZone: string): bigint {
  return type.kind === "TIMESTAMP_LTZ" ? nanosInstantToWallClock(value, timeZone) : value;
}

/** Wall-clock epoch nanos → a TIMESTAMP(p > 6) / TIMESTAMP_LTZ(p > 6) value of `type`. */
export function fromWallNanos(wall: bigint, type: LogicalType, timeZone: string): bigint {
  return type.kind === "TIMESTAMP_LTZ" ? nanosWallClockToInstant(wall, timeZone) : wall;
}

export function fromWallClock(wall: number, type: LogicalType, timeZone: string): number {
  switch (type.kind) {
    case "DATE":
      return floorDiv(wall, MILLIS_PER_DAY);
    case "TIMESTAMP_LTZ":
      return wallClockToInstant(wall, timeZone);
    case "TIME":
      return floorMod(wall, MILLIS_PER_DAY);
    default:
      return wall;
  }
}

export function isoWeek(days: number): { week: number; year: number } {
  const isoDow = ((dayOfWeek(days) + 5) % 7) + 1;
  const thursday = days - isoDow + 4;
  const year = civilFromDays(thursday).year;
  return { week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1, year };
}

/** EXTRACT(unit FROM wall clock millis). */
export function extractFromWallClock(unit: string, wall: number): number {
  const { days, millisOfDay: ofDay, microsOfMilli } = splitTimestamp(wall);
  switch (unit) {
    case "MILLENNIUM":
      return Math.floor((civilFromDays(days).year - 1) / 1000) + 1;
    case "CENTURY":
      return Math.floor((civilFromDays(days).year - 1) / 100) + 1;
    case "DECADE":
      return Math.floor(civilFromDays(days).year / 10);
    case "YEAR":
      return civilFromDays(days).year;
    case "QUARTER":
      return Math.floor((civilFromDays(days).month - 1) / 3) + 1;
    case "MONTH":
      return civilFromDays(days).month;
    case "WEEK":
      return isoWeek(days).week;
    case "ISOYEAR":
      return isoWeek(days).year;
    case "DAY":
      return civilFromDays(days).day;
    case "DOW":
      return dayOfWeek(days);
    case "ISODOW":
      return ((dayOfWeek(days) + 5) % 7) + 1;
    case "DOY":
      return days - daysFromCivil(civilFromDays(days).year, 1, 1) + 1;
    case "HOUR":
      return Math.floor(ofDay / MILLIS_PER_HOUR);
    case "MINUTE":
      return Math.floor(ofDay / MILLIS_PER_MINUTE) % 60;
    case "SECOND":
      return Math.floor(ofDay / 1000) % 60;
    case "MILLISECOND":
      return (Math.floor(ofDay / 1000) % 60) * 1000 + (ofDay % 1000);
    case "MICROSECOND":
      return ((Math.floor(ofDay / 1000) % 60) * 1000 + (ofDay % 1000)) * 1000 + microsOfMilli;
    case "NANOSECOND":
      return (((Math.floor(ofDay / 1000) % 60) * 1000 + (ofDay % 1000)) * 1000 + microsOfMilli) * 1000;
    case "EPOCH":
      return floorDiv(wall, 1000);
    default:
      throw new SqlRuntimeError(`EXTRACT does not support the unit ${unit}`);
  }
}

export function extractFromInterval(unit: string, value: number, type: LogicalType): number {
  if (type.kind === "INTERVAL_YEAR_MONTH") {
    if (unit === "YEAR") return Math.trunc(value / 12);
    if (unit === "MONTH") return value % 12;
    if (unit === "QUARTER") return Math.trunc((value % 12) / 3) + 1;
    throw new SqlRuntimeError(`EXTRACT(${unit} FROM INTERVAL YEAR TO MONTH) is not supported`);
  }
  switch (unit) {
    case "DAY":
      return Math.trunc(value / MILLIS_PER_DAY);
    case "HOUR":
      return Math.trunc(value / MILLIS_PER_HOUR) % 24;
    case "MINUTE":
      return Math.trunc(value / MILLIS_PER_MINUTE) % 60;
    case "SECOND":
      return Math.trunc(value / 1000) % 60;
    case "MILLISECOND":
      return value % 60000;
    case "EPOCH":
      return Math.trunc(value / 1000);
    default:
      throw new SqlRuntimeError(`EXTRACT(${unit} FROM INTERVAL DAY TO SECOND) is not supported`);
  }
}

export function extractImplementation(type: LogicalType): Impl {
  if (isInterval(type))
    return (_c, unit, value) => BigInt(extractFromInterval(unit as string, value as number, type));
  if (isNanoTimestamp(type)) {
    return (c, unit, value) => {
      if (unit !== "NANOSECOND") {
        return BigInt(extractFromWallClock(unit as string, wallClockOf(value, type, c.timeZone)));
      }
      // The nanoseconds of the minute, exactly (below 2^53).
      const { millisOfDay, nanosOfMilli } = splitTimestampNanos(
        wallNanosOf(value as bigint, type, c.timeZone),
      );
      return BigInt(
        ((Math.floor(millisOfDay / 1000) % 60) * 1000 + (millisOfDay % 1000)) * 1_000_000 + nanosOfMilli,
      );
    };
  }
  return (c, unit, value) =>
    BigInt(extractFromWallClock(unit as string, wallClockOf(value as number, type, c.timeZone)));
}

export const EXTRACT_UNITS: ReadonlySet<string> = new Set([
  "MILLENNIUM",
  "CENTURY",
  "DECADE",
  "YEAR",
  "QUARTER",
  "MONTH",
  "WEEK",
  "ISOYEAR",
  "DAY",
  "DOW",
  "ISODOW",
  "DOY",
  "HOUR",
  "MINUTE",
  "SECOND",
  "MILLISECOND",
  "MICROSECOND",
  "NANOSECOND",
  "EPOCH",
]);
export const INTERVAL_EXTRACT_UNITS: ReadonlySet<string> = new Set([
  "YEAR",
  "QUARTER",
  "MONTH",
  "DAY",
  "HOUR",
  "MINUTE",
  "SECOND",
  "MILLISECOND",
  "EPOCH",
]);
export const FLOOR_UNITS: ReadonlySet<string> = new Set([
  "MILLISECOND",
  "SECOND",
  "MINUTE",
  "HOUR",
  "DAY",
  "WEEK",
  "MONTH",
  "QUARTER",
  "YEAR",
  "DECADE",
  "CENTURY",
  "MILLENNIUM",
]);
export const ADD_UNITS: ReadonlySet<string> = new Set([
  "MILLISECOND",
  "SECOND",
  "MINUTE",
  "HOUR",
  "DAY",
  "WEEK",
  "MONTH",
  "QUARTER",
  "YEAR",
]);

/** A unit operand must be a literal naming a unit the function knows: checked at plan time, not per row. */
export function checkUnit(name: string, unit: SqlValue | undefined, allowed: ReadonlySet<string>): void {
  if (unit === undefined) throw new FunctionTypeError(`${name} expects its time unit as a literal`);
  if (typeof unit !== "string" || !allowed.has(unit.toUpperCase())) {
    throw new FunctionTypeError(
      `${name} does not support the time unit ${String(unit)}; expected one of ${[...allowed].join(", ")}`,
    );
  }
}

/** Floors a wall clock to a unit. */
export function floorWallClock(wall: number, unit: string): number {
  switch (unit) {
    case "MILLISECOND":
      return Math.floor(wall);
    case "SECOND":
      return floorDiv(wall, 1000) * 1000;
    case "MINUTE":
      return floorDiv(wall, MILLIS_PER_MINUTE) * MILLIS_PER_MINUTE;
    case "HOUR":
      return floorDiv(wall, MILLIS_PER_HOUR) * MILLIS_PER_HOUR;
    case "DAY":
      return floorDiv(wall, MILLIS_PER_DAY) * MILLIS_PER_DAY;
    case "WEEK": {
      // Weeks start on Sunday, as Calcite's floor does.
      const days = floorDiv(wall, MILLIS_PER_DAY);
      return (days - (dayOfWeek(days) - 1)) * MILLIS_PER_DAY;
    }
    case "MONTH":
    case "QUARTER":
    case "YEAR":
    case "DECADE":
    case "CENTURY":
    case "MILLENNIUM": {
      const { year, month } = civilFromDays(floorDiv(wall, MILLIS_PER_DAY));
      const m = unit === "MONTH" ? month : unit === "QUARTER" ? month - ((month - 1) % 3) : 1;
      const span = unit === "DECADE" ? 10 : unit === "CENTURY" ? 100 : unit === "MILLENNIUM" ? 1000 : 1;
      const y =
        span === 1
          ? year
          : unit === "DECADE"
            ? Math.floor(year / 10) * 10
            : Math.floor((year - 1) / span) * span + 1;
      return daysFromCivil(y, m, 1) * MILLIS_PER_DAY;
    }
    default:
      throw new SqlRuntimeError(`FLOOR / CEIL do not support the unit ${unit}`);
  }
}

export function ceilWallClock(wall: number, unit: string): number {
  const floor = floorWallClock(wall, unit);
  if (floor === wall) return wall;
  switch (unit) {
    case "MONTH":
      return addMonthsToTimestamp(floor, 1);
    case "QUARTER":
      return addMonthsToTimestamp(floor, 3);
    case "YEAR":
      return addMonthsToTimestamp(floor, 12);
    case "DECADE":
      return addMonthsToTimestamp(floor, 120);
    case "CENTURY":
      return addMonthsToTimestamp(floor, 1200);
    case "MILLENNIUM":
      return addMonthsToTimestamp(floor, 12000);
    default:
      return floorWallClock(wall + UNIT_MILLIS[unit]! - 1, unit);
  }
}

export const UNIT_MILLIS: Record<string, number> = {
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: MILLIS_PER_MINUTE,
  HOUR: MILLIS_PER_HOUR,
  DAY: MILLIS_PER_DAY,
  WEEK: 7 * MILLIS_PER_DAY,
};
export const UNIT_MONTHS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
