/**
 * The lookup join operator (Flink's LookupJoinRunner / AsyncLookupJoinRunner): for every left row,
 * asks the table's {@link TableLookup} for the rows matching the key computed from it, and emits
 * the left row joined with each match (or, for a LEFT join, padded with NULLs when none matches).
 * It runs under `processAsync`, so many lookups are in flight while the task goes on.
 *
 * Invariants: an output row has the left row's kind (an update of the left side updates the joined
 * row); a left row with a NULL key matches nothing, without a lookup; rows that the table's filter
 * or the remaining join condition reject count as no match. Example, INNER, key `cur`, table
 * `('EUR', 114), ('EUR', 115)`: `+I(1, 'EUR')` → `+I(1, 'EUR', 'EUR', 114)`, `+I(1, 'EUR', 'EUR', 115)`;
 * `+I(2, NULL)` → nothing (LEFT: `+I(2, NULL, NULL, NULL)`).
 * @module
 */

import type { AsyncProcessFunction } from "@weir/api";
import type { TableLookup } from "../../connectors/table-connector.ts";
import type { Row, RowData } from "../../data/row.ts";
import type { JoinPredicate, RowPredicate, RowProjection } from "../operator-specs.ts";

export interface LookupJoinSpec {
  /** Created per worker; opened lazily by the connector. */
  readonly lookup: TableLookup;
  /** Left row → the key values, in the lookup's key order. */
  readonly leftKeys: RowProjection;
  readonly joinType: "INNER" | "LEFT";
  /** Width of the right part of an output row (after `tableProjection`), for NULL padding. */
  readonly rightArity: number;
  readonly tableCondition: RowPredicate | null;
  readonly tableProjection: RowProjection | null;
  /** Over (left row, projected table row). */
  readonly remaining: JoinPredicate | null;
}

export class LookupJoinFunction implements AsyncProcessFunction<RowData, RowData> {
  readonly #spec: LookupJoinSpec;
  readonly #nulls: Row;
  static readonly #NONE: Promise<RowData[]> = Promise.resolve([]);

  constructor(spec: LookupJoinSpec) {
    this.#spec = spec;
    this.#nulls = new Array(spec.rightArity).fill(null);
  }

  processRecordAsync(record: RowData): Promise<Iterable<RowData>> {
    const keys = this.#spec.leftKeys(record.fields);
    for (const k of keys) {
      if (k === null)
        return this.#spec.joinType === "LEFT"
          ? Promise.resolve([this.#padded(record)])
          : LookupJoinFunction.#NONE;
    }
    return this.#spec.lookup.lookup(keys).then((rows) => this.#join(record, rows));
  }

  #join(record: RowData, rows: readonly Row[]): RowData[] {
    const { tableCondition, tableProjection, remaining } = this.#spec;
    const out: RowData[] = [];
    for (const row of rows) {
      if (tableCondition !== null && !tableCondition(row)) continue;
      const right = tableProjection === null ? row : tableProjection(row);
      if (remaining !== null && !remaining(record.fields, right)) continue;
      out.push({ kind: record.kind, fields: [...record.fields, ...right] });
    }
    if (out.length === 0 && this.#spec.joinType === "LEFT") out.push(this.#padded(record));
    return out;
  }

  #padded(record: RowData): RowData {
    return { kind: record.kind, fields: [...record.fields, ...this.#nulls] };
  }

  async close(): Promise<void> {
    await this.#spec.lookup.close?.();
  }
}
