/**
 * Renders rex trees for EXPLAIN in Flink's plan notation: calls in prefix form with the operator's
 * name (`>($1, 10)`, `AND(…)`), casts as `CAST($0 AS BIGINT)`. The abstract syntax tree refers to
 * fields as `$i`; the physical plan names them (`>(price, 10)`), as Flink prints its plans.
 *
 * Invariant: the text depends only on the tree, so plans print the same in every worker and test.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import type { RexNode } from "./rex.ts";

/** `fieldNames` null prints references as `$i`. */
export function formatRex(rex: RexNode, fieldNames: readonly string[] | null): string {
  switch (rex.kind) {
    case "input-ref":
      return fieldNames === null ? `$${rex.index}` : (fieldNames[rex.index] ?? `$${rex.index}`);
    case "correlated-ref":
      return `$cor${rex.correlationId}.$${rex.index}`;
    case "literal":
      return formatLiteral(rex.value, rex.type);
    case "cast":
      return `${rex.safe ? "TRY_CAST" : "CAST"}(${formatRex(rex.operand, fieldNames)} AS ${formatLogicalType(rex.type)})`;
    case "call":
      return `${rex.name}(${rex.operands.map((o) => formatRex(o, fieldNames)).join(", ")})`;
  }
}

export function formatLiteral(value: SqlValue, type: LogicalType): string {
  if (value === null) return `null:${formatLogicalType(type)}`;
  switch (type.kind) {
    case "CHAR":
    case "VARCHAR":
      return `'${String(value).replaceAll("'", "''")}'`;
    case "DECIMAL": {
      const digits = (value as bigint) < 0n ? (-(value as bigint)).toString() : (value as bigint).toString();
      const padded = digits.padStart(type.scale + 1, "0");
      const sign = (value as bigint) < 0n ? "-" : "";
      const text = type.scale === 0 ? padded : `${padded.slice(0, -type.scale)}.${padded.slice(-type.scale)}`;
      return `${sign}${text}`;
    }
    case "BIGINT":
      return `${String(value)}:BIGINT`;
    case "BOOLEAN":
    case "INT":
      return String(value);
    case "DOUBLE":
    case "FLOAT":
      return `${String(value)}E0`;
    case "INTERVAL_DAY_TIME":
      return `${String(value)}:INTERVAL SECOND`;
    case "INTERVAL_YEAR_MONTH":
      return `${String(value)}:INTERVAL MONTH`;
    default:
      if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex").toUpperCase()}'`;
      if (typeof value === "number" || typeof value === "bigint") {
        return `${String(value)}:${formatLogicalType(type)}`;
      }
      return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}:${formatLogicalType(type)}`;
  }
}
