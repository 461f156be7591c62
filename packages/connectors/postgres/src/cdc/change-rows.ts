/**
 * Turns decoded pgoutput changes into change events of the captured tables: maps each relation
 * (by its relation id, as the server announces it before first use and after schema changes) onto
 * a captured table, decodes tuples into rows of the emitted columns, and chooses the row kinds.
 *
 * Kinds: insert → `+I`; update → `-U` (old row) then `+U` (new row), or with the `upsert`
 * changelog only `+U` (plus `-D` of the old key when the key changed); delete → `-D`. Without
 * REPLICA IDENTITY FULL the old row is key-only: the other fields are NULL.
 *
 * Invariant: a change either emits all its rows or none — every value is decoded before the first
 * row is emitted, so a {@link BadChange} never leaves half an update behind.
 * @module
 */

import type { ReaderOutput } from "@weir/api";
import type { Row } from "@weir/sql";
import { Kind } from "../values/row-kinds.ts";
import type { DeadLetter } from "./bad-records.ts";
import type { CapturedTable } from "./captured-table.ts";
import { formatLsn } from "./lsn.ts";
import { type PgOutputMessage, type TupleValue, UNCHANGED_TOAST } from "./pgoutput-decoder.ts";
import type { ChangeEvent } from "./postgres-cdc-source.ts";

/** How one relation maps onto a captured table. */
export interface RelationMapping {
  /** Index of the captured table, -1 for a relation the source does not capture. */
  readonly table: number;
  /** Relation column index of each emitted column (-1: missing now). */
  readonly emitted: readonly number[];
  /** Relation column index of each key column. */
  readonly keys: readonly number[];
  readonly columnNames: readonly string[];
}

/** A change that could not be read, with what the bad-record policy needs. */
export class BadChange extends Error {
  readonly letter: DeadLetter;

  constructor(letter: DeadLetter) {
    super(letter.error);
    this.letter = letter;
  }
}

/** True when the change of this row must be left out (see resumed-ranges.ts). */
export type RowFilter = (mapping: RelationMapping, tuple: readonly TupleValue[]) => boolean;

type RowChange = Extract<PgOutputMessage, { tag: "insert" | "update" | "delete" }>;

export class ChangeRows {
  readonly #tables: readonly CapturedTable[];
  readonly #upsert: boolean;
  readonly #relations = new Map<number, RelationMapping>();

  constructor(tables: readonly CapturedTable[], changelogMode: "all" | "upsert") {
    this.#tables = tables;
    this.#upsert = changelogMode === "upsert";
  }

  mapRelation(message: Extract<PgOutputMessage, { tag: "relation" }>): void {
    const id = `${message.schema}.${message.table}`;
    const table = this.#tables.findIndex((t) => t.id === id);
    const names = message.columns.map((c) => c.name);
    const captured = this.#tables[table];
    this.#relations.set(message.relationId, {
      table,
      emitted: captured === undefined ? [] : captured.emitted.map((c) => names.indexOf(c.name)),
      keys: captured === undefined ? [] : captured.keyNames.map((k) => names.indexOf(k)),
      columnNames: names,
    });
  }

  /** The mapping of a captured relation; undefined for others. */
  captured(relationId: number): RelationMapping | undefined {
    const mapping = this.#relations.get(relationId);
    return mapping === undefined || mapping.table < 0 ? undefined : mapping;
  }

  tableOf(mapping: RelationMapping): CapturedTable {
    return this.#tables[mapping.table]!;
  }

  /**
   * Decodes the emitted columns of a tuple (`mapping` null: the tuple holds the emitted columns in
   * order, as snapshot rows do); `fallback` fills unchanged TOAST values. Throws {@link BadChange}.
   */
  decodeRow(
    table: CapturedTable,
    values: readonly TupleValue[],
    mapping: RelationMapping | null,
    position: string,
    fallback: readonly TupleValue[] | null = null,
  ): Row {
    const columns = table.emitted;
    const fields: Row = new Array(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const index = mapping === null ? i : mapping.emitted[i]!;
      let text = index < 0 ? undefined : values[index];
      if (text === UNCHANGED_TOAST && fallback !== null) text = fallback[index];
      if (text === null) {
        fields[i] = null;
        continue;
      }
      if (typeof text !== "string") {
        const why =
          text === undefined
            ? `column "${columns[i]!.name}" is not in the table any more`
            : `column "${columns[i]!.name}" holds a large value the update left unchanged, which the server sends only with REPLICA IDENTITY FULL`;
        throw bad(table, position, why, values, mapping);
      }
      try {
        fields[i] = columns[i]!.decode(text);
      } catch (error) {
        throw bad(
          table,
          position,
          `column "${columns[i]!.name}": ${(error as Error).message}`,
          values,
          mapping,
        );
      }
    }
    return fields;
  }

  /** A row holding only the key columns of a key-only old tuple. */
  #keyOnlyRow(
    table: CapturedTable,
    values: readonly TupleValue[],
    mapping: RelationMapping,
    position: string,
  ): Row {
    const fields: Row = new Array(table.emitted.length).fill(null);
    for (let i = 0; i < table.emitted.length; i++) {
      const column = table.emitted[i]!;
      if (!table.keyNames.includes(column.name)) continue;
      const text = values[mapping.emitted[i]!];
      if (typeof text !== "string") continue;
      try {
        fields[i] = column.decode(text);
      } catch (error) {
        throw bad(table, position, `column "${column.name}": ${(error as Error).message}`, values, mapping);
      }
    }
    return fields;
  }

  /** Emits the rows of one change of a captured relation; returns how many. */
  emit(
    output: ReaderOutput<ChangeEvent>,
    mapping: RelationMapping,
    message: RowChange,
    walStart: bigint,
    skip: RowFilter,
  ): number {
    const table = this.#tables[mapping.table]!;
    const position = `LSN ${formatLsn(walStart)}`;
    const id = table.id;
    if (message.tag === "insert") {
      if (skip(mapping, message.newTuple)) return 0;
      output.collect({
        kind: Kind.INSERT,
        fields: this.decodeRow(table, message.newTuple, mapping, position),
        table: id,
      });
      return 1;
    }
    if (message.tag === "delete") {
      if (skip(mapping, message.oldTuple)) return 0;
      const fields = message.oldIsKeyOnly
        ? this.#keyOnlyRow(table, message.oldTuple, mapping, position)
        : this.decodeRow(table, message.oldTuple, mapping, position);
      output.collect({ kind: Kind.DELETE, fields, table: id });
      return 1;
    }
    const old = message.oldTuple;
    const fullOld = old !== null && !message.oldIsKeyOnly ? old : null;
    const after = this.decodeRow(table, message.newTuple, mapping, position, fullOld);
    const beforeTuple = old ?? message.newTuple;
    const before =
      fullOld !== null
        ? this.decodeRow(table, fullOld, mapping, position)
        : this.#keyOnlyRow(table, beforeTuple, mapping, position);
    const keyChanged = old !== null && mapping.keys.some((k) => old[k] !== message.newTuple[k]);
    const skipBefore = skip(mapping, beforeTuple);
    const skipAfter = skip(mapping, message.newTuple);
    if (skipBefore && skipAfter) return 0;
    // Half of an update already read by a re-read snapshot: the other half alone.
    if (skipBefore) {
      output.collect({ kind: Kind.INSERT, fields: after, table: id });
      return 1;
    }
    if (skipAfter) {
      output.collect({ kind: Kind.DELETE, fields: before, table: id });
      return 1;
    }
    let count = 0;
    if (!this.#upsert || keyChanged) {
      output.collect({ kind: this.#upsert ? Kind.DELETE : Kind.UPDATE_BEFORE, fields: before, table: id });
      count++;
    }
    output.collect({ kind: Kind.UPDATE_AFTER, fields: after, table: id });
    return count + 1;
  }
}

function bad(
  table: CapturedTable,
  position: string,
  why: string,
  values: readonly TupleValue[],
  mapping: RelationMapping | null,
): BadChange {
  const names = mapping === null ? table.emitted.map((c) => c.name) : mapping.columnNames;
  const rawValues: Record<string, string | null> = {};
  names.forEach((name, i) => {
    const v = values[i];
    rawValues[name] = typeof v === "string" ? v : null;
  });
  return new BadChange({ table: table.id, position, error: why, rawValues });
}
