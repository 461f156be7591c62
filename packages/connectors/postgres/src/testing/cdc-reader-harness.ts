/**
 * Test support for the CDC reader: drives a reader as the runtime does (poll, wait for
 * `isAvailable`, snapshot the split, close, restore) against a test Postgres, and checks
 * changelogs. A strict checker applies events to a model table and fails on an insert of a
 * present key or a retraction that differs from the current row, so lost or duplicated changes
 * cannot go unnoticed.
 * @module
 */

import assert from "node:assert/strict";
import { InputStatus, type ReaderOutput, type SourceReader, type SourceReaderContext } from "@weir/api";
import type { SqlValue } from "@weir/sql";
import pg from "pg";
import {
  type ChangeEvent,
  initialSplit,
  type PostgresCdcOptions,
  PostgresCdcSource,
  type PostgresCdcSplit,
} from "../cdc/postgres-cdc-source.ts";
import { type PostgresTestServer, startPostgres } from "./postgres-server.ts";

export type Reader = SourceReader<ChangeEvent, PostgresCdcSplit>;

/** A reader's context as subtask 0 of 1 (split requests go nowhere: the test assigns splits). */
export function singleSubtaskContext(batchSizeHint: number): SourceReaderContext {
  return {
    indexOfSubtask: 0,
    parallelism: 1,
    batchSizeHint,
    sendSplitRequest: () => {},
    currentTime: () => Date.now(),
  };
}

export function collector(events: ChangeEvent[]): ReaderOutput<ChangeEvent> {
  return {
    collect: (e) => events.push(e),
    collectWithTimestamp: (e) => events.push(e),
    emitWatermark: () => {},
  };
}

/** Polls until `done(events)` or the timeout; `polls` limits how many polls (to stop mid-way). */
export async function pollUntil(
  r: Pick<Reader, "pollNext" | "isAvailable">,
  events: ChangeEvent[],
  done: (events: ChangeEvent[]) => boolean,
  limits: { timeoutMs?: number; polls?: number } = {},
): Promise<void> {
  const out = collector(events);
  const deadline = Date.now() + (limits.timeoutMs ?? 10_000);
  let polls = 0;
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`timed out with ${events.length} events`);
    if (limits.polls !== undefined && polls >= limits.polls) return;
    const status = r.pollNext(out);
    polls++;
    if (status === InputStatus.NOTHING_AVAILABLE)
      await Promise.race([r.isAvailable(), new Promise((resolve) => setTimeout(resolve, 20))]);
  }
}

/** Applies a changelog strictly (see the module comment); returns rows by key (first field). */
export function applyStrict(
  events: readonly ChangeEvent[],
  fullBeforeImages: boolean,
  model = new Map<string, SqlValue[]>(),
): Map<string, SqlValue[]> {
  for (const [i, e] of events.entries()) {
    const key = String(e.fields[0]);
    const present = model.get(key);
    if (e.kind === 0 || e.kind === 2) {
      if (e.kind === 0) assert.equal(present, undefined, `event ${i}: +I of present key ${key}`);
      model.set(key, [...e.fields]);
    } else {
      assert.notEqual(present, undefined, `event ${i}: ${e.kind === 1 ? "-U" : "-D"} of absent key ${key}`);
      if (fullBeforeImages)
        assert.deepEqual(e.fields, present, `event ${i}: retraction of key ${key} equals the current row`);
      model.delete(key);
    }
  }
  return model;
}

/** Applies a changelog as an upsert sink does: +I/+U write the row, -U/-D delete the key. */
export function applyUpsert(
  events: readonly ChangeEvent[],
  model: Map<string, SqlValue[]>,
): Map<string, SqlValue[]> {
  for (const e of events) {
    if (e.kind === 0 || e.kind === 2) model.set(String(e.fields[0]), [...e.fields]);
    else model.delete(String(e.fields[0]));
  }
  return model;
}

/** A test Postgres with a client, and readers of CDC sources on it. */
export class CdcTestDatabase {
  readonly server: PostgresTestServer;
  readonly db: pg.Client;

  private constructor(server: PostgresTestServer, db: pg.Client) {
    this.server = server;
    this.db = db;
  }

  static async start(): Promise<CdcTestDatabase> {
    const server = await startPostgres();
    const db = new pg.Client({
      host: server.host,
      port: server.port,
      user: "postgres",
      database: "postgres",
    });
    await db.connect();
    return new CdcTestDatabase(server, db);
  }

  async stop(): Promise<void> {
    await this.db.end();
    this.server.stop();
  }

  options(
    slot: string,
    tables: PostgresCdcOptions["tables"],
    extra: Partial<PostgresCdcOptions> = {},
  ): PostgresCdcOptions {
    return {
      connection: { host: this.server.host, port: this.server.port, user: "postgres", database: "postgres" },
      tables,
      slotName: slot,
      log: () => {},
      ...extra,
    };
  }

  /** A started reader holding `split` (default: the initial split). */
  reader(opts: PostgresCdcOptions, split: PostgresCdcSplit | undefined, batchSizeHint = 1000): Reader {
    const r = PostgresCdcSource.create(opts).createReader(singleSubtaskContext(batchSizeHint));
    r.start();
    r.addSplits([
      split ?? initialSplit({ ...opts, publicationName: `${opts.slotName}_publication` } as never),
    ]);
    return r;
  }

  /** Polls `r` until its slot streams (so changes made afterwards are captured). */
  async untilStreaming(r: Reader, slot: string, events: ChangeEvent[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await pollUntil(r, events, () => false, { polls: 1 });
      const found = await this.db.query("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [
        slot,
      ]);
      if (found.rows[0]?.active === true) return;
      if (Date.now() > deadline) throw new Error(`slot ${slot} never became active`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The rows of a `(id int, v text)` table by key, as the checkers model them. */
  async tableRows(table: string): Promise<Map<string, SqlValue[]>> {
    const result = await this.db.query(`SELECT id, v FROM ${table} ORDER BY id`);
    return new Map(result.rows.map((r) => [String(r.id), [r.id as number, r.v as string | null]]));
  }
}
