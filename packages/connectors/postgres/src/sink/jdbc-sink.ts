/**
 * JDBC-style sinks into Postgres and MariaDB/MySQL tables (Flink's `jdbc` connector): rows of a
 * changelog (`RowData`: `+I`, `-U`, `+U`, `-D`) are buffered, reduced per primary key and written
 * in batches, one transaction per batch.
 *
 * Modes:
 * - **upsert** (a primary key is given): `+I`/`+U` upsert the row, `-U`/`-D` delete its key (as
 *   Flink's JDBC sink treats the kinds). Within a batch only the last change of each key is sent.
 *   Replaying changes after a failure rewrites the same final rows, so with checkpoints the table
 *   ends exactly as if nothing failed (effectively exactly-once; readers may briefly see older
 *   values of a key while a replay catches up).
 * - **append** (no key): `+I`/`+U` rows are inserted, `-U`/`-D` fail with an error naming the row.
 *   Rows written after the last completed checkpoint are written again after a failure:
 *   at-least-once.
 *
 * Batching: a batch is written when `maxRows` rows are buffered (the write waits: backpressure),
 * every `flushIntervalMs`, and at every checkpoint barrier, so a completed checkpoint means every
 * row before its barrier is committed in the database.
 *
 * Invariant: a batch the database refuses fails the job with an error naming the table, the
 * failing row and the database's reason (found by replaying the batch row by row in a transaction
 * that is rolled back).
 *
 * Example: `stream.toSink(JdbcSink.create({ url: "jdbc:postgresql://127.0.0.1:5432/shop",
 * table: "public.orders", columns: [{ name: "id", type: INT }, …], primaryKey: ["id"] }))`.
 * @module
 */

import type { Sink, SinkWriter, SinkWriterContext } from "@weir/api";
import type { Row, RowData } from "@weir/sql";
import {
  type ConnectionOptions,
  type DatabaseSystem,
  parseJdbcUrl,
  parseTableName,
} from "../connection-options.ts";
import { describeRow } from "../values/describe-row.ts";
import { KIND_NAMES, Kind } from "../values/row-kinds.ts";
import { textEncoderFor } from "../values/text-value-encoder.ts";
import type { DialectTarget, JdbcDialect, ReducedBatch, SinkColumn } from "./jdbc-dialect.ts";
import { MysqlDialect } from "./mysql-dialect.ts";
import { PostgresDialect } from "./postgres-dialect.ts";

export type { SinkColumn } from "./jdbc-dialect.ts";

export interface JdbcSinkOptions {
  /** `jdbc:postgresql://host:port/db`, `jdbc:mysql://…`, `jdbc:mariadb://…`; or give `connection`. */
  readonly url?: string;
  readonly connection?: ConnectionOptions & { readonly system: DatabaseSystem };
  /** Overrides the URL's user and password. */
  readonly username?: string;
  readonly password?: string;
  /** `table` or `schema.table` (Postgres: schema `public` by default; MySQL: the URL's database). */
  readonly table: string;
  /** The columns of each record's `fields`, in order, with their SQL types. */
  readonly columns: readonly SinkColumn[];
  /** Column names of the primary key: upsert mode. Absent or empty: append mode. */
  readonly primaryKey?: readonly string[];
  /** Rows buffered before a batch is written (default 100, Flink's `sink.buffer-flush.max-rows`). */
  readonly maxRows?: number;
  /** Milliseconds between timed batch writes; 0 turns them off (default 1000). */
  readonly flushIntervalMs?: number;
}

interface ResolvedSinkOptions {
  readonly system: DatabaseSystem;
  readonly connection: ConnectionOptions;
  readonly target: DialectTarget;
  readonly maxRows: number;
  readonly flushIntervalMs: number;
}

function resolve(options: JdbcSinkOptions): ResolvedSinkOptions {
  const where = `JDBC sink (table ${JSON.stringify(options.table)})`;
  let system: DatabaseSystem;
  let connection: ConnectionOptions;
  if (options.connection !== undefined) {
    system = options.connection.system;
    connection = options.connection;
  } else if (options.url !== undefined) {
    ({ system, options: connection } = parseJdbcUrl(options.url));
  } else throw new Error(`${where}: give either url or connection`);
  if (options.username !== undefined) connection = { ...connection, user: options.username };
  if (options.password !== undefined) connection = { ...connection, password: options.password };
  const { schema, table } = parseTableName(options.table, system === "postgres" ? "public" : "");
  if (options.columns.length === 0) throw new Error(`${where}: no columns given`);
  const names = options.columns.map((c) => c.name);
  for (const [i, column] of options.columns.entries()) {
    if (names.indexOf(column.name) !== i) throw new Error(`${where}: column "${column.name}" is given twice`);
    try {
      textEncoderFor(column.type);
    } catch (error) {
      throw new Error(`${where}: column "${column.name}": ${(error as Error).message}`);
    }
  }
  const keyIndices = (options.primaryKey ?? []).map((key) => {
    const index = names.indexOf(key);
    if (index < 0)
      throw new Error(`${where}: primary key column "${key}" is not one of the columns ${names.join(", ")}`);
    return index;
  });
  const maxRows = options.maxRows ?? 100;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new Error(`${where}: maxRows must be a positive integer, got ${maxRows}`);
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  if (!(flushIntervalMs >= 0))
    throw new Error(`${where}: flushIntervalMs must be >= 0, got ${flushIntervalMs}`);
  return {
    system,
    connection,
    target: { tableName: options.table, schema, table, columns: options.columns, keyIndices },
    maxRows,
    flushIntervalMs,
  };
}

/** A key usable in a Map: the value itself for one plain column, else a joined text form. */
function keyOf(row: Row, keyIndices: readonly number[]): unknown {
  if (keyIndices.length === 1) {
    const value = row[keyIndices[0]!];
    return value instanceof Uint8Array ? Buffer.from(value).toString("hex") : value;
  }
  let key = "";
  for (const i of keyIndices) {
    const value = row[i];
    key += `${value instanceof Uint8Array ? Buffer.from(value).toString("hex") : typeof value === "bigint" ? `${value}n` : String(value)}\u0000`;
  }
  return key;
}

class JdbcSinkWriter implements SinkWriter<RowData> {
  readonly #options: ResolvedSinkOptions;
  readonly #dialect: JdbcDialect;
  readonly #upsert: boolean;
  readonly #where: string;
  /** Upsert mode: the last change per key, in first-seen order. */
  #changes = new Map<unknown, RowData>();
  /** Append mode: rows to insert, in order. */
  #inserts: Row[] = [];
  #inFlight: Promise<void> | undefined;
  #failure: Error | undefined;
  readonly #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ResolvedSinkOptions, ctx: SinkWriterContext) {
    this.#options = options;
    const target = options.target;
    this.#dialect =
      options.system === "postgres"
        ? new PostgresDialect(options.connection, target)
        : new MysqlDialect(options.connection, target);
    this.#upsert = target.keyIndices.length > 0;
    this.#where = `JDBC sink into table ${JSON.stringify(target.tableName)} (subtask ${ctx.indexOfSubtask})`;
    if (options.flushIntervalMs > 0) {
      this.#timer = setInterval(() => {
        if (this.#inFlight === undefined && this.#buffered() > 0 && this.#failure === undefined)
          this.#flush().catch((error: unknown) => {
            this.#failure ??= error as Error;
          });
      }, options.flushIntervalMs);
      this.#timer.unref?.();
    }
  }

  #buffered(): number {
    return this.#upsert ? this.#changes.size : this.#inserts.length;
  }

  write(records: readonly RowData[]): void | Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const columns = this.#options.target.columns.length;
    for (const record of records) {
      const fields = record.fields;
      if (!Array.isArray(fields) || fields.length !== columns)
        throw new Error(
          `${this.#where}: a record must have ${columns} fields (${this.#options.target.columns.map((c) => c.name).join(", ")}), got ${describeRow(fields)}`,
        );
      if (this.#upsert) {
        const key = keyOf(fields, this.#options.target.keyIndices);
        if (key === null || key === undefined)
          throw new Error(
            `${this.#where}: ${KIND_NAMES[record.kind]} row ${describeRow(fields)} has a NULL primary key`,
          );
        // Delete-then-insert order of a key does not matter once only its last change is kept.
        this.#changes.delete(key);
        this.#changes.set(key, record);
      } else if (record.kind === Kind.INSERT || record.kind === Kind.UPDATE_AFTER) {
        this.#inserts.push(fields);
      } else {
        throw new Error(
          `${this.#where}: append mode (no primary key) cannot apply ${KIND_NAMES[record.kind] ?? `kind ${record.kind}`} row ${describeRow(fields)}; declare a primary key for an updating stream`,
        );
      }
    }
    if (this.#buffered() >= this.#options.maxRows) return this.#flush();
  }

  #takeBatch(): ReducedBatch {
    if (!this.#upsert) {
      const inserts = this.#inserts;
      this.#inserts = [];
      return { inserts, upserts: [], deletes: [] };
    }
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const change of this.#changes.values()) {
      if (change.kind === Kind.INSERT || change.kind === Kind.UPDATE_AFTER) upserts.push(change.fields);
      else deletes.push(change.fields);
    }
    this.#changes = new Map();
    return { inserts: [], upserts, deletes };
  }

  /** Writes everything buffered; batches never overlap. */
  async #flush(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#buffered() === 0) return;
    const batch = this.#takeBatch();
    const writing = this.#writeBatch(batch);
    this.#inFlight = writing.then(
      () => {
        this.#inFlight = undefined;
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        this.#failure ??= error as Error;
      },
    );
    await this.#inFlight;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #writeBatch(batch: ReducedBatch): Promise<void> {
    const rows = batch.inserts.length + batch.upserts.length + batch.deletes.length;
    try {
      await this.#dialect.open();
    } catch (error) {
      throw new Error(`${this.#where}: cannot open: ${(error as Error).message}`, { cause: error });
    }
    try {
      await this.#dialect.apply(batch);
    } catch (error) {
      const failing = await this.#dialect.findFailingRow(batch).catch(() => undefined);
      if (failing !== undefined)
        throw new Error(
          `${this.#where}: the database refused ${failing.action} of row ${describeRow(failing.row)}: ${failing.error.message}`,
          { cause: error },
        );
      throw new Error(`${this.#where}: writing a batch of ${rows} rows failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async flush(): Promise<void> {
    await this.#flush();
  }

  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    while (this.#inFlight !== undefined) await this.#inFlight.catch(() => {});
    await this.#dialect.close();
  }
}

/** A JDBC-style sink; see the module comment. */
export class JdbcSink implements Sink<RowData> {
  readonly #options: ResolvedSinkOptions;

  private constructor(options: ResolvedSinkOptions) {
    this.#options = options;
  }

  /** Checks the options now (a clear error at job build time) and returns the sink. */
  static create(options: JdbcSinkOptions): JdbcSink {
    return new JdbcSink(resolve(options));
  }

  /** True when rows are upserted by primary key. */
  get upsert(): boolean {
    return this.#options.target.keyIndices.length > 0;
  }

  createWriter(ctx: SinkWriterContext): SinkWriter<RowData> {
    return new JdbcSinkWriter(this.#options, ctx);
  }
}
