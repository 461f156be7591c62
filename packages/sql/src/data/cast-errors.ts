/**
 * The errors of CAST: a cast the types do not allow, and text that is not a value of the target
 * type. Messages show the value as Flink's do (a long text cut at 60 characters).
 * @module
 */

import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { formatValue } from "./format-value.ts";
import { SqlRuntimeError } from "./sql-runtime-error.ts";
import type { SqlValue } from "./values.ts";

export function unsupported(value: SqlValue, from: LogicalType, to: LogicalType): SqlRuntimeError {
  return new SqlRuntimeError(
    `Cannot cast ${describe(value, from)} of type ${formatLogicalType(from)} to ${formatLogicalType(to)}`,
  );
}

function describe(value: SqlValue, from: LogicalType): string {
  if (typeof value === "string") return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  return formatValue(value, from, "UTC");
}

export function invalid(text: string, to: string, why: string): SqlRuntimeError {
  return new SqlRuntimeError(
    `Cannot cast '${text.length > 60 ? `${text.slice(0, 60)}…` : text}' to ${to}: ${why}`,
  );
}
