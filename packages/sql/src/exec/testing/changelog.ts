/**
 * Changelog helpers for operator tests: build records, print them the way Flink prints a
 * changelog (`+I[a, 1]`), and materialize a changelog into the multiset of rows it describes.
 *
 * `materialize` is the oracle of the property tests: it applies each record to a multiset and
 * fails on a retraction of a row that is not there, so a test also checks the changelog contract.
 * @module
 */

import { isAccumulate, ROW_KIND_SHORT, type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";

export const insert = (...fields: SqlValue[]): RowData => ({ kind: RowKind.INSERT, fields });
export const updateBefore = (...fields: SqlValue[]): RowData => ({ kind: RowKind.UPDATE_BEFORE, fields });
export const updateAfter = (...fields: SqlValue[]): RowData => ({ kind: RowKind.UPDATE_AFTER, fields });
export const remove = (...fields: SqlValue[]): RowData => ({ kind: RowKind.DELETE, fields });

export function showValue(value: SqlValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(showValue).join(", ")}]`;
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString("hex")}'`;
  return String(value);
}

export function showRow(row: Row): string {
  return row.map(showValue).join(", ");
}

/** `+I[a, 1]` per record. */
export function show(records: readonly RowData[]): string[] {
  return records.map((r) => `${ROW_KIND_SHORT[r.kind]}[${showRow(r.fields)}]`);
}

/** The rows a retract changelog leaves, printed and sorted (duplicates kept). */
export function materialize(records: readonly RowData[]): string[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    const text = showRow(record.fields);
    const count = counts.get(text) ?? 0;
    if (isAccumulate(record.kind)) counts.set(text, count + 1);
    else if (count === 0) throw new Error(`retraction of a row that is not there: ${text}`);
    else if (count === 1) counts.delete(text);
    else counts.set(text, count - 1);
  }
  return sortedExpansion(counts);
}

/** The rows an upsert changelog (keyed by `key`) leaves, printed and sorted. */
export function materializeUpsert(records: readonly RowData[], key: readonly number[]): string[] {
  const rows = new Map<string, string>();
  for (const record of records) {
    const id = showRow(key.map((i) => record.fields[i] ?? null));
    if (record.kind === RowKind.UPDATE_BEFORE) throw new Error("an upsert changelog has no -U");
    if (isAccumulate(record.kind)) rows.set(id, showRow(record.fields));
    else if (!rows.delete(id)) throw new Error(`delete of a key that is not there: ${id}`);
  }
  return [...rows.values()].sort();
}

/** Sorted rows of a multiset given as text → count. */
export function sortedExpansion(counts: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const [text, count] of counts) for (let i = 0; i < count; i++) out.push(text);
  return out.sort();
}
