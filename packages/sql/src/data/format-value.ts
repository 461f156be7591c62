/**
 * The text of a SQL value as Flink's SQL client prints it and `CAST(x AS STRING)` yields it.
 *
 * Invariants: `NULL` for SQL NULL; BOOLEAN `TRUE`/`FALSE`; DOUBLE/FLOAT in Java's form (`1.0E-4`);
 * DECIMAL with exactly `scale` digits (`12.50`); DATE `2020-04-15`; TIME(p) / TIMESTAMP(p) /
 * TIMESTAMP_LTZ(p) with exactly p fraction digits (`2020-04-15 08:05:00.000`), LTZ in `timeZone`;
 * INTERVAL DAY TO SECOND `+2 00:00:00.000`, YEAR TO MONTH `+1-02`; binary strings `x'0aff'`;
 * ARRAY `[1, 2]`, MAP and MULTISET `{a=1, b=2}`, ROW `(1, abc)`.
 * @module
 */

import type { LogicalType } from "../types/logical-type.ts";
import { formatDecimal } from "./decimal.ts";
import { formatJavaDouble, formatJavaFloat } from "./format-number.ts";
import { instantToWallClock } from "./temporal.ts";
import { formatDateText, formatTimestampText, formatTimeText } from "./temporal-text.ts";
import { formatTimestampNanosText, nanosInstantToWallClock } from "./timestamp-nanos.ts";
import type { SqlValue } from "./values.ts";

export function formatValue(value: SqlValue, type: LogicalType, timeZone: string): string {
  if (value === null) return "NULL";
  switch (type.kind) {
    case "BOOLEAN":
      return value ? "TRUE" : "FALSE";
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
      return String(value);
    case "FLOAT":
      return formatJavaFloat(value as number);
    case "DOUBLE":
      return formatJavaDouble(value as number);
    case "DECIMAL":
      return formatDecimal(value as bigint, type.scale);
    case "CHAR":
    case "VARCHAR":
      return value as string;
    case "BINARY":
    case "VARBINARY":
      return `x'${hexOf(value as Uint8Array)}'`;
    case "DATE":
      return formatDateText(value as number);
    case "TIME":
      return formatTimeText(value as number, type.precision);
    case "TIMESTAMP":
      if (type.precision > 6) return formatTimestampNanosText(value as bigint, type.precision);
      return formatTimestampText(value as number, type.precision);
    case "TIMESTAMP_LTZ":
      if (type.precision > 6) {
        return formatTimestampNanosText(nanosInstantToWallClock(value as bigint, timeZone), type.precision);
      }
      return formatTimestampText(instantToWallClock(value as number, timeZone), type.precision);
    case "INTERVAL_YEAR_MONTH":
      return formatYearMonthInterval(value as number);
    case "INTERVAL_DAY_TIME":
      return formatDayTimeInterval(value as number);
    case "ARRAY":
      return `[${(value as readonly SqlValue[]).map((v) => formatValue(v, type.element, timeZone)).join(", ")}]`;
    case "MULTISET":
    case "MAP": {
      const keyType = type.kind === "MAP" ? type.key : type.element;
      const valueType: LogicalType = type.kind === "MAP" ? type.value : { kind: "INT", nullable: false };
      const entries: string[] = [];
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        entries.push(`${formatValue(k, keyType, timeZone)}=${formatValue(v, valueType, timeZone)}`);
      }
      return `{${entries.join(", ")}}`;
    }
    case "ROW":
      return `(${(value as readonly SqlValue[]).map((v, i) => formatValue(v, type.fields[i]!.type, timeZone)).join(", ")})`;
    case "NULL":
      return "NULL";
  }
}

/** Lower-case hex digits of bytes. */
export function hexOf(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}

/** Flink's `+1-02` (1 year 2 months). */
export function formatYearMonthInterval(months: number): string {
  const sign = months < 0 ? "-" : "+";
  const abs = Math.abs(months);
  return `${sign}${Math.floor(abs / 12)}-${String(abs % 12).padStart(2, "0")}`;
}

/** Flink's `+2 03:04:05.006`. */
export function formatDayTimeInterval(millis: number): string {
  const sign = millis < 0 ? "-" : "+";
  const abs = Math.abs(millis);
  const days = Math.floor(abs / 86_400_000);
  return `${sign}${days} ${formatTimeText(abs - days * 86_400_000, 3)}`;
}
