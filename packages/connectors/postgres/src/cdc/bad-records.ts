/**
 * What the CDC source does with a change it cannot turn into a row (a value its column's SQL type
 * cannot hold, an unchanged TOAST value it cannot fill in, a column that disappeared):
 * - `fail` (default): the job fails with an error naming the table, the position (LSN, or the
 *   snapshot) and the column;
 * - `drop`: the change is skipped, counted, and logged at most once every 10 seconds;
 * - `dead-letter`: the change is written to a dead-letter table (in the captured database) and
 *   skipped. The source's position moves past the change only after that write succeeded, so a
 *   checkpoint never covers a dead letter that was not stored (at-least-once: after a failure the
 *   same letter may be stored again).
 *
 * Dead-letter table (created when missing):
 * ```sql
 * CREATE TABLE <name> (source_table text, position text, error text, raw_values jsonb, stored_at timestamptz DEFAULT now())
 * ```
 * @module
 */

import pg from "pg";
import {
  type ConnectionOptions,
  POSTGRES_SESSION_OPTIONS,
  parseTableName,
  quotePg,
} from "../connection-options.ts";

export type BadRecordPolicy =
  | { readonly policy: "fail" }
  | { readonly policy: "drop" }
  | { readonly policy: "dead-letter"; readonly table: string };

/** A change the source could not read. */
export interface DeadLetter {
  /** `schema.table`. */
  readonly table: string;
  /** `LSN 0/16B3748` or `snapshot`. */
  readonly position: string;
  readonly error: string;
  /** The change's values in the database's text form, by column name. */
  readonly rawValues: Readonly<Record<string, string | null>>;
}

const LOG_INTERVAL_MS = 10_000;

/** Counts dropped records and logs them, rate-limited. */
export class DropCounter {
  dropped = 0;
  #lastLog = 0;

  drop(letter: DeadLetter, log: (line: string) => void): void {
    this.dropped++;
    const now = Date.now();
    if (now - this.#lastLog >= LOG_INTERVAL_MS) {
      this.#lastLog = now;
      log(
        `Postgres CDC: dropped a bad change of table "${letter.table}" at ${letter.position}: ${letter.error} (${this.dropped} dropped so far)`,
      );
    }
  }
}

/** Stores dead letters in a table of the captured database. */
export class DeadLetterTable {
  readonly #connection: ConnectionOptions;
  readonly #qualified: string;
  #client: pg.Client | undefined;

  constructor(connection: ConnectionOptions, table: string) {
    this.#connection = connection;
    const { schema, table: name } = parseTableName(table, "public");
    this.#qualified = `${quotePg(schema)}.${quotePg(name)}`;
  }

  async store(letter: DeadLetter): Promise<void> {
    if (this.#client === undefined) {
      const client = new pg.Client({
        host: this.#connection.host,
        port: this.#connection.port,
        user: this.#connection.user,
        ...(this.#connection.password === undefined ? {} : { password: this.#connection.password }),
        database: this.#connection.database,
        options: POSTGRES_SESSION_OPTIONS,
      });
      await client.connect();
      client.on("error", () => {});
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.#qualified} (source_table text, position text, error text, raw_values jsonb, stored_at timestamptz DEFAULT now())`,
      );
      this.#client = client;
    }
    await this.#client.query(
      `INSERT INTO ${this.#qualified} (source_table, position, error, raw_values) VALUES ($1, $2, $3, $4)`,
      [letter.table, letter.position, letter.error, JSON.stringify(letter.rawValues)],
    );
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
