/**
 * CAST to the temporal types DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ, on the representations of
 * values.ts: the caller (`castValue`) truncates to the target precision afterwards, except for a
 * TIMESTAMP(p > 6) target, whose epoch nanos are truncated here.
 *
 * Invariant: TIMESTAMP ↔ TIMESTAMP_LTZ goes through the session time zone; text is read as Flink's
 * `DateTimeUtils` reads it. Example: `toDate("2020-04-15 08:05", VARCHAR, "UTC")` is 18367.
 * @module
 */

import type { FunctionContext } from "../functions/function-definition.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { invalid, unsupported } from "./cast-errors.ts";
import { castValue } from "./cast-value.ts";
import { decimalToNumber } from "./decimal.ts";
import { floorDiv, floorMod, instantToWallClock, MILLIS_PER_DAY, wallClockToInstant } from "./temporal.ts";
import { parseDateText, parseTimestampText, parseTimeText } from "./temporal-text.ts";
import {
  isNanoTimestamp,
  nanosFromMillis,
  nanosInstantToWallClock,
  nanosWallClockToInstant,
  parseTimestampNanosText,
  truncateNanos,
} from "./timestamp-nanos.ts";
import type { SqlValue } from "./values.ts";

export function toDate(value: SqlValue, from: LogicalType, timeZone: string): number {
  switch (from.kind) {
    case "DATE":
      return value as number;
    case "TIMESTAMP":
      return floorDiv(value as number, MILLIS_PER_DAY);
    case "TIMESTAMP_LTZ":
      return floorDiv(instantToWallClock(value as number, timeZone), MILLIS_PER_DAY);
    case "CHAR":
    case "VARCHAR": {
      const text = (value as string).trim();
      const days = parseDateText(text) ?? timestampDays(text);
      if (days === undefined) throw invalid(value as string, "DATE", "not a date");
      return days;
    }
    default:
      throw unsupported(value, from, { kind: "DATE", nullable: true });
  }
}

function timestampDays(text: string): number | undefined {
  const millis = parseTimestampText(text);
  return millis === undefined ? undefined : floorDiv(millis, MILLIS_PER_DAY);
}

export function toTime(value: SqlValue, from: LogicalType, timeZone: string): number {
  switch (from.kind) {
    case "TIME":
      return value as number;
    case "TIMESTAMP":
      return floorMod(value as number, MILLIS_PER_DAY);
    case "TIMESTAMP_LTZ":
      return floorMod(instantToWallClock(value as number, timeZone), MILLIS_PER_DAY);
    case "CHAR":
    case "VARCHAR": {
      const text = value as string;
      let millis = parseTimeText(text);
      if (millis === undefined) {
        const ts = parseTimestampText(text);
        if (ts !== undefined && /[ T]/.test(text.trim())) millis = floorMod(ts, MILLIS_PER_DAY);
      }
      if (millis === undefined) throw invalid(text, "TIME", "not a time");
      return millis;
    }
    default:
      throw unsupported(value, from, { kind: "TIME", precision: 0, nullable: true });
  }
}

export function toTimestamp(value: SqlValue, from: LogicalType, timeZone: string): number {
  switch (from.kind) {
    case "TIMESTAMP":
      return value as number;
    case "TIMESTAMP_LTZ":
      return instantToWallClock(value as number, timeZone);
    case "DATE":
      return (value as number) * MILLIS_PER_DAY;
    case "TIME":
      return value as number;
    case "CHAR":
    case "VARCHAR": {
      const millis = parseTimestampText(value as string);
      if (millis === undefined) throw invalid(value as string, "TIMESTAMP", "not a timestamp");
      return millis;
    }
    default:
      throw unsupported(value, from, {
        kind: "TIMESTAMP",
        precision: 3,
        nullable: true,
        timeAttribute: null,
      });
  }
}

/** Any castable value → TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p > 6: epoch nanos truncated to p. */
export function toNanoTimestamp(
  value: SqlValue,
  from: LogicalType,
  to: LogicalType,
  context: FunctionContext,
): bigint {
  const zone = context.timeZone;
  const ltz = to.kind === "TIMESTAMP_LTZ";
  let nanos: bigint;
  if (isNanoTimestamp(from)) {
    nanos = value as bigint;
    if (from.kind !== to.kind) {
      nanos = ltz ? nanosWallClockToInstant(nanos, zone) : nanosInstantToWallClock(nanos, zone);
    }
  } else if (from.kind === "CHAR" || from.kind === "VARCHAR") {
    const wall = parseTimestampNanosText(value as string);
    if (wall === undefined) throw invalid(value as string, "TIMESTAMP", "not a timestamp");
    nanos = ltz ? nanosWallClockToInstant(wall, zone) : wall;
  } else {
    nanos = nanosFromMillis(
      castValue(value, from, { ...to, precision: 6 } as LogicalType, context) as number,
    );
  }
  return truncateNanos(nanos, (to as { precision: number }).precision);
}

export function toTimestampLtz(value: SqlValue, from: LogicalType, timeZone: string): number {
  switch (from.kind) {
    case "TIMESTAMP_LTZ":
      return value as number;
    case "TIMESTAMP":
    case "DATE":
    case "TIME":
    case "CHAR":
    case "VARCHAR":
      return wallClockToInstant(toTimestamp(value, from, timeZone), timeZone);
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      return (value as number) * 1000;
    case "BIGINT":
      return Number(value as bigint) * 1000;
    case "FLOAT":
    case "DOUBLE":
      return Math.floor((value as number) * 1000);
    case "DECIMAL":
      return Math.floor(decimalToNumber(value as bigint, from.scale) * 1000);
    default:
      throw unsupported(value, from, {
        kind: "TIMESTAMP_LTZ",
        precision: 3,
        nullable: true,
        timeAttribute: null,
      });
  }
}
