/**
 * The MariaDB/MySQL dialect of the JDBC-style sink: multi-row statements with values escaped by
 * the driver, in chunks that keep each statement well below `max_allowed_packet`:
 * ```sql
 * INSERT INTO `t` (`id`, `v`) VALUES (1, '12.50'), (2, NULL) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)
 * DELETE FROM `t` WHERE (`id`) IN ((3))
 * ```
 * Invariant: every batch is one transaction; the session runs in UTC (`time_zone = '+00:00'`), so
 * TIMESTAMP_LTZ values are written as UTC wall-clock text; bytes are written as binary.
 * @module
 */

import type { Row, SqlValue } from "@weir/sql";
import mysql from "mysql2/promise";
import { type ConnectionOptions, quoteMysql } from "../connection-options.ts";
import { textEncoderFor } from "../values/text-value-encoder.ts";
import type { DialectTarget, JdbcDialect, ReducedBatch } from "./jdbc-dialect.ts";

type Param = string | Buffer | null;
type Encoder = (value: SqlValue) => Param;

/** Rows per statement; 500 rows of a few columns stay far below the default 16 MiB packet. */
const ROWS_PER_STATEMENT = 500;

function encoderFor(type: DialectTarget["columns"][number]["type"]): Encoder {
  if (type.kind === "BINARY" || type.kind === "VARBINARY") {
    const text = textEncoderFor(type);
    return (v) => Buffer.from(text(v).slice(2), "hex");
  }
  if (type.kind === "BOOLEAN") {
    const text = textEncoderFor(type);
    return (v) => (text(v) === "true" ? "1" : "0");
  }
  const text = textEncoderFor(type);
  // MariaDB does not read a UTC offset in datetime text; the session zone is UTC already.
  if (type.kind === "TIMESTAMP_LTZ") return (v) => text(v).slice(0, -"+00:00".length);
  return text;
}

export class MysqlDialect implements JdbcDialect {
  readonly #connection: ConnectionOptions;
  readonly #target: DialectTarget;
  readonly #encoders: readonly Encoder[];
  #client: mysql.Connection | undefined;

  constructor(connection: ConnectionOptions, target: DialectTarget) {
    this.#connection = connection;
    this.#target = target;
    this.#encoders = target.columns.map((c) => encoderFor(c.type));
  }

  get #qualified(): string {
    return this.#target.schema === ""
      ? quoteMysql(this.#target.table)
      : `${quoteMysql(this.#target.schema)}.${quoteMysql(this.#target.table)}`;
  }

  async open(): Promise<void> {
    if (this.#client !== undefined) return;
    const client = await mysql.createConnection({
      host: this.#connection.host,
      port: this.#connection.port,
      user: this.#connection.user,
      ...(this.#connection.password === undefined ? {} : { password: this.#connection.password }),
      database: this.#connection.database,
      timezone: "Z",
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    client.on("error", () => {});
    this.#client = client;
    await client.query("SET time_zone = '+00:00'");
    const schema = this.#target.schema === "" ? this.#connection.database : this.#target.schema;
    const [rows] = await client.query<mysql.RowDataPacket[]>(
      "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
      [schema, this.#target.table],
    );
    if (rows.length === 0) throw new Error(`table ${this.#qualified} does not exist in database "${schema}"`);
    const names = new Set(rows.map((r) => String(r.name)));
    for (const column of this.#target.columns)
      if (!names.has(column.name))
        throw new Error(
          `table ${this.#qualified} has no column "${column.name}" (it has ${[...names].map((n) => `"${n}"`).join(", ")})`,
        );
  }

  #values(row: Row, indices: readonly number[]): Param[] {
    return indices.map((i) => {
      const value = row[i];
      return value === null || value === undefined ? null : this.#encoders[i]!(value);
    });
  }

  async #run(kind: "insert" | "upsert" | "delete", rows: readonly Row[]): Promise<void> {
    const client = this.#client!;
    const columns = this.#target.columns;
    const all = columns.map((_, i) => i);
    const keys = this.#target.keyIndices;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      if (kind === "delete") {
        const tuple = `(${keys.map(() => "?").join(", ")})`;
        const sql = `DELETE FROM ${this.#qualified} WHERE (${keys.map((i) => quoteMysql(columns[i]!.name)).join(", ")}) IN (${chunk.map(() => tuple).join(", ")})`;
        await client.query(
          sql,
          chunk.flatMap((row) => this.#values(row, keys)),
        );
        continue;
      }
      const tuple = `(${all.map(() => "?").join(", ")})`;
      let sql = `INSERT INTO ${this.#qualified} (${columns.map((c) => quoteMysql(c.name)).join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`;
      if (kind === "upsert") {
        const others = all.filter((i) => !keys.includes(i));
        const updated = others.length === 0 ? [keys[0]!] : others;
        sql += ` ON DUPLICATE KEY UPDATE ${updated.map((i) => `${quoteMysql(columns[i]!.name)} = VALUES(${quoteMysql(columns[i]!.name)})`).join(", ")}`;
      }
      await client.query(
        sql,
        chunk.flatMap((row) => this.#values(row, all)),
      );
    }
  }

  async apply(batch: ReducedBatch): Promise<void> {
    const client = this.#client!;
    await client.query("START TRANSACTION");
    try {
      await this.#run("delete", batch.deletes);
      await this.#run("upsert", batch.upserts);
      await this.#run("insert", batch.inserts);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  async findFailingRow(batch: ReducedBatch): Promise<{ row: Row; action: string; error: Error } | undefined> {
    const client = this.#client!;
    await client.query("START TRANSACTION");
    try {
      for (const [action, kind, rows] of [
        ["DELETE", "delete", batch.deletes],
        ["UPSERT", "upsert", batch.upserts],
        ["INSERT", "insert", batch.inserts],
      ] as const) {
        for (const row of rows) {
          try {
            await this.#run(kind, [row]);
          } catch (error) {
            return { row, action, error: error as Error };
          }
        }
      }
      return undefined;
    } finally {
      await client.query("ROLLBACK").catch(() => {});
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
