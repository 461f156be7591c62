/**
 * What the MySQL CDC source does with a change it cannot turn into a row: a value its column's SQL
 * type cannot hold (`'five'` read as INT), or a rows event it cannot decode at all (a column whose
 * binlog type the decoder does not know, such as GEOMETRY: every column after it would be misread,
 * so the whole event is one bad change). The policies are Postgres CDC's (see
 * `../cdc/bad-records.ts`), in the same two forms — the shared `@weir/api` form
 * `{ kind: "fail" | "drop" | "dead-letter", sink }` or `{ policy, table }` — plus the words
 * `"fail"` and `"drop"`:
 * - `fail` (default): the job fails naming the table, the binlog file and position (or `snapshot`)
 *   and the column;
 * - `drop`: skipped, counted ({@link mysqlCdcSourceMetrics}, the reader's `droppedChanges`), logged
 *   at most once per interval through `DroppedRecordLog`;
 * - `dead-letter`: stored in a table of the captured MariaDB/MySQL database or handed to a user
 *   sink, before the source moves past the change (at-least-once into the dead-letter store).
 *
 * Worked example: `UPDATE shop.bad SET v = 'five' WHERE id = 2` with `v` declared INT, under
 * `{ policy: "dead-letter", table: "cdc_dead_letters" }`, adds the row
 * `("shop.bad", "binlog position binlog.000001:1234", 'column "v": cannot read "five" as INT',
 * {"id": "2", "v": "five"})` and the source goes on. An undecodable event's letter has empty
 * `rawValues` (its bytes could not be split into columns); its error names the column and type.
 *
 * Dead-letter table (created when missing, in the connection's database unless qualified):
 * ```sql
 * CREATE TABLE <name> (source_table VARCHAR(512), position VARCHAR(512), error TEXT,
 *   raw_values JSON, stored_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))
 * ```
 * @module
 */

import { DroppedRecordLog } from "@weir/api";
import mysql from "mysql2/promise";
import {
  type BadRecordPolicy,
  type DeadLetter,
  DeadLetterSink,
  type DeadLetterStore,
  type ResolvedBadRecordPolicy,
  resolveBadRecordPolicy,
} from "../cdc/bad-records.ts";
import { DeadLetterGate, type DeadLetterReader } from "../cdc/dead-letter-gate.ts";
import type { ConnectionOptions } from "../connection-options.ts";
import { describeRow } from "../values/describe-row.ts";
import type { ResolvedMysqlCdcOptions } from "./mysql-cdc-source.ts";
import { quoteMysqlName } from "./mysql-tables.ts";

/** The MySQL CDC source's `badRecords` option. */
export type MysqlBadRecordPolicy = "fail" | "drop" | BadRecordPolicy;

/** Checks a user's policy (undefined means fail); throws naming `where`. */
export function resolveMysqlBadRecords(
  policy: MysqlBadRecordPolicy | undefined,
  where: string,
): ResolvedBadRecordPolicy {
  if (policy === "fail" || policy === "drop") return resolveBadRecordPolicy({ policy }, where);
  if (typeof policy === "string")
    throw new Error(
      `${where}: badRecords must be "fail", "drop" or a policy object, got ${JSON.stringify(policy)}`,
    );
  return resolveBadRecordPolicy(policy, where);
}

/** A change the reader could not read; the policy decides what becomes of it. */
export class BadMysqlChange extends Error {
  readonly letter: DeadLetter;

  constructor(letter: DeadLetter) {
    super(`cannot read a change of table "${letter.table}" at ${letter.position}: ${letter.error}`);
    this.letter = letter;
  }
}

/** Counters of this thread's MySQL CDC readers (for monitoring and tests). @public */
export interface MysqlCdcSourceMetrics {
  /** Bad changes skipped under the `drop` policy. */
  droppedChanges: number;
  /** Bad changes stored as dead letters. */
  deadLetters: number;
}

const metrics: MysqlCdcSourceMetrics = { droppedChanges: 0, deadLetters: 0 };

/** This thread's counters (live object). @public */
export function mysqlCdcSourceMetrics(): MysqlCdcSourceMetrics {
  return metrics;
}

/** Stores dead letters in a table of the captured MariaDB/MySQL server. */
export class MysqlDeadLetterTable implements DeadLetterStore {
  readonly #connection: ConnectionOptions;
  readonly #qualified: string;
  #client: mysql.Connection | undefined;

  constructor(connection: ConnectionOptions, table: string) {
    this.#connection = connection;
    const dot = table.indexOf(".");
    this.#qualified =
      dot < 0
        ? quoteMysqlName(table)
        : `${quoteMysqlName(table.slice(0, dot))}.${quoteMysqlName(table.slice(dot + 1))}`;
  }

  async store(letter: DeadLetter): Promise<void> {
    if (this.#client === undefined) {
      const c = this.#connection;
      const client = await mysql.createConnection({
        host: c.host,
        port: c.port,
        user: c.user,
        ...(c.password === undefined ? {} : { password: c.password }),
        database: c.database,
      });
      client.on("error", () => {});
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.#qualified} (source_table VARCHAR(512), position VARCHAR(512), error TEXT, raw_values JSON, stored_at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))`,
      );
      this.#client = client;
    }
    // Autocommit: the letter is durable when the statement returns.
    await this.#client.query(
      `INSERT INTO ${this.#qualified} (source_table, position, error, raw_values) VALUES (?, ?, ?, ?)`,
      [letter.table, letter.position, letter.error, JSON.stringify(letter.rawValues)],
    );
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}

/**
 * Applies a reader's policy to its bad changes. `handle` is called when polling meets a bad change
 * and says whether polling may move past it: always under `drop`; under `dead-letter` once its
 * letter is stored ({@link DeadLetterGate}). Under `fail` it throws the error naming table,
 * position and values.
 */
export class BadMysqlChanges {
  dropped = 0;
  deadLettered = 0;
  readonly #policy: ResolvedBadRecordPolicy;
  readonly #dropLog: DroppedRecordLog | undefined;
  readonly #deadLetters: DeadLetterGate | undefined;

  constructor(
    options: ResolvedMysqlCdcOptions,
    where: string,
    context: { readonly indexOfSubtask: number; readonly parallelism: number },
    reader: DeadLetterReader,
  ) {
    const policy = options.badRecords;
    this.#policy = policy;
    this.#dropLog =
      policy.policy === "drop"
        ? new DroppedRecordLog(where, { logIntervalMs: policy.logIntervalMs, log: policy.log ?? options.log })
        : undefined;
    this.#deadLetters =
      policy.policy !== "dead-letter"
        ? undefined
        : new DeadLetterGate(
            "table" in policy
              ? new MysqlDeadLetterTable(options.connection, policy.table)
              : new DeadLetterSink(policy.sink, {
                  indexOfSubtask: context.indexOfSubtask,
                  parallelism: context.parallelism,
                }),
            reader,
            () => {
              this.deadLettered++;
              metrics.deadLetters++;
            },
          );
  }

  /** A dead letter is being stored: polling must wait. */
  get storing(): boolean {
    return this.#deadLetters?.storing ?? false;
  }

  /** Applies the policy; false when polling must stop at this change (its letter is being stored). */
  handle(letter: DeadLetter): boolean {
    const policy = this.#policy;
    if (policy.policy === "fail")
      throw new Error(
        `MySQL CDC: cannot read a change of table "${letter.table}" at ${letter.position}: ${letter.error}; values ${describeRow(Object.values(letter.rawValues))}`,
      );
    if (policy.policy === "drop") {
      this.dropped++;
      metrics.droppedChanges++;
      this.#dropLog!.dropped(`table "${letter.table}" at ${letter.position}`, letter.error, Date.now());
      return true;
    }
    return this.#deadLetters!.pass(letter);
  }

  async close(): Promise<void> {
    await this.#deadLetters?.close();
  }
}
