/**
 * The Postgres connector benchmarks: CDC snapshot rate and JDBC upsert sink rate, in the shared
 * benchmark shape (events = rows). Each starts its own Postgres (see bench-database.ts); `prepare`
 * creates the input table (snapshot) or empties the target (sink), untimed.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { RECEIVED_COUNTS } from "../jobs/record-count.ts";
import { benchDatabase } from "./bench-database.ts";
import { SNAPSHOT_TABLE } from "./cdc-snapshot.job.ts";
import { UPSERT_TABLE } from "./jdbc-upsert.job.ts";

let snapshotRows = -1;
/** The database the upsert benchmark wrote to, for its verification. */
let upsertDatabase: Awaited<ReturnType<typeof benchDatabase>> | undefined;

export const postgresCdcSnapshot: Benchmark = {
  name: "postgres-cdc-snapshot",
  description: "Postgres CDC source, bounded snapshot of a 4-column table -> discard, parallelism 1",
  job: new URL("./cdc-snapshot.job.ts", import.meta.url),
  parallelism: 1,
  defaultEvents: 1_000_000,
  targetPerCore: 200_000,
  async prepare(events) {
    const db = await benchDatabase();
    if (snapshotRows === events) return;
    db.psql(
      `DROP TABLE IF EXISTS ${SNAPSHOT_TABLE};
       CREATE TABLE ${SNAPSHOT_TABLE} (id int PRIMARY KEY, name text, amount numeric(12,2), ts timestamptz(3));
       INSERT INTO ${SNAPSHOT_TABLE} SELECT g, 'name ' || g, g * 0.25, timestamptz '2026-01-01' + g * interval '1 ms'
         FROM generate_series(1, ${events}) g;`,
    );
    db.psql(`VACUUM ANALYZE ${SNAPSHOT_TABLE}`);
    snapshotRows = events;
  },
  verify(result, events) {
    const received = result.collected(RECEIVED_COUNTS).reduce((a, b) => a + b, 0);
    if (received !== events)
      throw new Error(`postgres-cdc-snapshot: read ${received} rows, expected ${events}`);
    return received;
  },
};

export const jdbcUpsertSink: Benchmark = {
  name: "jdbc-upsert-sink",
  description: "generator -> keyBy(id) -> JDBC upsert sink into Postgres, parallelism 2",
  job: new URL("./jdbc-upsert.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 500_000,
  targetPerCore: 50_000,
  async prepare() {
    const db = await benchDatabase();
    upsertDatabase = db;
    db.psql(
      `DROP TABLE IF EXISTS ${UPSERT_TABLE};
       CREATE TABLE ${UPSERT_TABLE} (id int PRIMARY KEY, name text, amount numeric(12,2), ts timestamptz(3));`,
    );
  },
  verify(_result, events) {
    if (upsertDatabase === undefined) throw new Error("jdbc-upsert-sink: verify before prepare");
    const rows = Number(upsertDatabase.psql(`SELECT count(*) FROM ${UPSERT_TABLE}`).trim());
    if (rows !== events)
      throw new Error(`jdbc-upsert-sink: the table holds ${rows} rows, expected ${events}`);
    return rows;
  },
};

export const POSTGRES_BENCHMARKS: readonly Benchmark[] = [postgresCdcSnapshot, jdbcUpsertSink];
