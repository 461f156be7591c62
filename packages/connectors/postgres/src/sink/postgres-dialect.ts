/**
 * The Postgres dialect of the JDBC-style sink. A batch is sent as one array per column (text
 * values, cast to the column's own type on the server), so a batch of any size is one statement
 * per kind, parsed once per writer (named prepared statements):
 * ```sql
 * INSERT INTO "public"."t" ("id", "v") SELECT u.c0::integer, u.c1::numeric(10,2)
 *   FROM unnest($1::text[], $2::text[]) AS u(c0, c1)
 *   ON CONFLICT ("id") DO UPDATE SET "v" = EXCLUDED."v"
 * DELETE FROM "public"."t" WHERE ("id") IN (SELECT u.c0::integer FROM unnest($1::text[]) AS u(c0))
 * ```
 * Invariant: every batch is one transaction; the column types come from the catalog when the
 * writer opens, so a value's text is parsed exactly as the column's input function parses it.
 * @module
 */

import type { Row } from "@weir/sql";
import pg from "pg";
import { type ConnectionOptions, POSTGRES_SESSION_OPTIONS, quotePg } from "../connection-options.ts";
import { type TextEncoder, textEncoderFor } from "../values/text-value-encoder.ts";
import type { DialectTarget, JdbcDialect, ReducedBatch } from "./jdbc-dialect.ts";

let statementCounter = 0;

export class PostgresDialect implements JdbcDialect {
  readonly #connection: ConnectionOptions;
  readonly #target: DialectTarget;
  readonly #encoders: readonly TextEncoder[];
  #client: pg.Client | undefined;
  #insertSql = "";
  #upsertSql = "";
  #deleteSql = "";
  readonly #names = { insert: "", upsert: "", delete: "" };

  constructor(connection: ConnectionOptions, target: DialectTarget) {
    this.#connection = connection;
    this.#target = target;
    this.#encoders = target.columns.map((c) => textEncoderFor(c.type));
  }

  get #qualified(): string {
    return `${quotePg(this.#target.schema)}.${quotePg(this.#target.table)}`;
  }

  async open(): Promise<void> {
    if (this.#client !== undefined) return;
    const client = new pg.Client({
      host: this.#connection.host,
      port: this.#connection.port,
      user: this.#connection.user,
      ...(this.#connection.password === undefined ? {} : { password: this.#connection.password }),
      database: this.#connection.database,
      options: POSTGRES_SESSION_OPTIONS,
    });
    await client.connect();
    // A broken connection fails the next statement; the error event only needs a listener.
    client.on("error", () => {});
    this.#client = client;
    const found = await client.query<{ attname: string; type: string }>(
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [this.#qualified],
    );
    if (found.rows.length === 0)
      throw new Error(`table ${this.#qualified} does not exist in database "${this.#connection.database}"`);
    const types = new Map(found.rows.map((r) => [r.attname, r.type]));
    const casts = this.#target.columns.map((c, i) => {
      const type = types.get(c.name);
      if (type === undefined)
        throw new Error(
          `table ${this.#qualified} has no column "${c.name}" (it has ${[...types.keys()].map((n) => `"${n}"`).join(", ")})`,
        );
      return `u.c${i}::${type}`;
    });
    const columns = this.#target.columns.map((c) => quotePg(c.name)).join(", ");
    const unnest = (indices: readonly number[]) =>
      `unnest(${indices.map((_, j) => `$${j + 1}::text[]`).join(", ")}) AS u(${indices.map((i) => `c${i}`).join(", ")})`;
    const all = this.#target.columns.map((_, i) => i);
    this.#insertSql = `INSERT INTO ${this.#qualified} (${columns}) SELECT ${casts.join(", ")} FROM ${unnest(all)}`;
    const keys = this.#target.keyIndices;
    if (keys.length > 0) {
      const keyNames = keys.map((i) => quotePg(this.#target.columns[i]!.name)).join(", ");
      const others = all.filter((i) => !keys.includes(i));
      const update =
        others.length === 0
          ? "DO NOTHING"
          : `DO UPDATE SET ${others.map((i) => `${quotePg(this.#target.columns[i]!.name)} = EXCLUDED.${quotePg(this.#target.columns[i]!.name)}`).join(", ")}`;
      this.#upsertSql = `${this.#insertSql} ON CONFLICT (${keyNames}) ${update}`;
      this.#deleteSql = `DELETE FROM ${this.#qualified} WHERE (${keyNames}) IN (SELECT ${keys.map((i) => casts[i]).join(", ")} FROM ${unnest(keys)})`;
    }
    const id = ++statementCounter;
    this.#names.insert = `weir_insert_${id}`;
    this.#names.upsert = `weir_upsert_${id}`;
    this.#names.delete = `weir_delete_${id}`;
  }

  #columnArrays(rows: readonly Row[], indices: readonly number[]): (string | null)[][] {
    const arrays: (string | null)[][] = indices.map(() => new Array(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let j = 0; j < indices.length; j++) {
        const i = indices[j]!;
        const value = row[i];
        arrays[j]![r] = value === null || value === undefined ? null : this.#encoders[i]!(value);
      }
    }
    return arrays;
  }

  async #run(kind: "insert" | "upsert" | "delete", rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const all = this.#target.columns.map((_, i) => i);
    const indices = kind === "delete" ? this.#target.keyIndices : all;
    const text = kind === "insert" ? this.#insertSql : kind === "upsert" ? this.#upsertSql : this.#deleteSql;
    await this.#client!.query({ name: this.#names[kind], text, values: this.#columnArrays(rows, indices) });
  }

  async apply(batch: ReducedBatch): Promise<void> {
    const client = this.#client!;
    await client.query("BEGIN");
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
    await client.query("BEGIN");
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
