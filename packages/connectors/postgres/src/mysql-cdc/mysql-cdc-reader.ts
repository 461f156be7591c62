/**
 * The reader of the MySQL CDC source (see mysql-cdc-source.ts): snapshot page by page inside a
 * consistent-snapshot transaction, then binlog events turned into change events.
 *
 * Invariants: the split position describes exactly what was emitted (snapshot: last key emitted;
 * binlog: the file position and, on MariaDB, the GTID position (gtid-position.ts, with the worked
 * exactly-once sequence) after the last transaction fully emitted, plus the row changes emitted of
 * the next); the binlog is resumed from the GTID position when one is known (it survives rotation
 * and purging of the checkpointed file), else from the file position; an event group ends at its
 * COMMIT/XID, or at its statement when it has no transaction (DDL), never at a statement inside a
 * transaction (SAVEPOINT); nothing blocks `pollNext` (I/O fills buffers and wakes the task through
 * `isAvailable`); the binlog socket is paused while more than {@link HIGH_WATER} events wait. A
 * bad change (mysql-bad-records.ts) counts as a change of its transaction whatever the policy, so
 * a restored `skipChanges` lines up; under dead-letter the position does not move past it (polling
 * stops at it) until its letter is stored.
 * @module
 */

import { InputStatus, type ReaderOutput, type SourceReader, type SourceReaderContext } from "@weir/api";
import type { Row } from "@weir/sql";
import mysql from "mysql2/promise";
import type { DeadLetter } from "../cdc/bad-records.ts";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { Kind } from "../values/row-kinds.ts";
import { BinlogConnection, type BinlogStart } from "./binlog-connection.ts";
import { type BinlogEvent, type BinlogValue, decodeEvent } from "./binlog-decoder.ts";
import { BinlogRows } from "./binlog-rows.ts";
import { checkGtidDomains, GtidPosition, gtidPositionAt, parseGtidPosition } from "./gtid-position.ts";
import { BadMysqlChange, BadMysqlChanges } from "./mysql-bad-records.ts";
import type { MysqlCdcSplit, ResolvedMysqlCdcOptions } from "./mysql-cdc-source.ts";
import { type MysqlTable, quoteMysqlName, resolveMysqlTable } from "./mysql-tables.ts";

const HIGH_WATER = 50_000;
const LOW_WATER = 10_000;

export class MysqlCdcReader implements SourceReader<ChangeEvent, MysqlCdcSplit> {
  readonly #options: ResolvedMysqlCdcOptions;
  readonly #ctx: SourceReaderContext;
  readonly #where: string;
  #split: MysqlCdcSplit | undefined;
  #phase: MysqlCdcSplit["phase"] = "initial";
  #file: string | null = null;
  #position = 0;
  #snapshotTable = 0;
  #snapshotAfterKey: readonly string[] | null = null;
  #gtid = new GtidPosition(new Map());
  #txChanges = 0;
  #skipRemaining = 0;
  #inTransaction = false;
  /** The open group is one statement (MariaDB standalone GTID, e.g. DDL): any statement ends it. */
  #standalone = false;
  #tables: MysqlTable[] = [];
  #rows: BinlogRows | undefined;
  #client: mysql.Connection | undefined;
  #binlog: BinlogConnection | undefined;
  #page: (Buffer | null)[][] = [];
  #pageIndex = 0;
  #tableDone = false;
  #fetching = false;
  #queue: BinlogEvent[] = [];
  #queueHead = 0;
  #paused = false;
  #ready = false;
  #error: Error | undefined;
  #waiter: { promise: Promise<void>; resolve: () => void } | undefined;
  #closed = false;
  /** Row of the rows event at the queue's head to go on from (polling may stop inside an event). */
  #eventRow = 0;
  readonly #bad: BadMysqlChanges;

  constructor(options: ResolvedMysqlCdcOptions, ctx: SourceReaderContext) {
    this.#options = options;
    this.#ctx = ctx;
    this.#where = `MySQL CDC source (server id ${options.serverId})`;
    this.#bad = new BadMysqlChanges(options, this.#where, ctx, {
      wake: () => this.#wake(),
      fail: (error, during) => this.#fail(error, during),
    });
  }

  start(): void {
    if (this.#ctx.indexOfSubtask === 0) this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly MysqlCdcSplit[]): void {
    const split = splits[0];
    if (split === undefined || this.#split !== undefined) return;
    this.#split = split;
    this.#phase = split.phase;
    this.#file = split.binlogFile;
    this.#position = split.binlogPosition;
    this.#snapshotTable = split.snapshotTable;
    this.#snapshotAfterKey = split.snapshotAfterKey;
    this.#skipRemaining = split.skipChanges;
    try {
      // Checkpoints written before GTIDs were tracked have no GTID position.
      const gtid: unknown = split.gtidPosition ?? "";
      if (typeof gtid !== "string")
        throw new Error(`the restored checkpoint's GTID position ${JSON.stringify(gtid)} is not text`);
      this.#gtid = new GtidPosition(parseGtidPosition(gtid, "the restored checkpoint's GTID position"));
    } catch (error) {
      this.#fail(error, "restoring the checkpoint");
      return;
    }
    this.#initialize().then(
      () => {
        this.#ready = true;
        this.#wake();
      },
      (error: unknown) => this.#fail(error, "starting"),
    );
  }

  notifyNoMoreSplits(): void {}

  #fail(error: unknown, during: string): void {
    if (this.#closed || this.#error !== undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    this.#error = message.startsWith("MySQL CDC")
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
    if (this.#error !== undefined) return true;
    if (!this.#ready || this.#bad.storing) return false;
    if (this.#phase === "snapshot")
      return this.#pageIndex < this.#page.length || (this.#tableDone && !this.#fetching);
    return this.#queueHead < this.#queue.length;
  }

  async #initialize(): Promise<void> {
    const c = this.#options.connection;
    const client = await mysql.createConnection({
      host: c.host,
      port: c.port,
      user: c.user,
      ...(c.password === undefined ? {} : { password: c.password }),
      database: c.database,
    });
    client.on("error", (error: Error) => this.#fail(error, "the database connection"));
    this.#client = client;
    await client.query("SET time_zone = '+00:00'");
    this.#tables = [];
    for (const spec of this.#options.tables)
      this.#tables.push(await resolveMysqlTable(client, c.database, spec));
    this.#rows = new BinlogRows(this.#tables, this.#options.changelogMode);
    const offset = this.#options.startupOffset;
    if (this.#phase === "initial" && this.#options.startupMode === "latest-offset") {
      const [rows] = await client.query<mysql.RowDataPacket[]>("SHOW MASTER STATUS");
      if (rows[0] === undefined) throw new Error("the server has no binary log (start it with log_bin)");
      await this.#streamFrom(client, String(rows[0].File), Number(rows[0].Position));
    } else if (this.#phase === "initial" && offset !== undefined) {
      if (offset.gtidPosition !== undefined) {
        this.#phase = "stream";
        this.#gtid = new GtidPosition(parseGtidPosition(offset.gtidPosition, "the GTID set"));
      } else await this.#streamFrom(client, offset.file, offset.position);
    } else if (this.#phase !== "stream") {
      await client.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      const [status] = await client.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'binlog_snapshot_%'");
      const value = (name: string) =>
        status.find((r) => String(r.Variable_name).toLowerCase() === name)?.Value as string | undefined;
      if (this.#phase === "initial") {
        const file = value("binlog_snapshot_file");
        if (file === undefined || file === "")
          throw new Error("the server has no binary log (start it with log_bin and binlog_format=ROW)");
        this.#file = file;
        this.#position = Number(value("binlog_snapshot_position"));
        const gtid = await gtidPositionAt(client, file, this.#position);
        this.#gtid = new GtidPosition(parseGtidPosition(gtid, "the snapshot's GTID position"));
        this.#phase = "snapshot";
      }
      await checkGtidDomains(client, this.#gtid);
      this.#fetchPage();
      return;
    }
    await checkGtidDomains(client, this.#gtid);
    this.#startBinlog();
  }

  /** Starts streaming (no snapshot) at a file position, with its GTID position when there is one. */
  async #streamFrom(client: mysql.Connection, file: string, position: number): Promise<void> {
    this.#phase = "stream";
    this.#file = file;
    this.#position = position;
    const gtid = await gtidPositionAt(client, file, position);
    this.#gtid = new GtidPosition(parseGtidPosition(gtid, `the GTID position of ${file}:${position}`));
  }

  #fetchPage(): void {
    const table = this.#tables[this.#snapshotTable];
    if (table === undefined) {
      this.#finishSnapshot();
      return;
    }
    this.#fetching = true;
    this.#tableDone = false;
    const columns = [...table.emitted.map((e) => e.name), ...table.keyNames].map(quoteMysqlName).join(", ");
    const keys = table.keyNames.map(quoteMysqlName).join(", ");
    const after = this.#snapshotAfterKey;
    const sql =
      `SELECT ${columns} FROM ${table.qualified}` +
      (after === null ? "" : ` WHERE (${keys}) > (${after.map(() => "?").join(", ")})`) +
      ` ORDER BY ${keys} LIMIT ${this.#options.snapshotFetchSize}`;
    this.#client!.query<mysql.RowDataPacket[]>({
      sql,
      values: after === null ? [] : [...after],
      rowsAsArray: true,
      typeCast: false,
    }).then(
      ([rows]) => {
        this.#fetching = false;
        this.#page = rows as unknown as (Buffer | null)[][];
        this.#pageIndex = 0;
        this.#tableDone = rows.length < this.#options.snapshotFetchSize;
        this.#wake();
      },
      (error: unknown) => this.#fail(error, `reading the snapshot of table "${table.id}"`),
    );
  }

  #finishSnapshot(): void {
    this.#phase = "stream";
    this.#skipRemaining = 0;
    this.#ready = false;
    this.#client!.query("COMMIT").then(
      () => {
        this.#startBinlog();
        this.#ready = true;
        this.#wake();
      },
      (error: unknown) => this.#fail(error, "ending the snapshot"),
    );
  }

  #startBinlog(): void {
    const gtid = this.#gtid.toString();
    const from: BinlogStart =
      gtid === "" ? { file: this.#file!, position: this.#position } : { gtidPosition: gtid };
    const described =
      gtid === "" ? `binlog position ${this.#file}:${this.#position}` : `GTID position "${gtid}"`;
    const maps = this.#rows!.maps;
    BinlogConnection.open(this.#options.connection).then(
      (binlog) => {
        if (this.#closed) {
          binlog.close();
          return;
        }
        this.#binlog = binlog;
        binlog
          .start(from, this.#options.serverId, {
            event: (bytes) => {
              let event: BinlogEvent;
              try {
                event = decodeEvent(bytes, maps);
              } catch (error) {
                this.#fail(error, `decoding the binlog at ${this.#file}:${bytes.readUInt32LE(13)}`);
                return;
              }
              if (event.type === "table-map") maps.set(event.map.tableId, event.map);
              this.#push(event);
            },
            error: (error) => this.#fail(error, `streaming the binlog from ${described}`),
          })
          .catch((error: unknown) => this.#fail(error, `starting the binlog from ${described}`));
      },
      (error: unknown) => this.#fail(error, "connecting for the binlog"),
    );
  }

  #push(event: BinlogEvent): void {
    const wasEmpty = this.#queueHead === this.#queue.length;
    this.#queue.push(event);
    if (!this.#paused && this.#queue.length - this.#queueHead > HIGH_WATER) {
      this.#paused = true;
      this.#binlog?.pause();
    }
    if (wasEmpty) this.#wake();
  }

  pollNext(output: ReaderOutput<ChangeEvent>): InputStatus {
    if (this.#error !== undefined) throw this.#error;
    if (!this.#ready || this.#bad.storing) return InputStatus.NOTHING_AVAILABLE;
    return this.#phase === "snapshot"
      ? this.#pollSnapshot(output, this.#ctx.batchSizeHint)
      : this.#pollBinlog(output, this.#ctx.batchSizeHint);
  }

  #pollSnapshot(output: ReaderOutput<ChangeEvent>, budget: number): InputStatus {
    const table = this.#tables[this.#snapshotTable]!;
    let emitted = 0;
    const width = table.emitted.length;
    while (emitted < budget) {
      if (this.#pageIndex >= this.#page.length) {
        if (this.#fetching) return InputStatus.NOTHING_AVAILABLE;
        if (this.#tableDone) {
          this.#snapshotTable++;
          this.#snapshotAfterKey = null;
        }
        this.#page = [];
        this.#fetchPage();
        return this.#phase === "snapshot" ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
      }
      const raw = this.#page[this.#pageIndex]!;
      const key = raw.slice(width).map((v) => (v === null ? "" : v.toString("utf8")));
      const values: BinlogValue[] = raw.slice(0, width).map((v) => (v === null ? null : new Uint8Array(v)));
      let fields: Row;
      try {
        fields = this.#rows!.decodeRow(table, values, null, "snapshot");
      } catch (error) {
        if (!(error instanceof BadMysqlChange)) throw error;
        const keyValues = Object.fromEntries(table.keyNames.map((name, i) => [name, key[i]!]));
        if (!this.#bad.handle({ ...error.letter, rawValues: { ...keyValues, ...error.letter.rawValues } }))
          return InputStatus.NOTHING_AVAILABLE;
        this.#pageIndex++;
        this.#snapshotAfterKey = key;
        continue;
      }
      this.#pageIndex++;
      this.#snapshotAfterKey = key;
      output.collect({ kind: Kind.INSERT, fields, table: table.id });
      emitted++;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  #pollBinlog(output: ReaderOutput<ChangeEvent>, budget: number): InputStatus {
    let emitted = 0;
    const queue = this.#queue;
    let waiting = false;
    events: while (emitted < budget && this.#queueHead < queue.length) {
      const event = queue[this.#queueHead]!;
      switch (event.type) {
        case "rotate":
          this.#file = event.file;
          this.#position = event.position;
          break;
        case "gtid":
          this.#inTransaction = true;
          this.#standalone = event.standalone;
          this.#txChanges = 0;
          this.#gtid.begin(event.gtid);
          break;
        case "begin":
          this.#inTransaction = true;
          this.#standalone = false;
          this.#txChanges = 0;
          break;
        case "commit":
          this.#endGroup(event.nextPosition);
          break;
        case "statement":
          if (!this.#inTransaction || this.#standalone) this.#endGroup(event.nextPosition);
          break;
        case "table-map":
          this.#rows!.forget(event.map.tableId);
          break;
        case "bad-rows": {
          const mapping = this.#rows!.captured(event.tableId);
          if (mapping === null) break;
          if (this.#txChanges >= this.#skipRemaining) {
            const letter: DeadLetter = {
              table: mapping.table.id,
              position: `binlog position ${this.#file}:${event.nextPosition}`,
              error: `undecodable ${event.kind} event: ${event.error}`,
              rawValues: {},
            };
            if (!this.#bad.handle(letter)) {
              waiting = true;
              break events;
            }
          }
          this.#txChanges++;
          break;
        }
        case "rows": {
          const mapping = this.#rows!.captured(event.tableId);
          if (mapping === null) break;
          const position = `binlog position ${this.#file}:${event.nextPosition}`;
          const rows = event.rows;
          for (; this.#eventRow < rows.length; this.#eventRow++) {
            if (this.#txChanges < this.#skipRemaining) {
              this.#txChanges++;
              continue;
            }
            try {
              emitted += this.#rows!.emit(output, mapping, event.kind, rows[this.#eventRow]!, position);
            } catch (error) {
              if (!(error instanceof BadMysqlChange)) throw error;
              if (!this.#bad.handle(error.letter)) {
                waiting = true;
                break events;
              }
            }
            this.#txChanges++;
          }
          this.#eventRow = 0;
          break;
        }
        default:
          break;
      }
      this.#queueHead++;
    }
    if (this.#queueHead > 4096 && this.#queueHead * 2 > queue.length) {
      this.#queue = queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    if (this.#paused && this.#queue.length - this.#queueHead < LOW_WATER) {
      this.#paused = false;
      this.#binlog?.resume();
    }
    if (waiting) return InputStatus.NOTHING_AVAILABLE;
    return this.#queueHead < this.#queue.length ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  /** The open event group is fully emitted: the position moves past it. */
  #endGroup(nextPosition: number): void {
    this.#inTransaction = false;
    this.#standalone = false;
    this.#txChanges = 0;
    this.#skipRemaining = 0;
    this.#position = nextPosition;
    this.#gtid.commit();
  }

  snapshotState(): readonly MysqlCdcSplit[] {
    const split = this.#split;
    if (split === undefined) return [];
    return [
      {
        splitId: split.splitId,
        phase: this.#phase,
        binlogFile: this.#file,
        binlogPosition: this.#position,
        gtidPosition: this.#gtid.empty ? null : this.#gtid.toString(),
        snapshotTable: this.#snapshotTable,
        snapshotAfterKey: this.#snapshotAfterKey === null ? null : [...this.#snapshotAfterKey],
        skipChanges: this.#phase === "stream" && this.#inTransaction ? this.#txChanges : 0,
      },
    ];
  }

  /** Changes dropped under the `drop` policy so far. */
  get droppedChanges(): number {
    return this.#bad.dropped;
  }

  /** Changes stored as dead letters so far. */
  get deadLetters(): number {
    return this.#bad.deadLettered;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    this.#binlog?.close();
    await this.#client?.end().catch(() => {});
    await this.#bad.close();
  }
}
