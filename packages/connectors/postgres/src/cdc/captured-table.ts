/**
 * A table the CDC source captures, resolved against the database catalog when a reader starts:
 * its columns and primary key, which columns the source emits (all, or the declared ones, in the
 * declared order) and how each emitted value is decoded.
 *
 * Invariants: the primary key is required (the snapshot reads in key order, so it can resume after
 * the last key emitted); key order in SQL (`ORDER BY` with the `C` collation for text) and in
 * {@link compareKeys} agree, so "is this key already read" means the same on both sides.
 *
 * Example: `public.orders(id int primary key, note text, total numeric(10,2))` captured with no
 * declared columns emits `fields = [id: number, note: string, total: bigint (unscaled, scale 2)]`.
 * @module
 */

import type { LogicalType, SqlValue } from "@weir/sql";
import type pg from "pg";
import { parseTableName, quotePg } from "../connection-options.ts";
import { logicalTypeOfPgColumn, type PgColumn, PgOid } from "../values/postgres-type-mapping.ts";
import { type TextDecoder, textDecoderFor } from "../values/text-value-decoder.ts";

/** What the user asks to capture. */
export interface CapturedTableSpec {
  /** `table` (schema `public`) or `schema.table`. */
  readonly table: string;
  /**
   * The emitted columns, in order, optionally with the SQL type each is read as; default: every
   * column of the table in catalog order, typed by the Postgres → SQL mapping.
   */
  readonly columns?: readonly { readonly name: string; readonly type?: LogicalType }[];
}

export interface EmittedColumn {
  readonly name: string;
  readonly type: LogicalType;
  readonly decode: TextDecoder;
}

export interface CapturedTable {
  /** `schema.table`, as events name it. */
  readonly id: string;
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`. */
  readonly qualified: string;
  readonly catalogColumns: readonly PgColumn[];
  readonly emitted: readonly EmittedColumn[];
  /** Primary key column names, in index order. */
  readonly keyNames: readonly string[];
  /** Decoders and SQL types (`format_type`) of the key columns. */
  readonly keyDecoders: readonly TextDecoder[];
  readonly keySqlTypes: readonly string[];
  readonly keyCollatable: readonly boolean[];
}

const COLLATABLE = new Set<number>([PgOid.text, PgOid.varchar, PgOid.bpchar, PgOid.name]);

/** Looks `spec` up in the catalog; throws naming the table for anything missing or unsupported. */
export async function resolveCapturedTable(
  client: pg.Client,
  spec: CapturedTableSpec,
): Promise<CapturedTable> {
  const { schema, table } = parseTableName(spec.table, "public");
  const qualified = `${quotePg(schema)}.${quotePg(table)}`;
  const where = `Postgres CDC table ${JSON.stringify(`${schema}.${table}`)}`;
  const columns = await client.query<{
    attname: string;
    atttypid: number;
    atttypmod: number;
    typcategory: string;
    attnotnull: boolean;
    sqltype: string;
  }>(
    `SELECT a.attname, a.atttypid::int AS atttypid, a.atttypmod, t.typcategory, a.attnotnull,
            format_type(a.atttypid, a.atttypmod) AS sqltype
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualified],
  );
  if (columns.rows.length === 0) throw new Error(`${where} does not exist`);
  const catalogColumns: PgColumn[] = columns.rows.map((r) => ({
    name: r.attname,
    typeOid: r.atttypid,
    typeModifier: r.atttypmod,
    category: r.typcategory,
    notNull: r.attnotnull,
  }));
  const keys = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.n`,
    [qualified],
  );
  const keyNames = keys.rows.map((r) => r.attname);
  if (keyNames.length === 0)
    throw new Error(
      `${where} has no primary key; the CDC source reads snapshots in primary key order and needs one`,
    );
  const byName = new Map(catalogColumns.map((c) => [c.name, c]));
  const sqlTypes = new Map(columns.rows.map((r) => [r.attname, r.sqltype]));
  const declared: readonly { readonly name: string; readonly type?: LogicalType }[] =
    spec.columns ?? catalogColumns.map((c) => ({ name: c.name }));
  const emitted = declared.map((d): EmittedColumn => {
    const column = byName.get(d.name);
    if (column === undefined)
      throw new Error(
        `${where} has no column "${d.name}" (it has ${catalogColumns.map((c) => `"${c.name}"`).join(", ")})`,
      );
    const type = d.type ?? logicalTypeOfPgColumn(column, where);
    let decode: TextDecoder;
    try {
      decode = textDecoderFor(type);
    } catch (error) {
      throw new Error(`${where}, column "${d.name}": ${(error as Error).message}`);
    }
    return { name: d.name, type, decode };
  });
  const keyColumns = keyNames.map((n) => byName.get(n)!);
  return {
    id: `${schema}.${table}`,
    schema,
    table,
    qualified,
    catalogColumns,
    emitted,
    keyNames,
    keyDecoders: keyColumns.map((c) => textDecoderFor(logicalTypeOfPgColumn(c, where))),
    keySqlTypes: keyNames.map((n) => sqlTypes.get(n)!),
    keyCollatable: keyColumns.map((c) => COLLATABLE.has(c.typeOid)),
  };
}

function compareStrings(a: string, b: string): number {
  // Code point order, which is the byte order of UTF-8 that the C collation sorts by.
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareValues(a: SqlValue, b: SqlValue): number {
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const c = Buffer.compare(a, b);
    return c;
  }
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint"))
    return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  throw new Error(`cannot compare key values ${String(a)} and ${String(b)}`);
}

/** Orders decoded primary keys as the snapshot query's `ORDER BY` does. */
export function compareKeys(a: readonly SqlValue[], b: readonly SqlValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
