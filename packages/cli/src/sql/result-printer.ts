/**
 * Turns statement results into the text `weir sql` prints, in each output format:
 * - `tableau`: `[INFO] …` for DDL and SET, Flink's boxed table and `N rows in set` for SHOW and a
 *   SELECT's final rows, EXPLAIN's plan as plain text;
 * - `changelog`: like tableau, but a SELECT shows every change with its `op` (`+I`, `-U`, …) and
 *   `Received a total of N rows`;
 * - `jsonl`: only data — one JSON object per row of a SELECT (or SHOW), columns by name, values
 *   mapped as `toJsonValue` does; nothing for other statements.
 * Invariant: the output of a statement is complete lines, each ending with `\n`.
 * @module
 */

import {
  ROW_KIND_SHORT,
  RowKind,
  receivedSummary,
  renderTableau,
  rowsInSetSummary,
  rowToCells,
  rowToJsonObject,
} from "@weir/sql";
import type { DetailedStatementResult } from "./run-sql-script.ts";
import type { SqlResultFormat } from "./sql-command-spec.ts";

function lines(list: readonly string[]): string {
  return list.map((line) => `${line}\n`).join("");
}

function jsonLine(object: Record<string, unknown>): string {
  return `${JSON.stringify(object, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`;
}

export function renderResult(result: DetailedStatementResult, format: SqlResultFormat): string {
  switch (result.kind) {
    case "ok":
      return format === "jsonl" ? "" : lines([`[INFO] ${result.message}`]);
    case "insert":
      return format === "jsonl"
        ? ""
        : lines([`[INFO] Complete execution of the SQL update statement (job ${result.jobName}).`]);
    case "table": {
      if (format === "jsonl") {
        return result.rows
          .map((row) => jsonLine(Object.fromEntries(result.columns.map((c, i) => [c, row[i] ?? null]))))
          .join("");
      }
      const only = result.rows.length === 1 && result.columns.length === 1 ? result.rows[0]![0] : undefined;
      // A single multi-line text (EXPLAIN's plan) prints as it is, as in Flink's client.
      if (only?.includes("\n")) return only.endsWith("\n") ? only : `${only}\n`;
      const table = result.rows.length === 0 ? [] : renderTableau(result.columns, result.rows);
      return lines([...table, rowsInSetSummary(result.rows.length)]);
    }
    case "select": {
      const { schema, timeZone } = result;
      if (format === "jsonl")
        return result.rows.map((row) => jsonLine(rowToJsonObject(row, schema, timeZone))).join("");
      const columns = schema.fields.map((f) => f.name);
      if (format === "changelog") {
        const cells = result.changelog.map((record) => [
          ROW_KIND_SHORT[record.kind] ?? ROW_KIND_SHORT[RowKind.INSERT]!,
          ...rowToCells(record.fields, schema, timeZone),
        ]);
        const table = cells.length === 0 ? [] : renderTableau(["op", ...columns], cells);
        return lines([...table, receivedSummary(cells.length)]);
      }
      const cells = result.rows.map((row) => rowToCells(row, schema, timeZone));
      const table = cells.length === 0 ? [] : renderTableau(columns, cells);
      return lines([...table, rowsInSetSummary(cells.length)]);
    }
  }
}
