/**
 * The Postgres CDC source: a snapshot of the captured tables, then their changes from logical
 * replication (pgoutput) through a persistent slot and a publication, as one changelog of
 * {@link ChangeEvent}s: `+I` for snapshot rows and inserts, `-U`/`+U` for updates, `-D` for deletes.
 *
 * Hand-off between snapshot and stream (exact, no locks): the slot is created with
 * `EXPORT_SNAPSHOT` and the snapshot is read in a `REPEATABLE READ` transaction that imports that
 * snapshot, so it shows the database exactly at the slot's consistent point, and streaming starts
 * there.
 *
 * Re-reads: if a failure interrupts the snapshot, the exported snapshot is gone, so the rest of
 * the snapshot is read again under a new snapshot (and a restart without any completed checkpoint
 * re-reads the whole snapshot while keeping an existing slot). What then happens to the changes
 * between the slot's point and the new snapshot is the `reReadMode`:
 * - `replay` (default): they are all streamed, on top of the re-read rows. A sink that upserts by
 *   key converges to the source even when the failed attempt had already written rows (e.g. one
 *   deleted before the re-read gets its delete replayed); a consumer keeping its own state sees
 *   that window at-least-once (an insert may arrive twice).
 * - `exact`: for the rows the re-read covers, changes of transactions the new snapshot already saw
 *   are left out (Flink CDC's watermark idea, with transaction visibility instead of LSN windows),
 *   so each row's history stays exact — right when all downstream state is restored with the
 *   checkpoint, wrong for a sink that made rows of the failed attempt visible. A restart without a
 *   completed checkpoint then re-creates the slot.
 *
 * Positions (checkpointed split state, see {@link PostgresCdcSplit}): during the snapshot, the
 * table and the primary key of the last row emitted; during streaming, the end LSN of the last
 * transaction fully emitted plus how many changes of the next one were emitted. The slot's
 * confirmed flush LSN is advanced only when a checkpoint completes, to the position that
 * checkpoint recorded, so the server keeps every change a restore may need.
 *
 * Before images: with `REPLICA IDENTITY FULL`, `-U` and `-D` carry the whole old row; otherwise
 * they carry only the primary key columns (the others are NULL), which suits upsert consumers
 * (`changelogMode: "upsert"` leaves `-U` out altogether).
 *
 * Parallelism: one replication stream per slot, so one split; run the source with parallelism 1
 * (other readers stay idle) and keep the source's parallelism when restoring.
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
import type { RowData } from "@weir/sql";
import type { ConnectionOptions } from "../connection-options.ts";
import { type BadRecordPolicy, type ResolvedBadRecordPolicy, resolveBadRecordPolicy } from "./bad-records.ts";
import type { CapturedTableSpec } from "./captured-table.ts";
import { PostgresCdcReader } from "./postgres-cdc-reader.ts";
import type { XidSnapshot } from "./xid-snapshot.ts";

export type { BadRecordPolicy, DeadLetter } from "./bad-records.ts";
export type { CapturedTableSpec } from "./captured-table.ts";

/** One change: a row of a captured table and its kind. `fields` follow the table's emitted columns. */
export interface ChangeEvent extends RowData {
  /** `schema.table`. */
  readonly table: string;
}

export interface PostgresCdcOptions {
  readonly connection: ConnectionOptions;
  readonly tables: readonly CapturedTableSpec[];
  /** The persistent logical replication slot (created, or re-created on a fresh start). */
  readonly slotName: string;
  /** The publication (created for the captured tables when missing); default `<slotName>_publication`. */
  readonly publicationName?: string;
  /**
   * `initial` (default): snapshot, then stream. `latest-offset`: stream only, from slot creation.
   * `snapshot`: read the snapshot and end (a bounded source; no slot or publication is used).
   */
  readonly startupMode?: "initial" | "latest-offset" | "snapshot";
  /** `all` (default): `+I -U +U -D`. `upsert`: `+I +U -D`, keyed by the primary key. */
  readonly changelogMode?: "all" | "upsert";
  /** What a snapshot re-read after a failure does with the changes it overlaps (default `replay`; see above). */
  readonly reReadMode?: "replay" | "exact";
  /** Rows per snapshot query (default 8192). */
  readonly snapshotFetchSize?: number;
  /**
   * Default fail. The shared form `{ kind: "fail" | "drop" | "dead-letter", sink }` (`@weir/api`) or
   * this connector's `{ policy: "fail" | "drop" | "dead-letter", table }` (see bad-records.ts).
   */
  readonly badRecords?: BadRecordPolicy;
  /** Where drop and dead-letter notices go (default `console.warn`). */
  readonly log?: (line: string) => void;
}

/** A snapshot read resumed under a new MVCC snapshot: the keys after `afterKey` of table `table`. */
export interface ResumedRange {
  /** Index into the captured tables. */
  readonly table: number;
  /** Primary key (text values) after which the range starts; null: the whole table. */
  readonly afterKey: readonly string[] | null;
  readonly snapshot: XidSnapshot;
  /** A WAL position after the snapshot was taken: later commits are surely not in it. */
  readonly horizonLsn: string;
}

/**
 * The single split of a CDC source: plain data holding the whole position. Worked example of a
 * source capturing `[a, b]` over time:
 * ```text
 * { phase: "initial" }                                              nothing read yet
 * { phase: "snapshot", streamStartLsn: "0/1A0", snapshotTable: 1, snapshotAfterKey: ["42"] }
 * { phase: "stream", lsn: "0/2F8", skipChanges: 0 }                 after a commit ending at 0/2F8
 * { phase: "stream", lsn: "0/2F8", skipChanges: 3 }                 3 changes into the next transaction
 * ```
 */
export interface PostgresCdcSplit extends SourceSplit {
  readonly phase: "initial" | "snapshot" | "stream";
  readonly streamStartLsn: string | null;
  readonly snapshotTable: number;
  readonly snapshotAfterKey: readonly string[] | null;
  readonly resumedRanges: readonly ResumedRange[];
  readonly lsn: string | null;
  readonly skipChanges: number;
}

export interface ResolvedCdcOptions {
  readonly connection: ConnectionOptions;
  readonly tables: readonly CapturedTableSpec[];
  readonly slotName: string;
  readonly publicationName: string;
  readonly startupMode: "initial" | "latest-offset" | "snapshot";
  readonly changelogMode: "all" | "upsert";
  readonly reReadMode: "replay" | "exact";
  readonly snapshotFetchSize: number;
  readonly badRecords: ResolvedBadRecordPolicy;
  readonly log: (line: string) => void;
}

function resolveOptions(options: PostgresCdcOptions): ResolvedCdcOptions {
  const where = `Postgres CDC source (slot ${JSON.stringify(options.slotName)})`;
  if (!/^[a-z0-9_]{1,63}$/.test(options.slotName))
    throw new Error(
      `${where}: slot names may only contain lower-case letters, digits and underscores (at most 63)`,
    );
  if (options.tables.length === 0) throw new Error(`${where}: no tables to capture`);
  const fetch = options.snapshotFetchSize ?? 8192;
  if (!Number.isInteger(fetch) || fetch < 1)
    throw new Error(`${where}: snapshotFetchSize must be a positive integer`);
  const startupMode = options.startupMode ?? "initial";
  if (startupMode !== "initial" && startupMode !== "latest-offset" && startupMode !== "snapshot")
    throw new Error(
      `${where}: startupMode must be "initial", "latest-offset" or "snapshot", got ${JSON.stringify(startupMode)}`,
    );
  const changelogMode = options.changelogMode ?? "all";
  if (changelogMode !== "all" && changelogMode !== "upsert")
    throw new Error(
      `${where}: changelogMode must be "all" or "upsert", got ${JSON.stringify(changelogMode)}`,
    );
  const reReadMode = options.reReadMode ?? "replay";
  if (reReadMode !== "replay" && reReadMode !== "exact")
    throw new Error(`${where}: reReadMode must be "replay" or "exact", got ${JSON.stringify(reReadMode)}`);
  const badRecords = resolveBadRecordPolicy(options.badRecords, where);
  return {
    connection: options.connection,
    tables: options.tables,
    slotName: options.slotName,
    publicationName: options.publicationName ?? `${options.slotName}_publication`,
    startupMode,
    changelogMode,
    reReadMode,
    snapshotFetchSize: fetch,
    badRecords,
    log: options.log ?? ((line) => console.warn(line)),
  };
}

export function initialSplit(options: ResolvedCdcOptions): PostgresCdcSplit {
  return {
    splitId: `postgres-cdc:${options.slotName}`,
    phase: "initial",
    streamStartLsn: null,
    snapshotTable: 0,
    snapshotAfterKey: null,
    resumedRanges: [],
    lsn: null,
    skipChanges: 0,
  };
}

/** Enumerator state: whether the initial split still waits for subtask 0. */
interface CdcEnumeratorState {
  readonly pending: PostgresCdcSplit | null;
}

/**
 * Gives the one split to subtask 0, once per attempt. A reader restored with the split ignores a
 * second, initial one (the split id is the same), so a split assigned just before a checkpoint is
 * neither lost nor doubled.
 */
class CdcEnumerator implements SplitEnumerator<PostgresCdcSplit, CdcEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<PostgresCdcSplit>;
  readonly #bounded: boolean;
  #pending: PostgresCdcSplit | null;

  constructor(
    ctx: SplitEnumeratorContext<PostgresCdcSplit>,
    pending: PostgresCdcSplit | null,
    bounded: boolean,
  ) {
    this.#ctx = ctx;
    this.#pending = pending;
    this.#bounded = bounded;
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    // Unbounded: readers without the split stay idle rather than finish, since checkpoints stop
    // once any task has finished.
    if (subtask === 0 && this.#pending !== null) {
      this.#ctx.assignSplits(0, [this.#pending]);
      this.#pending = null;
    }
    if (this.#bounded) this.#ctx.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: readonly PostgresCdcSplit[]): void {
    const split = splits[0];
    if (split !== undefined) this.#pending = split;
  }

  addReader(): void {}

  snapshotState(): CdcEnumeratorState {
    return { pending: this.#pending };
  }

  close(): void {}
}

/** See the module comment. Build with {@link PostgresCdcSource.create}. */
export class PostgresCdcSource implements Source<ChangeEvent, PostgresCdcSplit, CdcEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly #options: ResolvedCdcOptions;

  private constructor(options: ResolvedCdcOptions) {
    this.#options = options;
    this.boundedness =
      options.startupMode === "snapshot" ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  /** Checks the options (a clear error when the job is built) and returns the source. */
  static create(options: PostgresCdcOptions): PostgresCdcSource {
    return new PostgresCdcSource(resolveOptions(options));
  }

  createEnumerator(
    ctx: SplitEnumeratorContext<PostgresCdcSplit>,
  ): SplitEnumerator<PostgresCdcSplit, CdcEnumeratorState> {
    return new CdcEnumerator(ctx, initialSplit(this.#options), this.boundedness === Boundedness.BOUNDED);
  }

  restoreEnumerator(
    ctx: SplitEnumeratorContext<PostgresCdcSplit>,
    _state: CdcEnumeratorState,
  ): SplitEnumerator<PostgresCdcSplit, CdcEnumeratorState> {
    // The initial split is offered again; subtask 0 ignores it when it restored its own.
    return new CdcEnumerator(ctx, initialSplit(this.#options), this.boundedness === Boundedness.BOUNDED);
  }

  createReader(ctx: SourceReaderContext): SourceReader<ChangeEvent, PostgresCdcSplit> {
    return new PostgresCdcReader(this.#options, ctx);
  }
}
