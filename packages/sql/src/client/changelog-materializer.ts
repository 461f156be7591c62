/**
 * Materializes a changelog into the rows it describes: what the SQL client's table mode and
 * `weir sql --format jsonl` show for a SELECT (Flink's materialized result).
 *
 * Rules: `+I` and `+U` add one copy of the row; `-U` and `-D` remove one copy of an equal row
 * (field by field, as the changelog contract of `../data/row.ts` promises). Rows keep the order in
 * which they first appeared. Worked example:
 * ```text
 * +I[a, 1]  +I[b, 1]  -U[a, 1]  +U[a, 2]   →   [b, 1], [a, 2]
 * ```
 * Invariant: a retraction with no equal row is an error — but only once the whole changelog has
 * been applied, because rows collected from several parallel subtasks arrive interleaved, and a
 * retraction may be seen before the insert it retracts when they were sent by different subtasks
 * (the count of a row may go below zero in between).
 * @module
 */

import { isAccumulate, ROW_KIND_SHORT, type Row, type RowData } from "../data/row.ts";
import { keyOfRow, mapKeyOf } from "../exec/row-key.ts";

/** A changelog that retracts rows it never added. */
export class ChangelogError extends Error {
  override readonly name = "ChangelogError";
}

interface Entry {
  readonly row: Row;
  count: number;
  /** The kind of the first unmatched retraction, for the error message. */
  firstKind: number;
}

export class ChangelogMaterializer {
  readonly #entries = new Map<unknown, Entry>();

  /** Applies records in order. */
  apply(records: readonly RowData[]): void {
    const entries = this.#entries;
    for (const record of records) {
      const key = mapKeyOf(keyOfRow(record.fields));
      const delta = isAccumulate(record.kind) ? 1 : -1;
      const entry = entries.get(key);
      if (entry === undefined) {
        entries.set(key, { row: record.fields, count: delta, firstKind: record.kind });
      } else {
        entry.count += delta;
        if (entry.count === 0) entries.delete(key);
      }
    }
  }

  /** The current rows, with multiplicity; throws {@link ChangelogError} on an unmatched retraction. */
  rows(): Row[] {
    const rows: Row[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.count < 0)
        throw new ChangelogError(
          `the result changelog retracts a row that was never added: ${ROW_KIND_SHORT[entry.firstKind]}${JSON.stringify(
            entry.row,
            (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
          )}`,
        );
      for (let i = 0; i < entry.count; i++) rows.push(entry.row);
    }
    return rows;
  }
}

/** The rows `records` leave behind; see {@link ChangelogMaterializer}. */
export function materializeChangelog(records: readonly RowData[]): Row[] {
  const materializer = new ChangelogMaterializer();
  materializer.apply(records);
  return materializer.rows();
}
