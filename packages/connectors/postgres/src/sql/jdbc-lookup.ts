/**
 * Lookups on a `jdbc` table in Postgres (Flink's JdbcRowDataLookupFunction), for
 * `JOIN t FOR SYSTEM_TIME AS OF o.proctime ON o.k = t.k`: each lookup is one
 * `SELECT <columns> FROM <table> WHERE k = $1 [AND …]` on a small connection pool, values passed and
 * read as Postgres text (the same codecs as the jdbc source and sink). Options as Flink's:
 * `lookup.max-retries` (default 3; attempts after the first failed one); caching is the planner's
 * generic `lookup.cache` (see `@weir/sql`'s `PartialLookupCache`).
 *
 * Invariant: the pool opens on the first lookup and every lookup reads the table as it is then
 * (no snapshot across lookups), which is what a processing-time lookup join means.
 * @module
 */

import {
  ConnectorOptionError,
  type LookupContext,
  OptionReader,
  type Row,
  type SqlValue,
  type TableLookup,
} from "@weir/sql";
import pg from "pg";
import { parseJdbcUrl, parseTableName, quotePg } from "../connection-options.ts";
import { textDecoderFor } from "../values/text-value-decoder.ts";
import { textEncoderFor } from "../values/text-value-encoder.ts";

const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** Option keys a lookup reads, for the factory's list of optional options. */
export const JDBC_LOOKUP_OPTIONS: readonly string[] = ["lookup.max-retries"];

class JdbcLookup implements TableLookup {
  readonly #config: pg.PoolConfig;
  readonly #sql: string;
  readonly #encoders: ((value: SqlValue) => string)[];
  readonly #decoders: ((text: string) => SqlValue)[];
  readonly #maxRetries: number;
  #pool: pg.Pool | null = null;

  constructor(config: pg.PoolConfig, sql: string, context: LookupContext, maxRetries: number) {
    const fields = context.physicalType.fields;
    this.#config = config;
    this.#sql = sql;
    this.#encoders = context.keyIndices.map((i) => textEncoderFor(fields[i]!.type));
    this.#decoders = fields.map((f) => textDecoderFor(f.type));
    this.#maxRetries = maxRetries;
  }

  async lookup(keys: readonly SqlValue[]): Promise<readonly Row[]> {
    this.#pool ??= new pg.Pool(this.#config);
    const values = keys.map((k, i) => this.#encoders[i]!(k));
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#pool.query<(string | null)[]>({
          text: this.#sql,
          values,
          rowMode: "array",
          types: RAW_TEXT,
        } as pg.QueryArrayConfig);
        return result.rows.map((raw) =>
          raw.map((text, c) => (text === null ? null : this.#decoders[c]!(text))),
        );
      } catch (error) {
        if (attempt >= this.#maxRetries) throw error;
      }
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end();
  }
}

/** The lookup of a `jdbc` table; validates its options (Postgres URLs only) without connecting. */
export function createJdbcLookup(context: LookupContext): TableLookup {
  const table = context.table;
  const options = new OptionReader(table);
  const bad = (message: string) => new ConnectorOptionError(`Table '${table.name}' ('jdbc'): ${message}`);
  let url: ReturnType<typeof parseJdbcUrl>;
  try {
    url = parseJdbcUrl(options.string("url") ?? "");
  } catch (error) {
    throw bad((error as Error).message);
  }
  if (url.system !== "postgres") throw bad("lookups are supported for Postgres tables only");
  const name = options.string("table-name");
  if (name === undefined) throw bad("the option 'table-name' is required");
  const username = options.string("username");
  const password = options.string("password");
  const maxRetries = options.integer("lookup.max-retries", 3, 0);
  const fields = context.physicalType.fields;
  const columns = fields.map((f) => quotePg(f.name)).join(", ");
  const where = context.keyIndices.map((k, i) => `${quotePg(fields[k]!.name)} = $${i + 1}`).join(" AND ");
  const { schema, table: tableName } = parseTableName(name, "public");
  const sql = `SELECT ${columns} FROM ${quotePg(schema)}.${quotePg(tableName)} WHERE ${where}`;
  const config: pg.PoolConfig = {
    ...url.options,
    ...(username === undefined ? {} : { user: username }),
    ...(password === undefined || password === "" ? {} : { password }),
    max: 4,
  };
  return new JdbcLookup(config, sql, context, maxRetries);
}
