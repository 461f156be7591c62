/**
 * How `weir sql` shows the result of a SELECT over an unbounded source while it runs, as Flink's
 * SQL client does in streaming mode: every change with its `op` (`+I`, `-U`, `+U`, `-D`) as it
 * becomes final, until the query is cancelled.
 * - `tableau` / `changelog`: a boxed table whose header prints with the first changes; column
 *   widths come from the column types (the rows are not known in advance), so every line of the
 *   table has the same width — longer cells are cut with `...`, as Flink's client does with its
 *   default `sql-client.display.max-column-width` of 30; when the query ends (or is cancelled), the
 *   bottom border and `Received a total of N rows`.
 * - `jsonl`: one JSON object per change, `{"op": "+I", <columns by name>}`; nothing else.
 * Invariant: the output of every call is complete lines; the widths of one result never change.
 * @module
 */

import {
  displayWidth,
  type LogicalType,
  ROW_KIND_SHORT,
  type RowData,
  type LogicalRowType as RowType,
  receivedSummary,
  rowToCells,
  rowToJsonObject,
} from "@weir/sql";
import type { SqlResultFormat } from "./sql-command-spec.ts";

/** Flink's default `sql-client.display.max-column-width`. */
const MAX_COLUMN_WIDTH = 30;
const NULL_WIDTH = "<NULL>".length;

/** Display width of a value of `type`: its longest rendering, capped at {@link MAX_COLUMN_WIDTH}. */
function typeWidth(type: LogicalType): number {
  const fractional = (precision: number) => (precision > 0 ? precision + 1 : 0);
  switch (type.kind) {
    case "BOOLEAN":
      return 5;
    case "TINYINT":
      return 4;
    case "SMALLINT":
      return 6;
    case "INT":
      return 11;
    case "BIGINT":
      return 20;
    case "DECIMAL":
      return type.precision + 2;
    case "CHAR":
    case "VARCHAR":
      return Math.min(type.length, MAX_COLUMN_WIDTH);
    case "DATE":
      return 10;
    case "TIME":
      return 8 + fractional(type.precision);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return 19 + fractional(type.precision);
    default:
      return MAX_COLUMN_WIDTH;
  }
}

function fit(cell: string, width: number): string {
  if (displayWidth(cell) <= width) return cell;
  let out = "";
  for (const ch of cell) {
    if (displayWidth(out + ch) > width - 3) break;
    out += ch;
  }
  return `${out}...`;
}

/** Renders one streamed result: call {@link begin}, then {@link changes} per batch, then {@link end}. */
export class StreamingResultPrinter {
  readonly #format: SqlResultFormat;
  readonly #schema: RowType;
  readonly #timeZone: string;
  readonly #widths: number[];
  #received = 0;
  #headerShown = false;

  constructor(format: SqlResultFormat, schema: RowType, timeZone: string) {
    this.#format = format;
    this.#schema = schema;
    this.#timeZone = timeZone;
    this.#widths = [
      2,
      ...schema.fields.map((f) =>
        Math.min(
          Math.max(displayWidth(f.name), typeWidth(f.type), NULL_WIDTH),
          Math.max(MAX_COLUMN_WIDTH, displayWidth(f.name)),
        ),
      ),
    ];
  }

  get received(): number {
    return this.#received;
  }

  #border(): string {
    return `+${this.#widths.map((w) => "-".repeat(w + 2)).join("+")}+\n`;
  }

  #line(cells: readonly string[]): string {
    return `|${cells
      .map((cell, c) => {
        const text = fit(cell, this.#widths[c]!);
        return ` ${" ".repeat(this.#widths[c]! - displayWidth(text))}${text} `;
      })
      .join("|")}|\n`;
  }

  #header(): string {
    if (this.#headerShown || this.#format === "jsonl") return "";
    this.#headerShown = true;
    return this.#border() + this.#line(["op", ...this.#schema.fields.map((f) => f.name)]) + this.#border();
  }

  /** The text for a batch of changes, in arrival order. */
  changes(records: readonly RowData[]): string {
    let out = "";
    for (const record of records) {
      this.#received++;
      const op = ROW_KIND_SHORT[record.kind] ?? "+I";
      if (this.#format === "jsonl") {
        const object = { op, ...rowToJsonObject(record.fields, this.#schema, this.#timeZone) };
        out += `${JSON.stringify(object, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`;
      } else {
        out += this.#line([op, ...rowToCells(record.fields, this.#schema, this.#timeZone)]);
      }
    }
    return out === "" ? "" : this.#header() + out;
  }

  /** The text that closes the result: the table's bottom border and the count (none for jsonl). */
  end(): string {
    if (this.#format === "jsonl") return "";
    return `${this.#headerShown ? this.#border() : ""}${receivedSummary(this.#received)}\n`;
  }
}
