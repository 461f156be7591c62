/**
 * How the SQL client shows result values: as JSON objects keyed by column name (`--format jsonl`,
 * the script runner's rows) and as the text cells of Flink's boxed tables (NULL as `<NULL>`).
 * @module
 */

import { formatValue } from "../data/format-value.ts";
import { toJsonValue } from "../data/json-value.ts";
import type { Row } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";

/** `{"name": "Alice", "total": "12.50"}` for a row of `(name STRING, total DECIMAL(10, 2))`. */
export function rowToJsonObject(row: Row, schema: RowType, timeZone: string): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const fields = schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const value = row[i] ?? null;
    object[fields[i]!.name] = value === null ? null : toJsonValue(value, fields[i]!.type, timeZone);
  }
  return object;
}

/** The cells Flink's tableau and table modes show for a row. */
export function rowToCells(row: Row, schema: RowType, timeZone: string): string[] {
  return schema.fields.map((field, i) => {
    const value = row[i] ?? null;
    return value === null ? "<NULL>" : formatValue(value, field.type, timeZone);
  });
}
