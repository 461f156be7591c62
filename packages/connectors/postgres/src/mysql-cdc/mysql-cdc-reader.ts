/**
 * The reader of the MySQL CDC source (see mysql-cdc-source.ts): snapshot page by page inside a
 * consistent-snapshot transaction, then binlog events turned into change events.
 *
 * Invariants: the split position describes exactly what was emitted (snapshot: last key emitted;
 * binlog: the position after the last transaction fully emitted plus the row changes emitted of the
 * next); nothing blocks `pollNext` (I/O fills buffers and wakes the task through `isAvailable`);
 * the binlog socket is paused while more than {@link HIGH_WATER} events wait. A bad change
 * (mysql-bad-records.ts) counts as a change of its transaction whatever the policy, so a restored
 * `skipChanges` lines up; under dead-letter the position does not move past it (polling stops at
 * it) until its letter is stored.
 * @module
 */

import { InputStatus, type ReaderOutput, type SourceReader, type SourceReaderContext } from "@weir/api";
import type { Row } from "@weir/sql";
import mysql from "mysql2/promise";
import type { DeadLetter } from "../cdc/bad-records.ts";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { Kind } from "../values/row-kinds.ts";
import { BinlogConnection } from "./binlog-connection.ts";
import { type BinlogEvent, type BinlogValue, decodeEvent, type TableMap } from "./binlog-decoder.ts";
import { BadMysqlChange, BadMysqlChanges } from "./mysql-bad-records.ts";
import type { MysqlCdcSplit, ResolvedMysqlCdcOptions } from "./mysql-cdc-source.ts";
import { type MysqlTable, quoteMysqlName, resolveMysqlTable } from "./mysql-tables.ts";

const HIGH_WATER = 50_000;
const LOW_WATER = 10_000;

/** How a binlog table map lines up with a captured table: row image index per emitted column. */
interface Mapping {
  readonly table: MysqlTable;
  readonly columns: readonly number[];
  readonly keys: readonly number[];
  /** Column names of the row image, for dead letters. */
  readonly names: readonly string[];
}

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
  #txChanges = 0;
  #skipRemaining = 0;
  #inTransaction = false;
  #tables: MysqlTable[] = [];
  #client: mysql.Connection | undefined;
  #binlog: BinlogConnection | undefined;
  #page: (Buffer | null)[][] = [];
  #pageIndex = 0;
  #tableDone = false;
  #fetching = false;
  #queue: BinlogEvent[] = [];
  #queueHead = 0;
  #paused = false;
  readonly #maps = new Map<number, TableMap>();
  readonly #mappings = new Map<number, Mapping | null>();
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
    if (this.#phase === "initial" && this.#options.startupMode === "latest-offset") {
      const [rows] = await client.query<mysql.RowDataPacket[]>("SHOW MASTER STATUS");
      if (rows[0] === undefined) throw new Error("the server has no binary log (start it with log_bin)");
      this.#phase = "stream";
      this.#file = String(rows[0].File);
      this.#position = Number(rows[0].Position);
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
        this.#phase = "snapshot";
      }
      this.#fetchPage();
      return;
    }
    this.#startBinlog();
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
    BinlogConnection.open(this.#options.connection).then(
      (binlog) => {
        if (this.#closed) {
          binlog.close();
          return;
        }
        this.#binlog = binlog;
        binlog.start(this.#file!, this.#position, this.#options.serverId, {
          event: (bytes) => {
            let event: BinlogEvent;
            try {
              event = decodeEvent(bytes, this.#maps);
            } catch (error) {
              this.#fail(error, `decoding the binlog at ${this.#file}:${bytes.readUInt32LE(13)}`);
              return;
            }
            if (event.type === "table-map") this.#maps.set(event.map.tableId, event.map);
            this.#push(event);
          },
          error: (error) => this.#fail(error, "the binlog stream"),
        });
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
        fields = this.#row(table, values, null, "snapshot");
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

  /** Decodes a row image (or snapshot row) into emitted columns; throws {@link BadMysqlChange}. */
  #row(table: MysqlTable, values: readonly BinlogValue[], mapping: Mapping | null, position: string): Row {
    const fields: Row = new Array(table.emitted.length);
    for (let i = 0; i < table.emitted.length; i++) {
      const column = table.emitted[i]!;
      const value = values[mapping === null ? i : mapping.columns[i]!];
      if (value === null || value === undefined) {
        fields[i] = null;
        continue;
      }
      try {
        if (column.binary) fields[i] = typeof value === "string" ? new TextEncoder().encode(value) : value;
        else
          fields[i] = column.decode(typeof value === "string" ? value : Buffer.from(value).toString("utf8"));
      } catch (error) {
        const names = mapping === null ? table.emitted.map((c) => c.name) : mapping.names;
        const rawValues: Record<string, string | null> = {};
        for (let j = 0; j < names.length && j < values.length; j++) {
          const v = values[j];
          rawValues[names[j]!] =
            v === null || v === undefined
              ? null
              : typeof v === "string"
                ? v
                : Buffer.from(v).toString("utf8");
        }
        throw new BadMysqlChange({
          table: table.id,
          position,
          error: `column "${column.name}": ${(error as Error).message}`,
          rawValues,
        });
      }
    }
    return fields;
  }

  #mapping(tableId: number): Mapping | null {
    const known = this.#mappings.get(tableId);
    if (known !== undefined) return known;
    const map = this.#maps.get(tableId);
    const table =
      map === undefined
        ? undefined
        : this.#tables.find((t) => t.database === map.database && t.table === map.table);
    let mapping: Mapping | null = null;
    if (map !== undefined && table !== undefined) {
      const names = map.names.length > 0 ? map.names : table.catalogNames;
      mapping = {
        table,
        columns: table.emitted.map((c) => names.indexOf(c.name)),
        keys: table.keyNames.map((k) => names.indexOf(k)),
        names,
      };
    }
    this.#mappings.set(tableId, mapping);
    return mapping;
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
        case "begin":
          this.#inTransaction = true;
          this.#txChanges = 0;
          break;
        case "commit":
          this.#inTransaction = false;
          this.#txChanges = 0;
          this.#skipRemaining = 0;
          this.#position = event.nextPosition;
          break;
        case "table-map":
          // A table id may be reused for another table after a schema change.
          this.#mappings.delete(event.map.tableId);
          break;
        case "bad-rows": {
          const mapping = this.#mapping(event.tableId);
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
          const mapping = this.#mapping(event.tableId);
          if (mapping === null) break;
          const position = `binlog position ${this.#file}:${event.nextPosition}`;
          const rows = event.rows;
          for (; this.#eventRow < rows.length; this.#eventRow++) {
            if (this.#txChanges < this.#skipRemaining) {
              this.#txChanges++;
              continue;
            }
            try {
              emitted += this.#emitRow(output, mapping, event.kind, rows[this.#eventRow]!, position);
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

  #emitRow(
    output: ReaderOutput<ChangeEvent>,
    mapping: Mapping,
    kind: "insert" | "update" | "delete",
    row: { readonly before: BinlogValue[] | null; readonly after: BinlogValue[] | null },
    position: string,
  ): number {
    const table = mapping.table;
    const where = position;
    // Both images are read before anything is emitted: a bad one leaves no half of an update behind.
    const before = row.before === null ? undefined : this.#row(table, row.before, mapping, where);
    const after = row.after === null ? undefined : this.#row(table, row.after, mapping, where);
    if (kind === "insert") {
      if (after === undefined) return 0;
      output.collect({ kind: Kind.INSERT, fields: after, table: table.id });
      return 1;
    }
    if (kind === "delete") {
      if (before === undefined) return 0;
      output.collect({ kind: Kind.DELETE, fields: before, table: table.id });
      return 1;
    }
    if (before === undefined || after === undefined) return 0;
    const upsert = this.#options.changelogMode === "upsert";
    const keyChanged = mapping.keys.some((k) => {
      const a = row.before![k];
      const b = row.after![k];
      return a instanceof Uint8Array && b instanceof Uint8Array ? Buffer.compare(a, b) !== 0 : a !== b;
    });
    let count = 0;
    if (!upsert || keyChanged) {
      output.collect({ kind: upsert ? Kind.DELETE : Kind.UPDATE_BEFORE, fields: before, table: table.id });
      count++;
    }
    output.collect({ kind: Kind.UPDATE_AFTER, fields: after, table: table.id });
    return count + 1;
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
