/**
 * The MariaDB/MySQL CDC source: a snapshot of the captured tables, then their changes from the
 * binary log (row-based), as one changelog of {@link ChangeEvent}s (`+I` for snapshot rows and
 * inserts, `-U`/`+U` for updates, `-D` for deletes), resumable from the checkpointed binlog file
 * and position.
 *
 * Hand-off (exact, no locks): the snapshot is read in a `START TRANSACTION WITH CONSISTENT
 * SNAPSHOT` transaction, and MariaDB's `binlog_snapshot_file`/`binlog_snapshot_position` status
 * give the binlog position of exactly that snapshot; the binlog is read from there. After a
 * failure during the snapshot, the rest is re-read under a new snapshot while the binlog is still
 * read from the first position (`replay`: a sink that upserts by key converges; a stateful consumer
 * sees that window at-least-once). Unlike a Postgres slot, nothing on the server remembers where
 * a job started: a restart before the first completed checkpoint snapshots again from a new binlog
 * position, so a row an external sink got from the failed attempt and that was deleted in between
 * stays there (Flink CDC has the same window); the Postgres source keeps its slot for this.
 *
 * Positions (checkpointed split state): the snapshot's table and last key, or the binlog file, the
 * position after the last transaction fully emitted, and how many row changes of the next one were
 * emitted. Binlog retention is the server's (`binlog_expire_logs_seconds`): a position whose file
 * was purged cannot be resumed. Needs `binlog_format=ROW`; `binlog_row_metadata=FULL` lets row
 * events be matched to columns by name (otherwise by catalog order). Run with parallelism 1.
 * @module
 */

import {
  Boundedness,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from "@weir/api";
import type { ResolvedBadRecordPolicy } from "../cdc/bad-records.ts";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import type { ConnectionOptions } from "../connection-options.ts";
import { type MysqlBadRecordPolicy, resolveMysqlBadRecords } from "./mysql-bad-records.ts";
import { MysqlCdcReader } from "./mysql-cdc-reader.ts";
import type { MysqlTableSpec } from "./mysql-tables.ts";

export interface MysqlCdcOptions {
  /** `database` is the default database of table names without one. */
  readonly connection: ConnectionOptions;
  readonly tables: readonly MysqlTableSpec[];
  /** This reader's replica id: unique among the server's replicas (Flink CDC's `server-id`). */
  readonly serverId: number;
  /** `initial` (default): snapshot, then binlog. `latest-offset`: binlog only, from now. */
  readonly startupMode?: "initial" | "latest-offset";
  /** `all` (default): `+I -U +U -D`. `upsert`: `+I +U -D`. */
  readonly changelogMode?: "all" | "upsert";
  readonly snapshotFetchSize?: number;
  /**
   * What to do with a change that cannot be read (see mysql-bad-records.ts): `"fail"` (default;
   * the error names table, binlog position and column), `"drop"`, the shared form of `@weir/api`
   * (`{ kind: "fail" | "drop" }`, `{ kind: "dead-letter", sink }` of `DeadLetter`s), or
   * `{ policy: "dead-letter", table }` (a table of the captured database, as the SQL connector's
   * `'bad-records.dead-letter.table'`).
   */
  readonly badRecords?: MysqlBadRecordPolicy;
  /** Where drop notices go unless the drop policy names its own log (default `console.warn`). */
  readonly log?: (line: string) => void;
}

/**
 * The single split: plain data holding the whole position, e.g.
 * `{ phase: "stream", binlogFile: "binlog.000003", binlogPosition: 1250, skipChanges: 2 }`.
 */
export interface MysqlCdcSplit extends SourceSplit {
  readonly phase: "initial" | "snapshot" | "stream";
  readonly binlogFile: string | null;
  readonly binlogPosition: number;
  readonly snapshotTable: number;
  readonly snapshotAfterKey: readonly string[] | null;
  readonly skipChanges: number;
}

export interface ResolvedMysqlCdcOptions {
  readonly connection: ConnectionOptions;
  readonly tables: readonly MysqlTableSpec[];
  readonly serverId: number;
  readonly startupMode: "initial" | "latest-offset";
  readonly changelogMode: "all" | "upsert";
  readonly snapshotFetchSize: number;
  readonly badRecords: ResolvedBadRecordPolicy;
  readonly log: (line: string) => void;
}

function resolve(options: MysqlCdcOptions): ResolvedMysqlCdcOptions {
  const where = `MySQL CDC source (server id ${options.serverId})`;
  if (!Number.isInteger(options.serverId) || options.serverId < 1 || options.serverId > 2 ** 32 - 1)
    throw new Error(`${where}: serverId must be an integer from 1 to 4294967295`);
  if (options.tables.length === 0) throw new Error(`${where}: no tables to capture`);
  const fetch = options.snapshotFetchSize ?? 8192;
  if (!Number.isInteger(fetch) || fetch < 1)
    throw new Error(`${where}: snapshotFetchSize must be a positive integer`);
  return {
    connection: options.connection,
    tables: options.tables,
    serverId: options.serverId,
    startupMode: options.startupMode ?? "initial",
    changelogMode: options.changelogMode ?? "all",
    snapshotFetchSize: fetch,
    badRecords: resolveMysqlBadRecords(options.badRecords, where),
    log: options.log ?? ((line) => console.warn(line)),
  };
}

export function initialMysqlSplit(serverId: number): MysqlCdcSplit {
  return {
    splitId: `mysql-cdc:${serverId}`,
    phase: "initial",
    binlogFile: null,
    binlogPosition: 0,
    snapshotTable: 0,
    snapshotAfterKey: null,
    skipChanges: 0,
  };
}

/** Gives the split to subtask 0 once per attempt; a reader restored with it ignores the offer. */
class MysqlCdcEnumerator implements SplitEnumerator<MysqlCdcSplit, null> {
  readonly #ctx: SplitEnumeratorContext<MysqlCdcSplit>;
  #pending: MysqlCdcSplit | null;

  constructor(ctx: SplitEnumeratorContext<MysqlCdcSplit>, pending: MysqlCdcSplit) {
    this.#ctx = ctx;
    this.#pending = pending;
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    if (subtask !== 0 || this.#pending === null) return;
    this.#ctx.assignSplits(0, [this.#pending]);
    this.#pending = null;
  }

  addSplitsBack(splits: readonly MysqlCdcSplit[]): void {
    if (splits[0] !== undefined) this.#pending = splits[0];
  }

  addReader(): void {}

  snapshotState(): null {
    return null;
  }

  close(): void {}
}

export class MysqlCdcSource implements Source<ChangeEvent, MysqlCdcSplit, null> {
  readonly boundedness = Boundedness.CONTINUOUS_UNBOUNDED;
  readonly #options: ResolvedMysqlCdcOptions;

  private constructor(options: ResolvedMysqlCdcOptions) {
    this.#options = options;
  }

  static create(options: MysqlCdcOptions): MysqlCdcSource {
    return new MysqlCdcSource(resolve(options));
  }

  createEnumerator(ctx: SplitEnumeratorContext<MysqlCdcSplit>): SplitEnumerator<MysqlCdcSplit, null> {
    return new MysqlCdcEnumerator(ctx, initialMysqlSplit(this.#options.serverId));
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<MysqlCdcSplit>): SplitEnumerator<MysqlCdcSplit, null> {
    return new MysqlCdcEnumerator(ctx, initialMysqlSplit(this.#options.serverId));
  }

  createReader(ctx: SourceReaderContext): SourceReader<ChangeEvent, MysqlCdcSplit> {
    return new MysqlCdcReader(this.#options, ctx);
  }
}
