/**
 * What the CDC source does with a change it cannot turn into a row (a value its column's SQL type
 * cannot hold, an unchanged TOAST value it cannot fill in, a column that disappeared):
 * - `fail` (default): the job fails with an error naming the table, the position (LSN, or the
 *   snapshot) and the column;
 * - `drop`: the change is skipped, counted ({@link postgresCdcSourceMetrics}, the reader's
 *   `droppedChanges`), and logged at most once every 10 seconds;
 * - `dead-letter`: the change is written to a dead-letter table (in the captured database) or to
 *   a user sink, and skipped. The source's position moves past the change only after that write
 *   succeeded (a sink's letter written, flushed and committed), so a checkpoint never covers a dead
 *   letter that was not stored (at-least-once: after a failure the same letter may be stored again).
 *
 * The policy is given in either form: the shared one of every Weir source (`@weir/api`
 * `BadRecordPolicy<DeadLetter>`: `{ kind: "fail" | "drop" | "dead-letter", sink }`) or this
 * connector's own (`{ policy: "fail" | "drop" | "dead-letter", table }`), which the SQL connector
 * uses for `'bad-records.dead-letter.table'`.
 *
 * Dead-letter table (created when missing):
 * ```sql
 * CREATE TABLE <name> (source_table text, position text, error text, raw_values jsonb, stored_at timestamptz DEFAULT now())
 * ```
 * @module
 */

import {
  type BadRecordPolicy as SharedBadRecordPolicy,
  type Sink,
  type SinkWriter,
  validateBadRecordPolicy,
} from "@weir/api";
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
  | { readonly policy: "dead-letter"; readonly table: string }
  | SharedBadRecordPolicy<DeadLetter>;

/** A policy in one internal form. */
export type ResolvedBadRecordPolicy =
  | { readonly policy: "fail" }
  | {
      readonly policy: "drop";
      readonly logIntervalMs: number;
      readonly log: ((line: string) => void) | undefined;
    }
  | { readonly policy: "dead-letter"; readonly table: string }
  | { readonly policy: "dead-letter"; readonly sink: Sink<DeadLetter, unknown> };

/** Checks a user's policy (either form; undefined means fail); throws naming `where`. */
export function resolveBadRecordPolicy(
  policy: BadRecordPolicy | undefined,
  where: string,
): ResolvedBadRecordPolicy {
  if (policy !== undefined && "kind" in policy) {
    const shared = validateBadRecordPolicy(policy, where);
    if (shared.kind === "fail") return { policy: "fail" };
    if (shared.kind === "drop")
      return { policy: "drop", logIntervalMs: shared.logIntervalMs ?? LOG_INTERVAL_MS, log: shared.log };
    return { policy: "dead-letter", sink: shared.sink };
  }
  const own = policy ?? { policy: "fail" };
  if (own.policy === "fail") return { policy: "fail" };
  if (own.policy === "drop") return { policy: "drop", logIntervalMs: LOG_INTERVAL_MS, log: undefined };
  if (own.policy === "dead-letter") {
    if (typeof own.table !== "string" || own.table.trim() === "")
      throw new Error(`${where}: the dead-letter policy needs a table`);
    return own;
  }
  throw new Error(`${where}: bad record policy must be fail, drop or dead-letter`);
}

/** Where dead letters go: a table of the captured database, or a user sink. */
export interface DeadLetterStore {
  store(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

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

/** Counters of this thread's Postgres CDC readers (for monitoring and tests). @public */
export interface PostgresCdcSourceMetrics {
  /** Bad changes skipped under the `drop` policy. */
  droppedChanges: number;
  /** Bad changes stored as dead letters (in a table or a sink). */
  deadLetters: number;
}

const metrics: PostgresCdcSourceMetrics = { droppedChanges: 0, deadLetters: 0 };

/** This thread's counters (live object): every reader of the thread adds to them. @public */
export function postgresCdcSourceMetrics(): PostgresCdcSourceMetrics {
  return metrics;
}

/** Counts dropped records (its reader's and the thread's metrics) and logs them, rate-limited. */
export class DropCounter {
  dropped = 0;
  #lastLog = Number.NEGATIVE_INFINITY;
  readonly #intervalMs: number;

  constructor(intervalMs = LOG_INTERVAL_MS) {
    this.#intervalMs = intervalMs;
  }

  drop(letter: DeadLetter, log: (line: string) => void): void {
    this.dropped++;
    metrics.droppedChanges++;
    const now = Date.now();
    if (now - this.#lastLog >= this.#intervalMs) {
      this.#lastLog = now;
      log(
        `Postgres CDC: dropped a bad change of table "${letter.table}" at ${letter.position}: ${letter.error} (${this.dropped} dropped so far)`,
      );
    }
  }
}

/** Hands dead letters to a user sink: each written, flushed and committed before `store` resolves. */
export class DeadLetterSink implements DeadLetterStore {
  readonly #sink: Sink<DeadLetter, unknown>;
  readonly #context: { readonly indexOfSubtask: number; readonly parallelism: number };
  #writer: SinkWriter<DeadLetter, unknown> | undefined;

  constructor(
    sink: Sink<DeadLetter, unknown>,
    context: { readonly indexOfSubtask: number; readonly parallelism: number },
  ) {
    this.#sink = sink;
    this.#context = context;
  }

  async store(letter: DeadLetter): Promise<void> {
    this.#writer ??= this.#sink.createWriter({ ...this.#context, attemptNumber: 0 });
    await this.#writer.write([letter]);
    await this.#writer.flush(false);
    const committables = (await this.#writer.prepareCommit?.()) ?? [];
    if (committables.length > 0) {
      const committer = this.#sink.createCommitter?.();
      await committer?.commit(committables);
      await committer?.close?.();
    }
  }

  async close(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.close();
  }
}

/** Stores dead letters in a table of the captured database. */
export class DeadLetterTable implements DeadLetterStore {
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
