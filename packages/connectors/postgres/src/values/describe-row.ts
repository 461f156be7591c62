/**
 * Renders a row for error messages, so a failure names the exact values involved: bigints keep
 * their digits (`12n`), bytes are hex, long rows and long strings are cut with an ellipsis.
 *
 * Example: `describeRow([1, "a\"b", 12n, null, Uint8Array.of(255)])` is `[1, "a\"b", 12n, null, x'ff']`.
 * @module
 */

import type { SqlValue } from "@weir/sql";

const MAX_FIELDS = 20;
const MAX_TEXT = 200;

function describeValue(value: SqlValue | undefined): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string")
    return JSON.stringify(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.buffer, value.byteOffset, Math.min(value.byteLength, MAX_TEXT)).toString(
      "hex",
    );
    return `x'${hex}${value.byteLength > MAX_TEXT ? "…" : ""}'`;
  }
  if (Array.isArray(value)) return describeRow(value as SqlValue[]);
  if (value instanceof Map) return `MAP(${value.size} entries)`;
  return String(value);
}

/** A short, exact rendering of `row`. */
export function describeRow(row: readonly (SqlValue | undefined)[] | unknown): string {
  if (!Array.isArray(row)) return `${typeof row} ${String(row)}`;
  const shown = row.slice(0, MAX_FIELDS).map((v) => describeValue(v as SqlValue));
  return `[${shown.join(", ")}${row.length > MAX_FIELDS ? `, … (${row.length} fields)` : ""}]`;
}
