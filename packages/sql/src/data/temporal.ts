/**
 * Calendar and time-zone arithmetic on the numeric date/time representation of values.ts: DATE as
 * days since the epoch, TIME as millis of the day, TIMESTAMP as the wall clock read as UTC millis,
 * TIMESTAMP_LTZ as instant millis.
 *
 * Invariants: the proleptic Gregorian calendar throughout (as java.time, which Flink uses);
 * `floorDiv`/`floorMod` semantics for negative values (1969-12-31 is day -1); zone conversions go
 * through `Intl` with a per-zone cache, and `UTC`-like zones take a fast path.
 * Worked example: `daysFromCivil(2020, 2, 29)` is 18321 and `civilFromDays(18321)` is
 * `{ year: 2020, month: 2, day: 29 }`.
 * @module
 */

export const MILLIS_PER_SECOND = 1000;
export const MILLIS_PER_MINUTE = 60_000;
export const MILLIS_PER_HOUR = 3_600_000;
export const MILLIS_PER_DAY = 86_400_000;

export const MICROS_PER_MILLI = 1000;
const MICROS_PER_DAY = 86_400_000_000;

/**
 * The microseconds of a TIMESTAMP value in milliseconds (values.ts: the fraction holds the
 * microseconds, exactly for the years 1692 to 2247). Example: `timestampMicros(1577836800123.456)` is
 * `1577836800123456`.
 */
export function timestampMicros(millis: number): number {
  // Whole and fraction apart: `millis * 1000` would add a second rounding to the representation's.
  const whole = Math.floor(millis);
  return whole * MICROS_PER_MILLI + Math.round((millis - whole) * MICROS_PER_MILLI);
}

/** A TIMESTAMP value split into its day and its time of day, to the microsecond. */
export interface SplitTimestamp {
  /** Days since 1970-01-01. */
  readonly days: number;
  /** Whole milliseconds of the day (0 .. 86_399_999). */
  readonly millisOfDay: number;
  /** Microseconds past `millisOfDay` (0 .. 999). */
  readonly microsOfMilli: number;
}

export function splitTimestamp(millis: number): SplitTimestamp {
  if (Number.isInteger(millis)) {
    const days = Math.floor(millis / MILLIS_PER_DAY);
    return { days, millisOfDay: millis - days * MILLIS_PER_DAY, microsOfMilli: 0 };
  }
  const micros = timestampMicros(millis);
  const days = Math.floor(micros / MICROS_PER_DAY);
  const microsOfDay = micros - days * MICROS_PER_DAY;
  const millisOfDay = Math.floor(microsOfDay / MICROS_PER_MILLI);
  return { days, millisOfDay, microsOfMilli: microsOfDay - millisOfDay * MICROS_PER_MILLI };
}

export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
export function floorMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m + 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Adds months to a date the way java.time does: the day is clamped to the target month's length. */
export function addMonthsToDays(days: number, months: number): number {
  const { year, month, day } = civilFromDays(days);
  const total = year * 12 + (month - 1) + months;
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  return daysFromCivil(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** Adds months to a wall-clock timestamp (millis), keeping the time of day. */
export function addMonthsToTimestamp(millis: number, months: number): number {
  const days = floorDiv(millis, MILLIS_PER_DAY);
  return addMonthsToDays(days, months) * MILLIS_PER_DAY + (millis - days * MILLIS_PER_DAY);
}

/** 1 = Sunday … 7 = Saturday, as SQL's DAYOFWEEK. */
export function dayOfWeek(days: number): number {
  return floorMod(days + 4, 7) + 1;
}

const UTC_ZONES = new Set([
  "UTC",
  "GMT",
  "Z",
  "Etc/UTC",
  "Etc/GMT",
  "UCT",
  "Universal",
  "Zulu",
  "+00:00",
  "GMT+00:00",
  "UTC+00:00",
]);
const OFFSET_ZONE = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

interface ZoneRules {
  readonly fixedOffset: number | null;
  readonly format: Intl.DateTimeFormat | null;
  /** Offsets by hour since the epoch: zones change offset only on whole hours or half-hours, never within one UTC hour in practice. */
  readonly cache: Map<number, number>;
}

const zones = new Map<string, ZoneRules>();

function rulesOf(zone: string): ZoneRules {
  let rules = zones.get(zone);
  if (rules !== undefined) return rules;
  if (UTC_ZONES.has(zone)) {
    rules = { fixedOffset: 0, format: null, cache: new Map() };
  } else {
    const offset = OFFSET_ZONE.exec(zone);
    if (offset !== null) {
      const sign = offset[1] === "-" ? -1 : 1;
      const millis =
        sign * (Number(offset[2]) * MILLIS_PER_HOUR + Number(offset[3] ?? 0) * MILLIS_PER_MINUTE);
      rules = { fixedOffset: millis, format: null, cache: new Map() };
    } else {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          hourCycle: "h23",
          year: "numeric",
          month: "numeric",
          day: "numeric",
          hour: "numeric",
          minute: "numeric",
          second: "numeric",
          era: "short",
        });
      } catch {
        throw new RangeError(`unknown time zone '${zone}'`);
      }
      rules = { fixedOffset: null, format, cache: new Map() };
    }
  }
  zones.set(zone, rules);
  return rules;
}

/** Throws a RangeError naming the zone when `zone` is not a time zone Weir knows. */
export function checkTimeZone(zone: string): void {
  rulesOf(zone);
}

/** The zone's offset from UTC in millis at the instant `epochMillis`. */
export function zoneOffsetAt(epochMillis: number, zone: string): number {
  const rules = rulesOf(zone);
  if (rules.fixedOffset !== null) return rules.fixedOffset;
  const hour = Math.floor(epochMillis / MILLIS_PER_HOUR);
  const cached = rules.cache.get(hour);
  if (cached !== undefined) return cached;
  const parts = rules.format!.formatToParts(new Date(hour * MILLIS_PER_HOUR));
  let year = 0;
  let month = 0;
  let day = 0;
  let h = 0;
  let m = 0;
  let s = 0;
  let bc = false;
  for (const part of parts) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        h = Number(part.value);
        break;
      case "minute":
        m = Number(part.value);
        break;
      case "second":
        s = Number(part.value);
        break;
      case "era":
        bc = part.value.startsWith("B");
        break;
    }
  }
  if (bc) year = 1 - year;
  const wall =
    daysFromCivil(year, month, day) * MILLIS_PER_DAY + h * MILLIS_PER_HOUR + m * MILLIS_PER_MINUTE + s * 1000;
  const offset = wall - hour * MILLIS_PER_HOUR;
  if (rules.cache.size > 10_000) rules.cache.clear();
  rules.cache.set(hour, offset);
  return offset;
}

/** TIMESTAMP_LTZ instant → the wall clock in `zone` (TIMESTAMP representation). */
export function instantToWallClock(epochMillis: number, zone: string): number {
  return epochMillis + zoneOffsetAt(epochMillis, zone);
}

/**
 * Wall clock in `zone` → instant. In a DST gap the wall clock is moved forward by the gap; in an
 * overlap the earlier instant wins (java.time's `ZonedDateTime.of` rules).
 */
export function wallClockToInstant(wallMillis: number, zone: string): number {
  const rules = rulesOf(zone);
  if (rules.fixedOffset !== null) return wallMillis - rules.fixedOffset;
  const before = zoneOffsetAt(wallMillis - MILLIS_PER_DAY, zone);
  const after = zoneOffsetAt(wallMillis + MILLIS_PER_DAY, zone);
  const candidateEarly = wallMillis - Math.max(before, after);
  const candidateLate = wallMillis - Math.min(before, after);
  if (instantToWallClock(candidateEarly, zone) === wallMillis) return candidateEarly;
  if (instantToWallClock(candidateLate, zone) === wallMillis) return candidateLate;
  // In a gap: shift by the gap length, as java.time does.
  return wallMillis - before;
}
