/**
 * The MariaDB/MySQL CDC source: a snapshot of the captured tables, then their changes from the
 * binary log (row-based), as one changelog of {@link ChangeEvent}s (`+I` for snapshot rows and
 * inserts, `-U`/`+U` for updates, `-D` for deletes), resumable from the checkpointed GTID position
 * (MariaDB) or binlog file and position.
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
 * position and (MariaDB) the GTID position after the last transaction fully emitted, and how many
 * row changes of the next one were emitted (gtid-position.ts shows why that is exactly-once). A
 * restore asks for the transactions after the GTID position, so it works after the checkpointed
 * file was rotated and purged; without GTIDs (MySQL) it resumes at the file position. Binlog
 * retention is the server's (`binlog_expire_logs_seconds`): a change that was purged before it
 * was read cannot be resumed; the server's refusal names the position. Needs
 * `binlog_format=ROW`; `binlog_row_metadata=FULL` lets row events be matched to columns by name
 * (otherwise by catalog order). Run with parallelism 1.
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
import { parseGtidPosition } from "./gtid-position.ts";
import { type MysqlBadRecordPolicy, resolveMysqlBadRecords } from "./mysql-bad-records.ts";
import { MysqlCdcReader } from "./mysql-cdc-reader.ts";
import type { MysqlTableSpec } from "./mysql-tables.ts";

export interface MysqlCdcOptions {
  /** `database` is the default database of table names without one. */
  readonly connection: ConnectionOptions;
  readonly tables: readonly MysqlTableSpec[];
  /** This reader's replica id: unique among the server's replicas (Flink CDC's `server-id`). */
  readonly serverId: number;
  /**
   * `initial` (default): snapshot, then binlog. `latest-offset`: binlog only, from now.
   * `specific-offset`: binlog only, from {@link MysqlCdcOptions.startupOffset}.
   */
  readonly startupMode?: "initial" | "latest-offset" | "specific-offset";
  /**
   * Where `specific-offset` starts: after the transactions of a MariaDB GTID list
   * (`{ gtidPosition: "0-1-42" }`, Flink CDC's `scan.startup.specific-offset.gtid-set`), or at a
   * binlog file position (`{ file: "binlog.000003", position: 4 }`).
   */
  readonly startupOffset?: MysqlStartupOffset;
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

export type MysqlStartupOffset =
  | { readonly gtidPosition: string }
  | { readonly file: string; readonly position?: number };

/**
 * The single split: plain data holding the whole position, e.g. `{ phase: "stream", binlogFile:
 * "binlog.000003", binlogPosition: 1250, gtidPosition: "0-1-42", skipChanges: 2 }`.
 */
export interface MysqlCdcSplit extends SourceSplit {
  readonly phase: "initial" | "snapshot" | "stream";
  readonly binlogFile: string | null;
  readonly binlogPosition: number;
  /**
   * MariaDB: the GTIDs of the transactions emitted, one per domain (`0-1-42,1-2-7`); null when the
   * server has none (and in checkpoints written before GTIDs were tracked). Resumes before the file
   * position.
   */
  readonly gtidPosition: string | null;
  readonly snapshotTable: number;
  readonly snapshotAfterKey: readonly string[] | null;
  readonly skipChanges: number;
}

export interface ResolvedMysqlCdcOptions {
  readonly connection: ConnectionOptions;
  readonly tables: readonly MysqlTableSpec[];
  readonly serverId: number;
  readonly startupMode: "initial" | "latest-offset" | "specific-offset";
  readonly startupOffset:
    | { readonly gtidPosition: string }
    | { readonly file: string; readonly position: number; readonly gtidPosition?: undefined }
    | undefined;
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
  const mode = options.startupMode ?? "initial";
  if (!["initial", "latest-offset", "specific-offset"].includes(mode))
    throw new Error(
      `${where}: startupMode must be "initial", "latest-offset" or "specific-offset", got ${JSON.stringify(mode)}`,
    );
  const offset = options.startupOffset;
  if ((mode === "specific-offset") !== (offset !== undefined))
    throw new Error(
      `${where}: startupOffset is needed by, and only allowed with, startupMode "specific-offset"`,
    );
  let startupOffset: ResolvedMysqlCdcOptions["startupOffset"];
  if (offset !== undefined && "gtidPosition" in offset) {
    if (parseGtidPosition(offset.gtidPosition, `${where}: the startup GTID set`).size === 0)
      throw new Error(`${where}: the startup GTID set is empty`);
    startupOffset = { gtidPosition: offset.gtidPosition };
  } else if (offset !== undefined) {
    const position = offset.position ?? 4;
    if (typeof offset.file !== "string" || offset.file === "" || !Number.isInteger(position) || position < 4)
      throw new Error(
        `${where}: startupOffset needs a gtidPosition, or a binlog file and a position of at least 4, got ${JSON.stringify(offset)}`,
      );
    startupOffset = { file: offset.file, position };
  }
  const fetch = options.snapshotFetchSize ?? 8192;
  if (!Number.isInteger(fetch) || fetch < 1)
    throw new Error(`${where}: snapshotFetchSize must be a positive integer`);
  return {
    connection: options.connection,
    tables: options.tables,
    serverId: options.serverId,
    startupMode: mode,
    startupOffset,
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
    gtidPosition: null,
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
