/**
 * Turns decoded binlog row images (and snapshot rows) of the captured tables into change events:
 * which table a binlog table id is, where each emitted column sits in its row image, and the
 * `+I`, `-U`/`+U` (or upsert's `+U`, `-D`/`+U` on a key change), `-D` a row change becomes.
 *
 * Invariants: a table id's mapping is forgotten when a new table map for that id is polled (ids
 * are reused after schema changes); both images of an update are decoded before anything is
 * emitted, so a bad image ({@link BadMysqlChange}) never leaves half an update behind.
 * @module
 */

import type { ReaderOutput } from "@weir/api";
import type { Row } from "@weir/sql";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { Kind } from "../values/row-kinds.ts";
import type { BinlogValue, TableMap } from "./binlog-decoder.ts";
import { BadMysqlChange } from "./mysql-bad-records.ts";
import type { MysqlTable } from "./mysql-tables.ts";

/** How a binlog table map lines up with a captured table: row image index per emitted column. */
export interface Mapping {
  readonly table: MysqlTable;
  readonly columns: readonly number[];
  readonly keys: readonly number[];
  /** Column names of the row image, for dead letters. */
  readonly names: readonly string[];
}

export interface RowChange {
  readonly before: BinlogValue[] | null;
  readonly after: BinlogValue[] | null;
}

export class BinlogRows {
  /** Table maps by id as received (the decoder reads rows events with them). */
  readonly maps = new Map<number, TableMap>();
  readonly #mappings = new Map<number, Mapping | null>();
  readonly #tables: readonly MysqlTable[];
  readonly #upsert: boolean;

  constructor(tables: readonly MysqlTable[], changelogMode: "all" | "upsert") {
    this.#tables = tables;
    this.#upsert = changelogMode === "upsert";
  }

  /** A table map was polled: the id may now name another table. */
  forget(tableId: number): void {
    this.#mappings.delete(tableId);
  }

  /** The mapping of a captured table's id; null for tables not captured. */
  captured(tableId: number): Mapping | null {
    const known = this.#mappings.get(tableId);
    if (known !== undefined) return known;
    const map = this.maps.get(tableId);
    const table =
      map === undefined
        ? undefined
        : this.#tables.find((t) => t.database === map.database && t.table === map.table);
    let mapping: Mapping | null = null;
    if (map !== undefined && table !== undefined) {
      const names = map.names.length > 0 ? map.names : table.catalogNames;
      mapping = {
        table,
        columns: table.emitted.map((c) => names.indexOf(c.name)),
        keys: table.keyNames.map((k) => names.indexOf(k)),
        names,
      };
    }
    this.#mappings.set(tableId, mapping);
    return mapping;
  }

  /** Decodes a row image (or snapshot row: `mapping` null) into emitted columns; throws {@link BadMysqlChange}. */
  decodeRow(
    table: MysqlTable,
    values: readonly BinlogValue[],
    mapping: Mapping | null,
    position: string,
  ): Row {
    const fields: Row = new Array(table.emitted.length);
    for (let i = 0; i < table.emitted.length; i++) {
      const column = table.emitted[i]!;
      const value = values[mapping === null ? i : mapping.columns[i]!];
      if (value === null || value === undefined) {
        fields[i] = null;
        continue;
      }
      try {
        if (column.binary) fields[i] = typeof value === "string" ? new TextEncoder().encode(value) : value;
        else
          fields[i] = column.decode(typeof value === "string" ? value : Buffer.from(value).toString("utf8"));
      } catch (error) {
        const names = mapping === null ? table.emitted.map((c) => c.name) : mapping.names;
        const rawValues: Record<string, string | null> = {};
        for (let j = 0; j < names.length && j < values.length; j++) {
          const v = values[j];
          rawValues[names[j]!] =
            v === null || v === undefined
              ? null
              : typeof v === "string"
                ? v
                : Buffer.from(v).toString("utf8");
        }
        throw new BadMysqlChange({
          table: table.id,
          position,
          error: `column "${column.name}": ${(error as Error).message}`,
          rawValues,
        });
      }
    }
    return fields;
  }

  /** Emits one row change; returns how many events it became. */
  emit(
    output: ReaderOutput<ChangeEvent>,
    mapping: Mapping,
    kind: "insert" | "update" | "delete",
    row: RowChange,
    position: string,
  ): number {
    const table = mapping.table;
    const before = row.before === null ? undefined : this.decodeRow(table, row.before, mapping, position);
    const after = row.after === null ? undefined : this.decodeRow(table, row.after, mapping, position);
    if (kind === "insert") {
      if (after === undefined) return 0;
      output.collect({ kind: Kind.INSERT, fields: after, table: table.id });
      return 1;
    }
    if (kind === "delete") {
      if (before === undefined) return 0;
      output.collect({ kind: Kind.DELETE, fields: before, table: table.id });
      return 1;
    }
    if (before === undefined || after === undefined) return 0;
    const upsert = this.#upsert;
    const keyChanged = mapping.keys.some((k) => {
      const a = row.before![k];
      const b = row.after![k];
      return a instanceof Uint8Array && b instanceof Uint8Array ? Buffer.compare(a, b) !== 0 : a !== b;
    });
    let count = 0;
    if (!upsert || keyChanged) {
      output.collect({ kind: upsert ? Kind.DELETE : Kind.UPDATE_BEFORE, fields: before, table: table.id });
      count++;
    }
    output.collect({ kind: Kind.UPDATE_AFTER, fields: after, table: table.id });
    return count + 1;
  }
}
