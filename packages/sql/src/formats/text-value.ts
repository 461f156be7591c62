/**
 * SQL values ↔ their plain text, as `CAST(text AS type)` reads it and `CAST(value AS STRING)`
 * writes it: for partition directory names (`dt=2020-04-15`), CSV fields and other text-only
 * carriers. Throws the cast's error for text that does not fit the type.
 * @module
 */

import { castValue } from "../data/cast-value.ts";
import { formatValue } from "../data/format-value.ts";
import type { SqlValue } from "../data/values.ts";
import { type LogicalType, MAX_LENGTH } from "../types/logical-type.ts";

const STRING_TYPE: LogicalType = { kind: "VARCHAR", length: MAX_LENGTH, nullable: true };

/** `textToValue("2020-04-15", DATE, "UTC")` is 18367. */
export function textToValue(text: string, type: LogicalType, timeZone: string): SqlValue {
  if (type.kind === "CHAR" || type.kind === "VARCHAR") return text;
  return castValue(text, STRING_TYPE, type, { timeZone });
}

/** `valueToText(1250n, DECIMAL(10, 2), "UTC")` is `"12.50"`. */
export function valueToText(value: SqlValue, type: LogicalType, timeZone: string): string {
  if (type.kind === "CHAR" || type.kind === "VARCHAR") return value as string;
  return formatValue(value, type, timeZone);
}
