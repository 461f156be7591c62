/**
 * The reader of the Postgres CDC source (see `postgres-cdc-source.ts` for the guarantees): sets
 * the slot and publication up, emits the snapshot page by page, then turns the replication stream
 * into change events.
 *
 * Where it starts (slot, publication, snapshot transaction) is decided in reader-startup.ts.
 *
 * Invariants:
 * - The split position always describes exactly what was emitted: it is advanced per emitted row
 *   (snapshot: the row's key; stream: the count of changes into the open transaction, or the end
 *   LSN of a transaction once its commit is reached), never by what is merely buffered.
 * - Nothing blocks `pollNext`: I/O runs in promises that fill buffers and wake the task through
 *   `isAvailable()`; a failed promise makes the next `pollNext` throw.
 * - The replication socket is paused while more than {@link HIGH_WATER} messages wait, so a slow
 *   job slows the server's WAL sender, not the heap.
 * @module
 */

import { InputStatus, type ReaderOutput, type SourceReader, type SourceReaderContext } from "@weir/api";
import type { Row } from "@weir/sql";
import type pg from "pg";
import { Kind } from "../values/row-kinds.ts";
import { BadPostgresChanges } from "./bad-changes.ts";
import { type CapturedTable, resolveCapturedTable } from "./captured-table.ts";
import { BadChange, ChangeRows, type RelationMapping } from "./change-rows.ts";
import { formatLsn, parseLsn } from "./lsn.ts";
import { decodePgOutput, type PgOutputMessage, type TupleValue } from "./pgoutput-decoder.ts";
import type {
  ChangeEvent,
  PostgresCdcSplit,
  ResolvedCdcOptions,
  ResumedRange,
} from "./postgres-cdc-source.ts";
import { prepareStart } from "./reader-startup.ts";
import { ReplicationConnection } from "./replication-connection.ts";
import { ResumedRanges } from "./resumed-ranges.ts";
import { openSession, releaseSlot } from "./slot-admin.ts";
import { SnapshotPager, type SnapshotRow } from "./snapshot-pager.ts";

const HIGH_WATER = 50_000;
const LOW_WATER = 10_000;

type StreamItem =
  | { readonly walStart: bigint; readonly message: PgOutputMessage }
  | { readonly walStart: bigint; readonly message: null };

export class PostgresCdcReader implements SourceReader<ChangeEvent, PostgresCdcSplit> {
  readonly #options: ResolvedCdcOptions;
  readonly #ctx: SourceReaderContext;
  readonly #where: string;
  // The position (see PostgresCdcSplit).
  #split: PostgresCdcSplit | undefined;
  #phase: PostgresCdcSplit["phase"] = "initial";
  #streamStartLsn: string | null = null;
  #snapshotTable = 0;
  #snapshotAfterKey: readonly string[] | null = null;
  /** Ranges from the restored split, until the tables are resolved. */
  #restoredRanges: readonly ResumedRange[] = [];
  #ranges: ResumedRanges | undefined;
  #lsn: string | null = null;
  /** Changes of the open transaction consumed so far (emitted, filtered or skipped). */
  #txChanges = 0;
  /** Changes of the first transaction after a restore that were emitted before the failure. */
  #skipRemaining = 0;
  #inTransaction = false;
  #txXid = 0;
  #txFinalLsn = 0n;
  // Machinery.
  #tables: CapturedTable[] = [];
  #client: pg.Client | undefined;
  #replication: ReplicationConnection | undefined;
  #pager: SnapshotPager | undefined;
  #page: SnapshotRow[] = [];
  #pageIndex = 0;
  #queue: StreamItem[] = [];
  #queueHead = 0;
  #paused = false;
  #changes: ChangeRows | undefined;
  #ready = false;
  #noMoreSplits = false;
  /** Snapshot mode: every row is emitted. */
  #finished = false;
  #error: Error | undefined;
  #waiter: { promise: Promise<void>; resolve: () => void } | undefined;
  readonly #acks = new Map<number, string>();
  #pendingAck: string | undefined;
  #closed = false;
  readonly #bad: BadPostgresChanges;
  /** Leaves out changes an `exact` re-read already returned (see resumed-ranges.ts). */
  readonly #skipRow = (mapping: RelationMapping, tuple: readonly TupleValue[]): boolean =>
    this.#ranges!.covers(mapping, tuple, this.#txXid, this.#txFinalLsn);

  constructor(options: ResolvedCdcOptions, ctx: SourceReaderContext) {
    this.#options = options;
    this.#ctx = ctx;
    this.#where = `Postgres CDC source (slot "${options.slotName}")`;
    this.#bad = new BadPostgresChanges(options, ctx, {
      wake: () => this.#wake(),
      fail: (error, during) => this.#fail(error, during),
    });
  }

  start(): void {
    if (this.#ctx.indexOfSubtask === 0) this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly PostgresCdcSplit[]): void {
    const split = splits[0];
    // A restored split wins over the initial one the enumerator offers again.
    if (split === undefined || this.#split !== undefined) return;
    this.#split = split;
    this.#phase = split.phase;
    this.#streamStartLsn = split.streamStartLsn;
    this.#snapshotTable = split.snapshotTable;
    this.#snapshotAfterKey = split.snapshotAfterKey;
    this.#lsn = split.lsn;
    this.#skipRemaining = split.skipChanges;
    this.#restoredRanges = split.resumedRanges;
    this.#initialize().then(
      () => {
        this.#ready = true;
        this.#wake();
      },
      (error: unknown) => this.#fail(error, "starting"),
    );
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
    this.#wake();
  }

  #fail(error: unknown, during: string): void {
    if (this.#closed || this.#error !== undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    this.#error = message.startsWith("Postgres CDC")
      ? (error as Error)
      : new Error(`${this.#where}: ${during} failed: ${message}`, { cause: error });
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve();
  }

  isAvailable(): Promise<void> {
    if (this.#hasWork()) return Promise.resolve();
    if (this.#waiter === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.#waiter = { promise, resolve };
    }
    return this.#waiter.promise;
  }

  #hasWork(): boolean {
    if (this.#error !== undefined || this.#finished) return true;
    if (this.#split === undefined) return this.#noMoreSplits;
    if (!this.#ready || this.#bad.storing) return false;
    if (this.#phase === "snapshot") return this.#pageIndex < this.#page.length || this.#pagerHasProgress();
    return this.#queueHead < this.#queue.length;
  }

  #pagerHasProgress(): boolean {
    const pager = this.#pager;
    return pager !== undefined && (pager.exhausted || this.#peekPage(pager));
  }

  #peekPage(pager: SnapshotPager): boolean {
    let page: SnapshotRow[] | undefined;
    try {
      page = pager.take();
    } catch (error) {
      this.#fail(error, "reading the snapshot");
      return false;
    }
    if (page === undefined) return false;
    this.#page = page;
    this.#pageIndex = 0;
    return true;
  }

  // ---------------------------------------------------------------- setup

  async #initialize(): Promise<void> {
    const client = await openSession(this.#options.connection, (error) =>
      this.#fail(error, "the database connection"),
    );
    this.#client = client;
    this.#tables = [];
    for (const spec of this.#options.tables) this.#tables.push(await resolveCapturedTable(client, spec));
    this.#ranges = new ResumedRanges(this.#tables, this.#restoredRanges);
    this.#changes = new ChangeRows(this.#tables, this.#options.changelogMode);
    const start = await prepareStart(
      client,
      this.#options,
      this.#tables,
      this.#ranges,
      {
        phase: this.#phase,
        streamStartLsn: this.#streamStartLsn,
        snapshotTable: this.#snapshotTable,
        snapshotAfterKey: this.#snapshotAfterKey,
        lsn: this.#lsn,
      },
      this.#where,
    );
    this.#phase = start.phase;
    this.#streamStartLsn = start.streamStartLsn;
    this.#snapshotTable = start.snapshotTable;
    this.#snapshotAfterKey = start.snapshotAfterKey;
    this.#lsn = start.lsn;
    if (this.#phase === "snapshot") this.#openPager();
    else await this.#startStreaming();
  }

  #openPager(): void {
    this.#pager?.close();
    if (this.#snapshotTable >= this.#tables.length) {
      this.#finishSnapshot();
      return;
    }
    this.#page = [];
    this.#pageIndex = 0;
    this.#pager = new SnapshotPager(
      this.#client!,
      this.#tables[this.#snapshotTable]!,
      this.#options.snapshotFetchSize,
      this.#snapshotAfterKey,
      () => this.#wake(),
    );
  }

  /** Every snapshot row is emitted: the position becomes the stream's start. */
  #finishSnapshot(): void {
    this.#pager = undefined;
    if (this.#options.startupMode === "snapshot") {
      this.#finished = true;
      this.#client?.query("COMMIT").catch(() => {});
      return;
    }
    this.#phase = "stream";
    this.#lsn = this.#streamStartLsn;
    this.#skipRemaining = 0;
    this.#ready = false;
    const client = this.#client!;
    client
      .query("COMMIT")
      .then(() => this.#startStreaming())
      .then(
        () => {
          this.#ready = true;
          this.#wake();
        },
        (error: unknown) => this.#fail(error, "starting the replication stream"),
      );
  }

  async #startStreaming(): Promise<void> {
    const client = this.#client!;
    await releaseSlot(client, this.#options.slotName);
    const replication = await ReplicationConnection.open(this.#options.connection);
    this.#replication = replication;
    await replication.start(this.#options.slotName, this.#options.publicationName, this.#lsn!, {
      data: (walStart, payload) => this.#push({ walStart, message: decodePgOutput(payload) }),
      keepalive: (walEnd) => this.#push({ walStart: walEnd, message: null }),
      error: (error) => this.#fail(error, "the replication stream"),
    });
    if (this.#pendingAck !== undefined) replication.acknowledge(this.#pendingAck);
  }

  #push(item: StreamItem): void {
    const wasEmpty = this.#queueHead === this.#queue.length;
    this.#queue.push(item);
    if (!this.#paused && this.#queue.length - this.#queueHead > HIGH_WATER) {
      this.#paused = true;
      this.#replication?.pause();
    }
    if (wasEmpty) this.#wake();
  }

  // ---------------------------------------------------------------- polling

  pollNext(output: ReaderOutput<ChangeEvent>): InputStatus {
    if (this.#error !== undefined) throw this.#error;
    if (this.#finished || (this.#split === undefined && this.#noMoreSplits)) return InputStatus.END_OF_INPUT;
    if (!this.#ready || this.#bad.storing) return InputStatus.NOTHING_AVAILABLE;
    const budget = this.#ctx.batchSizeHint;
    if (this.#phase === "snapshot") return this.#pollSnapshot(output, budget);
    if (this.#phase === "stream") return this.#pollStream(output, budget);
    return InputStatus.NOTHING_AVAILABLE;
  }

  #pollSnapshot(output: ReaderOutput<ChangeEvent>, budget: number): InputStatus {
    const table = this.#tables[this.#snapshotTable]!;
    let emitted = 0;
    while (emitted < budget) {
      if (this.#pageIndex >= this.#page.length) {
        const pager = this.#pager!;
        if (this.#peekPage(pager)) continue;
        if (this.#error !== undefined) throw this.#error;
        if (!pager.exhausted) return InputStatus.NOTHING_AVAILABLE;
        this.#snapshotTable++;
        this.#snapshotAfterKey = null;
        this.#openPager();
        return InputStatus.MORE_AVAILABLE;
      }
      const row = this.#page[this.#pageIndex]!;
      let fields: Row;
      try {
        fields = this.#changes!.decodeRow(table, row.values, null, "snapshot");
      } catch (error) {
        if (!(error instanceof BadChange)) throw error;
        if (!this.#bad.handle(error.letter)) return InputStatus.NOTHING_AVAILABLE;
        this.#pageIndex++;
        this.#snapshotAfterKey = row.key;
        continue;
      }
      this.#pageIndex++;
      this.#snapshotAfterKey = row.key;
      output.collect({ kind: Kind.INSERT, fields, table: table.id });
      emitted++;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  #pollStream(output: ReaderOutput<ChangeEvent>, budget: number): InputStatus {
    let emitted = 0;
    const queue = this.#queue;
    while (emitted < budget && this.#queueHead < queue.length) {
      const item = queue[this.#queueHead]!;
      const message = item.message;
      if (message === null) {
        // Keepalive: with no transaction open, everything before walEnd has been seen.
        if (!this.#inTransaction && this.#lsn !== null && item.walStart > parseLsn(this.#lsn))
          this.#lsn = formatLsn(item.walStart);
      } else {
        switch (message.tag) {
          case "begin":
            this.#inTransaction = true;
            this.#txChanges = 0;
            this.#txXid = message.xid;
            this.#txFinalLsn = message.finalLsn;
            break;
          case "commit":
            this.#inTransaction = false;
            this.#txChanges = 0;
            this.#skipRemaining = 0;
            this.#lsn = formatLsn(message.endLsn);
            this.#ranges!.committed(message.commitLsn);
            break;
          case "relation":
            this.#changes!.mapRelation(message);
            break;
          case "insert":
          case "update":
          case "delete": {
            const mapping = this.#changes!.captured(message.relationId);
            if (mapping === undefined) break;
            if (this.#txChanges < this.#skipRemaining) {
              this.#txChanges++;
              break;
            }
            try {
              emitted += this.#changes!.emit(output, mapping, message, item.walStart, this.#skipRow);
            } catch (error) {
              if (!(error instanceof BadChange)) throw error;
              if (!this.#bad.handle(error.letter)) return InputStatus.NOTHING_AVAILABLE;
            }
            this.#txChanges++;
            break;
          }
          case "truncate":
            for (const id of message.relationIds) {
              const mapping = this.#changes!.captured(id);
              if (mapping !== undefined)
                this.#options.log(
                  `${this.#where}: table "${this.#changes!.tableOf(mapping).id}" was truncated at LSN ${formatLsn(item.walStart)}; TRUNCATE is not turned into deletes`,
                );
            }
            break;
          case "other":
            break;
        }
      }
      this.#queueHead++;
    }
    if (this.#queueHead > 4096 && this.#queueHead * 2 > queue.length) {
      this.#queue = queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    if (this.#paused && this.#queue.length - this.#queueHead < LOW_WATER) {
      this.#paused = false;
      this.#replication?.resume();
    }
    return this.#queueHead < this.#queue.length ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  // ---------------------------------------------------------------- checkpoints

  snapshotState(checkpointId: number): readonly PostgresCdcSplit[] {
    const split = this.#split;
    if (split === undefined) return [];
    if (this.#phase === "stream" && this.#lsn !== null) this.#acks.set(checkpointId, this.#lsn);
    return [
      {
        splitId: split.splitId,
        phase: this.#phase,
        streamStartLsn: this.#streamStartLsn,
        snapshotTable: this.#snapshotTable,
        snapshotAfterKey: this.#snapshotAfterKey === null ? null : [...this.#snapshotAfterKey],
        resumedRanges: this.#ranges?.toState() ?? [...this.#restoredRanges],
        lsn: this.#lsn,
        skipChanges: this.#phase === "stream" && this.#inTransaction ? this.#txChanges : 0,
      },
    ];
  }

  notifyCheckpointComplete(checkpointId: number): void {
    let lsn: string | undefined;
    for (const [id, position] of this.#acks) {
      if (id > checkpointId) continue;
      lsn = position;
      this.#acks.delete(id);
    }
    if (lsn === undefined) return;
    if (this.#replication === undefined) this.#pendingAck = lsn;
    else this.#replication.acknowledge(lsn);
  }

  /** Changes dropped under the `drop` policy so far. */
  get droppedChanges(): number {
    return this.#bad.dropped;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pager?.close();
    this.#wake();
    await this.#replication?.close();
    await this.#client?.end().catch(() => {});
    await this.#bad.close();
  }
}
