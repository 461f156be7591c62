/**
 * Turns statement results into the text `weir sql` prints, in each output format:
 * - `tableau`: `[INFO] …` for DDL and SET, Flink's boxed table and `N rows in set` for SHOW and a
 *   SELECT's final rows, EXPLAIN's plan as plain text;
 * - `changelog`: like tableau, but a SELECT shows every change with its `op` (`+I`, `-U`, …) and
 *   `Received a total of N rows`;
 * - `jsonl`: only data — one JSON object per row of a SELECT (or SHOW), columns by name, values
 *   mapped as `toJsonValue` does; nothing for other statements.
 * A SELECT over an unbounded source streams (see `streaming-result.ts`): every change with its `op`
 * as it arrives, in `tableau` and `changelog` alike (as Flink's tableau mode in streaming), and in
 * `jsonl` one object per change with an `"op"` field; {@link ResultRenderer} keeps that state.
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
import { StreamingResultPrinter } from "./streaming-result.ts";

/** The results of one statement that print on their own (not parts of a streamed SELECT). */
export type CompleteStatementResult = Exclude<
  DetailedStatementResult,
  { kind: "stream-start" | "stream-changes" | "stream-end" }
>;

/**
 * Renders every result of a session, the streamed ones included: `render` returns the text to
 * print now for each result as it is reported.
 */
export class ResultRenderer {
  readonly #format: (result: DetailedStatementResult) => SqlResultFormat;
  #stream: StreamingResultPrinter | undefined;

  /** `format`: the format, or how to choose it per result (the interactive client's result mode). */
  constructor(format: SqlResultFormat | ((result: DetailedStatementResult) => SqlResultFormat)) {
    this.#format = typeof format === "function" ? format : () => format;
  }

  render(result: DetailedStatementResult): string {
    switch (result.kind) {
      case "stream-start":
        this.#stream = new StreamingResultPrinter(this.#format(result), result.schema, result.timeZone);
        return "";
      case "stream-changes":
        return this.#stream?.changes(result.changes) ?? "";
      case "stream-end": {
        const text = this.#stream?.end() ?? "";
        this.#stream = undefined;
        return text;
      }
      default:
        return renderResult(result, this.#format(result));
    }
  }
}

function lines(list: readonly string[]): string {
  return list.map((line) => `${line}\n`).join("");
}

function jsonLine(object: Record<string, unknown>): string {
  return `${JSON.stringify(object, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`;
}

/** `, 3 checkpoints, 1 restart` when the job took checkpoints or restarted, else nothing. */
function jobFigures(result: { readonly completedCheckpoints: number; readonly restarts: number }): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (result.completedCheckpoints === 0 && result.restarts === 0) return "";
  return `, ${plural(result.completedCheckpoints, "checkpoint")}, ${plural(result.restarts, "restart")}`;
}

export function renderResult(result: CompleteStatementResult, format: SqlResultFormat): string {
  switch (result.kind) {
    case "ok":
      return format === "jsonl" ? "" : lines([`[INFO] ${result.message}`]);
    case "insert":
      return format === "jsonl"
        ? ""
        : lines([
            `[INFO] Complete execution of the SQL update statement (job ${result.jobName}${jobFigures(result)}).`,
          ]);
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
