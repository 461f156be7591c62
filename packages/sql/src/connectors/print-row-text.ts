/**
 * How Flink's `print` connector shows a row: `+I[1, Alice]`, the row kind and then each field as
 * Java's `toString` of its external type shows it — booleans `true`, timestamps as
 * `LocalDateTime` (`2020-04-15T08:05`, seconds only when not zero), TIMESTAMP_LTZ as `Instant`
 * (`2020-04-15T08:05:00Z`), bytes as signed numbers (`[1, -1]`), NULL as `null`, nested rows as
 * `+I[...]`. This differs from the SQL client's cells (CAST to STRING), as it does in Flink.
 * @module
 */

import { formatValue } from "../data/format-value.ts";
import { ROW_KIND_SHORT, type RowData } from "../data/row.ts";
import { formatDateText } from "../data/temporal-text.ts";
import { floorDivBig } from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";

const MS_PER_DAY = 86_400_000;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `LocalTime.toString`: `08:05`, `08:05:09`, `08:05:09.120`. */
function localTimeText(millisOfDay: number, alwaysSeconds: boolean): string {
  const hours = Math.floor(millisOfDay / 3_600_000);
  const minutes = Math.floor(millisOfDay / 60_000) % 60;
  const seconds = Math.floor(millisOfDay / 1000) % 60;
  const millis = millisOfDay % 1000;
  let text = `${two(hours)}:${two(minutes)}`;
  if (seconds > 0 || millis > 0 || alwaysSeconds) text += `:${two(seconds)}`;
  if (millis > 0) text += `.${String(millis).padStart(3, "0")}`;
  return text;
}

function dateTimeText(epochMillis: number, alwaysSeconds: boolean): string {
  const days = Math.floor(epochMillis / MS_PER_DAY);
  return `${formatDateText(days)}T${localTimeText(epochMillis - days * MS_PER_DAY, alwaysSeconds)}`;
}

/** `LocalDateTime.toString` of epoch nanos: the fraction in groups of three digits, as Java prints it. */
function nanoDateTimeText(epochNanos: bigint, alwaysSeconds: boolean): string {
  const nanosOfMilli = Number(epochNanos - floorDivBig(epochNanos, 1_000_000n) * 1_000_000n);
  const text = dateTimeText(Number(floorDivBig(epochNanos, 1_000_000n)), alwaysSeconds || nanosOfMilli > 0);
  if (nanosOfMilli === 0) return text;
  const fraction = `${text.includes(".") ? "" : ".000"}${String(nanosOfMilli).padStart(6, "0")}`;
  return `${text}${nanosOfMilli % 1000 === 0 ? fraction.slice(0, -3) : fraction}`;
}

function javaText(value: SqlValue, type: LogicalType, timeZone: string): string {
  if (value === null) return "null";
  switch (type.kind) {
    case "BOOLEAN":
      return value ? "true" : "false";
    case "TIME":
      return localTimeText(value as number, false);
    case "TIMESTAMP":
      if (type.precision > 6) return nanoDateTimeText(value as bigint, false);
      return dateTimeText(value as number, false);
    case "TIMESTAMP_LTZ":
      if (type.precision > 6) return `${nanoDateTimeText(value as bigint, true)}Z`;
      return `${dateTimeText(value as number, true)}Z`;
    case "BINARY":
    case "VARBINARY":
      return `[${Array.from(value as Uint8Array, (b) => (b > 127 ? b - 256 : b)).join(", ")}]`;
    case "ARRAY":
      return `[${(value as readonly SqlValue[]).map((v) => javaText(v, type.element, timeZone)).join(", ")}]`;
    case "MAP":
    case "MULTISET": {
      const keyType = type.kind === "MAP" ? type.key : type.element;
      const valueType: LogicalType = type.kind === "MAP" ? type.value : { kind: "INT", nullable: false };
      const entries: string[] = [];
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>)
        entries.push(`${javaText(k, keyType, timeZone)}=${javaText(v, valueType, timeZone)}`);
      return `{${entries.join(", ")}}`;
    }
    case "ROW":
      return `+I[${(value as readonly SqlValue[]).map((v, i) => javaText(v, type.fields[i]!.type, timeZone)).join(", ")}]`;
    default:
      return formatValue(value, type, timeZone);
  }
}

/** `+I[1, Alice]` for a row of the table's physical type. */
export function printRowText(row: RowData, type: RowType, timeZone: string): string {
  const fields = type.fields;
  let text = `${ROW_KIND_SHORT[row.kind]}[`;
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) text += ", ";
    text += javaText(row.fields[i] ?? null, fields[i]!.type, timeZone);
  }
  return `${text}]`;
}
