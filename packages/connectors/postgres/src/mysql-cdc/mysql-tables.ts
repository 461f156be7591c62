/**
 * A MariaDB/MySQL table the MySQL CDC source captures, resolved from `information_schema` when a
 * reader starts: emitted columns (all, or the declared ones in the declared order) with their SQL
 * types and decoders, and the primary key the snapshot pages by.
 *
 * Type mapping (as Flink CDC's MySQL connector): TINYINT/SMALLINT/MEDIUMINT/INT/BIGINT →
 * TINYINT/SMALLINT/INT/INT/BIGINT (unsigned: the next wider type; BIGINT UNSIGNED → DECIMAL(20, 0)),
 * DECIMAL(p, s) → DECIMAL(p, s), FLOAT/DOUBLE → FLOAT/DOUBLE, CHAR/VARCHAR/TEXT → CHAR(n)/VARCHAR(n)/
 * STRING, BINARY/VARBINARY/BLOB → BYTES, DATE → DATE, DATETIME(p) → TIMESTAMP(p), TIMESTAMP(p) →
 * TIMESTAMP_LTZ(p); other types are refused with the column named.
 * @module
 */

import type { LogicalType } from "@weir/sql";
import type mysql from "mysql2/promise";
import { MAX_LENGTH } from "../values/row-kinds.ts";
import { type TextDecoder, textDecoderFor } from "../values/text-value-decoder.ts";

export interface MysqlTableSpec {
  /** `table` (in the connection's database) or `database.table`. */
  readonly table: string;
  readonly columns?: readonly { readonly name: string; readonly type?: LogicalType }[];
}

export interface MysqlColumn {
  readonly name: string;
  readonly type: LogicalType;
  readonly decode: TextDecoder;
  readonly binary: boolean;
}

export interface MysqlTable {
  /** `database.table`, as events name it. */
  readonly id: string;
  readonly database: string;
  readonly table: string;
  readonly qualified: string;
  /** Catalog column names in ordinal order (row images follow it). */
  readonly catalogNames: readonly string[];
  readonly emitted: readonly MysqlColumn[];
  readonly keyNames: readonly string[];
}

const q = (identifier: string) => `\`${identifier.replaceAll("`", "``")}\``;

interface InfoColumn {
  name: string;
  dataType: string;
  columnType: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  fsp: number | null;
  nullable: string;
}

function logicalType(c: InfoColumn, where: string): LogicalType {
  const nullable = c.nullable === "YES";
  const unsigned = /unsigned/i.test(c.columnType);
  switch (c.dataType.toLowerCase()) {
    case "tinyint":
      return unsigned ? { kind: "SMALLINT", nullable } : { kind: "TINYINT", nullable };
    case "smallint":
      return unsigned ? { kind: "INT", nullable } : { kind: "SMALLINT", nullable };
    case "mediumint":
      return { kind: "INT", nullable };
    case "int":
    case "integer":
      return unsigned ? { kind: "BIGINT", nullable } : { kind: "INT", nullable };
    case "bigint":
      return unsigned ? { kind: "DECIMAL", precision: 20, scale: 0, nullable } : { kind: "BIGINT", nullable };
    case "decimal":
      return { kind: "DECIMAL", precision: Math.min(c.precision ?? 10, 38), scale: c.scale ?? 0, nullable };
    case "float":
      return { kind: "FLOAT", nullable };
    case "double":
      return { kind: "DOUBLE", nullable };
    case "char":
      return { kind: "CHAR", length: c.length ?? 1, nullable };
    case "varchar":
      return { kind: "VARCHAR", length: c.length ?? MAX_LENGTH, nullable };
    case "tinytext":
    case "text":
    case "mediumtext":
    case "longtext":
      return { kind: "VARCHAR", length: MAX_LENGTH, nullable };
    case "binary":
    case "varbinary":
    case "tinyblob":
    case "blob":
    case "mediumblob":
    case "longblob":
      return { kind: "VARBINARY", length: MAX_LENGTH, nullable };
    case "date":
      return { kind: "DATE", nullable };
    case "datetime":
      return { kind: "TIMESTAMP", precision: c.fsp ?? 0, nullable, timeAttribute: null };
    case "timestamp":
      return { kind: "TIMESTAMP_LTZ", precision: c.fsp ?? 0, nullable, timeAttribute: null };
    default:
      throw new Error(
        `${where}: column "${c.name}" has type ${c.columnType}, which the MySQL CDC source does not map`,
      );
  }
}

export async function resolveMysqlTable(
  client: mysql.Connection,
  defaultDatabase: string,
  spec: MysqlTableSpec,
): Promise<MysqlTable> {
  const dot = spec.table.indexOf(".");
  const database = dot < 0 ? defaultDatabase : spec.table.slice(0, dot);
  const table = dot < 0 ? spec.table : spec.table.slice(dot + 1);
  const where = `MySQL CDC table "${database}.${table}"`;
  const [rows] = await client.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, NUMERIC_PRECISION AS \`precision\`,
            NUMERIC_SCALE AS scale, CHARACTER_MAXIMUM_LENGTH AS length, DATETIME_PRECISION AS fsp, IS_NULLABLE AS nullable
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  if (rows.length === 0) throw new Error(`${where} does not exist`);
  const info = rows.map((r) => ({
    name: String(r.name),
    dataType: String(r.dataType),
    columnType: String(r.columnType),
    precision: r.precision === null ? null : Number(r.precision),
    scale: r.scale === null ? null : Number(r.scale),
    length: r.length === null ? null : Number(r.length),
    fsp: r.fsp === null ? null : Number(r.fsp),
    nullable: String(r.nullable),
  }));
  const [keys] = await client.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const keyNames = keys.map((k) => String(k.name));
  if (keyNames.length === 0)
    throw new Error(
      `${where} has no primary key; the CDC source reads snapshots in primary key order and needs one`,
    );
  const byName = new Map(info.map((c) => [c.name, c]));
  const declared: readonly { readonly name: string; readonly type?: LogicalType }[] =
    spec.columns ?? info.map((c) => ({ name: c.name }));
  const emitted = declared.map((d): MysqlColumn => {
    const column = byName.get(d.name);
    if (column === undefined)
      throw new Error(
        `${where} has no column "${d.name}" (it has ${info.map((c) => `"${c.name}"`).join(", ")})`,
      );
    const type = d.type ?? logicalType(column, where);
    let decode: TextDecoder;
    try {
      decode = textDecoderFor(type);
    } catch (error) {
      throw new Error(`${where}, column "${d.name}": ${(error as Error).message}`);
    }
    return { name: d.name, type, decode, binary: type.kind === "BINARY" || type.kind === "VARBINARY" };
  });
  return {
    id: `${database}.${table}`,
    database,
    table,
    qualified: `${q(database)}.${q(table)}`,
    catalogNames: info.map((c) => c.name),
    emitted,
    keyNames,
  };
}

export const quoteMysqlName = q;
