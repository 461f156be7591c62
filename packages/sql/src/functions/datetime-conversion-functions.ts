/**
 * Date and time conversions between time values and text or epoch numbers: DATE_FORMAT,
 * TO_TIMESTAMP, TO_DATE, TO_TIMESTAMP_LTZ, UNIX_TIMESTAMP, FROM_UNIXTIME, CONVERT_TZ.
 *
 * Invariants: the default pattern is `yyyy-MM-dd HH:mm:ss`; wall-clock text becomes an instant in
 * the session time zone (`context.timeZone`) unless its pattern carries an offset; parse failures
 * give NULL, as Flink. Example: `UNIX_TIMESTAMP('1970-01-01 00:00:10')` = 10 in time zone UTC.
 * @module
 */

import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import { floorDiv, instantToWallClock, MILLIS_PER_DAY, wallClockToInstant } from "../data/temporal.ts";
import { parseTimestampText } from "../data/temporal-text.ts";
import { isNanoTimestamp, millisFromNanos, truncateNanos } from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { isNumeric } from "../types/type-coercion.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { formatDateTime, parseDateTime, patternHasOffset } from "./date-format.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { numberOf } from "./numeric-values.ts";
import { checkOperands, customScalar, STRING_NOT_NULL, scalar } from "./signature.ts";
import { wallClockOf, wallNanosOf } from "./time-units.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;
const DEFAULT_FORMAT = "yyyy-MM-dd HH:mm:ss";
const TIMESTAMP_3 = LogicalTypes.timestamp(3);

function datetimeText(value: SqlValue, type: LogicalType, c: FunctionContext): number | null {
  if (typeof value === "string") return parseTimestampText(value) ?? null;
  return wallClockOf(value as number, type, c.timeZone);
}

function dateFormatImplementation(type: LogicalType): Impl {
  if (isNanoTimestamp(type)) {
    return (c, value, format) => {
      const wall = wallNanosOf(value as bigint, type, c.timeZone);
      return formatDateTime(
        millisFromNanos(wall, 6),
        format as string,
        Number(wall - truncateNanos(wall, 6)),
      );
    };
  }
  return (c, value, format) => {
    const wall = datetimeText(value, type, c);
    return wall === null ? null : formatDateTime(wall, format as string);
  };
}

/** Text to whole wall-clock milliseconds: the results using it are TIMESTAMP(3) or seconds. */
function parseWithFormat(text: string, format: string | undefined): number | undefined {
  const wall = format === undefined ? parseTimestampText(text) : parseDateTime(text, format);
  return wall === undefined ? undefined : Math.floor(wall);
}

export function datetimeConversionFunctions(): ScalarFunctionDefinition[] {
  return [
    {
      ...scalar(
        "DATE_FORMAT",
        [
          ["TIMESTAMP", "STRING"],
          ["STRING", "STRING"],
          ["DATE", "STRING"],
        ],
        () => STRING_NOT_NULL,
        dateFormatImplementation(TIMESTAMP_3),
      ),
      specialize: (operands) => dateFormatImplementation(operands[0]!),
    },
    scalar(
      "TO_TIMESTAMP",
      [["STRING", "STRING?"]],
      () => LogicalTypes.timestamp(3, true),
      (_c, text, format) => parseWithFormat(text as string, format as string | undefined) ?? null,
    ),
    scalar(
      "TO_DATE",
      [["STRING", "STRING?"]],
      () => LogicalTypes.date(true),
      (_c, text, format) => {
        const wall =
          format === undefined
            ? parseDateOnly(text as string)
            : parseDateTime(text as string, format as string);
        return wall === undefined ? null : floorDiv(wall, MILLIS_PER_DAY);
      },
    ),
    customScalar(
      "TO_TIMESTAMP_LTZ",
      (operands) => {
        const cast = checkOperands(
          "TO_TIMESTAMP_LTZ",
          operands,
          ["NUMERIC", "INT?"],
          ["STRING", "STRING?", "STRING?"],
        );
        return { result: LogicalTypes.timestampLtz(3, true), operands: cast };
      },
      (c, value, second, zone) => toTimestampLtz(c, value, second, zone, LogicalTypes.bigint()),
      {
        specialize: (operands) => (c, value, second, zone) =>
          toTimestampLtz(c, value, second, zone, operands[0]!),
      },
    ),
    scalar(
      "UNIX_TIMESTAMP",
      [[], ["STRING", "STRING?"]],
      () => LogicalTypes.bigint(true),
      (c, text, format) => {
        if (text === undefined) return BigInt(Math.floor(Date.now() / 1000));
        const pattern = (format as string | undefined) ?? DEFAULT_FORMAT;
        const wall = parseWithFormat(text as string, pattern);
        if (wall === undefined) return null;
        const instant = patternHasOffset(pattern) ? wall : wallClockToInstant(wall, c.timeZone);
        return BigInt(floorDiv(instant, 1000));
      },
      { deterministic: false },
    ),
    scalar(
      "FROM_UNIXTIME",
      [["BIGINT", "STRING?"]],
      () => STRING_NOT_NULL,
      (c, seconds, format) =>
        formatDateTime(
          instantToWallClock(Number(seconds as bigint) * 1000, c.timeZone),
          (format as string | undefined) ?? DEFAULT_FORMAT,
        ),
    ),
    scalar(
      "CONVERT_TZ",
      [["STRING", "STRING", "STRING"]],
      () => LogicalTypes.string(true),
      (_c, text, from, to) => {
        const wall = parseTimestampText(text as string);
        if (wall === undefined) return null;
        return formatDateTime(
          instantToWallClock(wallClockToInstant(wall, from as string), to as string),
          DEFAULT_FORMAT,
        );
      },
    ),
  ];
}

function parseDateOnly(text: string): number | undefined {
  return parseTimestampText(text);
}

function toTimestampLtz(
  c: FunctionContext,
  value: SqlValue,
  second: SqlValue | undefined,
  zone: SqlValue | undefined,
  type: LogicalType,
): SqlValue {
  if (value === null) return null;
  if (typeof value === "string") {
    const pattern = second as string | undefined;
    const wall = parseWithFormat(value, pattern);
    if (wall === undefined) return null;
    if (pattern !== undefined && patternHasOffset(pattern)) return wall;
    return wallClockToInstant(wall, (zone as string | undefined) ?? c.timeZone);
  }
  const precision = (second as number | undefined) ?? 3;
  const n = isNumeric(type) ? numberOf(value, type) : Number(value);
  if (precision === 0) return Math.floor(n * 1000);
  if (precision === 3) return Math.floor(n);
  throw new SqlRuntimeError(`TO_TIMESTAMP_LTZ precision must be 0 or 3, got ${precision}`);
}
