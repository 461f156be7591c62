/**
 * DESCRIBE and SHOW CREATE TABLE / VIEW output, in Flink's layout: DESCRIBE's columns are
 * `name, type, null, key, extras, watermark`; SHOW CREATE prints the DDL with backquoted names.
 *
 * Invariant: types are printed as Flink prints them (nullability in the `null` column, time
 * attributes marked `*ROWTIME*` / `*PROCTIME*` in the type).
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { ResolvedTable, ResolvedView } from "../catalog/catalog-table.ts";
import { DEFAULT_CATALOG, DEFAULT_DATABASE } from "../catalog/session-catalog.ts";
import { tokenize } from "../lexer/lexer.ts";
import { isReserved } from "../lexer/reserved-words.ts";
import { printExpression } from "../printer/expressions.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";

export const DESCRIBE_COLUMNS = ["name", "type", "null", "key", "extras", "watermark"] as const;

function nullableType(type: LogicalType): string {
  return formatLogicalType({ ...type, nullable: true } as LogicalType);
}

/** Rows of DESCRIBE for a table; `rowtimeTypes` carries the time attributes of the planned scan. */
export function describeTable(table: ResolvedTable, planned: readonly RowField[]): string[][] {
  const key = table.primaryKey === null ? "" : `PRI(${table.primaryKey.join(", ")})`;
  return table.columns.map((column, i) => {
    const type = planned[i]?.type ?? column.type;
    const extras =
      column.kind === "computed"
        ? `AS ${printQuotedExpression(column.expression)}`
        : column.kind === "metadata"
          ? `METADATA${column.key === column.name ? "" : ` FROM '${column.key}'`}${column.virtual ? " VIRTUAL" : ""}`
          : "";
    const watermark =
      table.watermark !== null && table.watermark.column === column.name
        ? printQuotedExpression(table.watermark.expression)
        : "";
    return [
      column.name,
      nullableType(type),
      type.nullable ? "TRUE" : "FALSE",
      table.primaryKey?.includes(column.name) === true ? key : "",
      extras,
      watermark,
    ];
  });
}

/** Rows of DESCRIBE for a view (its query's columns). */
export function describeFields(fields: readonly RowField[]): string[][] {
  return fields.map((f) => [f.name, nullableType(f.type), f.type.nullable ? "TRUE" : "FALSE", "", "", ""]);
}

/** Words that stay bare in printed expressions although they are not reserved: type names. */
const TYPE_WORDS = new Set([
  "STRING",
  "BYTES",
  "TIMESTAMP_LTZ",
  "TINYINT",
  "SMALLINT",
  "BIGINT",
  "DOUBLE",
  "FLOAT",
]);

/**
 * An expression as Flink prints it in DESCRIBE and SHOW CREATE TABLE: column names backquoted
 * (`` `amount` * 0.1 ``), keywords and function names bare.
 */
export function printQuotedExpression(expression: Expression): string {
  const text = printExpression(expression);
  const tokens = tokenize(text);
  let out = "";
  let last = 0;
  tokens.forEach((token, i) => {
    const isName =
      token.kind === "word" &&
      !isReserved(token.upper) &&
      !TYPE_WORDS.has(token.upper) &&
      tokens[i + 1]?.text !== "(";
    if (!isName) return;
    out += `${text.slice(last, token.span.start.offset)}\`${token.value.replaceAll("`", "``")}\``;
    last = token.span.end.offset;
  });
  return out + text.slice(last);
}

const q = (name: string): string => `\`${name.replaceAll("`", "``")}\``;
const quoteString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export function showCreateTable(table: ResolvedTable): string {
  const lines: string[] = table.columns.map((column) => {
    if (column.kind === "physical") return `  ${q(column.name)} ${formatLogicalType(column.type)}`;
    if (column.kind === "computed")
      return `  ${q(column.name)} AS ${printQuotedExpression(column.expression)}`;
    const from = column.key === column.name ? "" : ` FROM ${quoteString(column.key)}`;
    return `  ${q(column.name)} ${formatLogicalType(column.type)} METADATA${from}${column.virtual ? " VIRTUAL" : ""}`;
  });
  if (table.watermark !== null) {
    lines.push(
      `  WATERMARK FOR ${q(table.watermark.column)} AS ${printQuotedExpression(table.watermark.expression)}`,
    );
  }
  if (table.primaryKey !== null) {
    lines.push(
      `  CONSTRAINT ${q(`PK_${table.primaryKey.join("_")}`)} PRIMARY KEY (${table.primaryKey.map(q).join(", ")}) NOT ENFORCED`,
    );
  }
  const name = `${q(DEFAULT_CATALOG)}.${q(DEFAULT_DATABASE)}.${q(table.name)}`;
  const partitioned =
    table.partitionKeys.length === 0 ? "" : `PARTITIONED BY (${table.partitionKeys.map(q).join(", ")})\n`;
  const options = Object.entries(table.options)
    .map(([k, v]) => `  ${quoteString(k)} = ${quoteString(v)}`)
    .join(",\n");
  return `CREATE ${table.temporary ? "TEMPORARY " : ""}TABLE ${name} (\n${lines.join(",\n")}\n) ${partitioned}WITH (\n${options}\n)\n`;
}

export function showCreateView(view: ResolvedView): string {
  const name = `${q(DEFAULT_CATALOG)}.${q(DEFAULT_DATABASE)}.${q(view.name)}`;
  return `CREATE ${view.temporary ? "TEMPORARY " : ""}VIEW ${name} AS\n${view.text}\n`;
}
