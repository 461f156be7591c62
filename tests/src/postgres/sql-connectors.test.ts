/**
 * The `postgres-cdc` and `jdbc` SQL connectors, created through their factories from resolved
 * tables (as the planner does) and run on the local mini-cluster against a Postgres started by the
 * test: a CDC table copied into a JDBC upsert table converges to the source; bad options are
 * reported by table and key.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ExecutionEnvironment } from "@weir/api";
import { jdbcConnector, postgresCdcConnector, tableConnectors } from "@weir/connector-postgres/sql";
import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";
import { runJob } from "@weir/runtime";
import type { LogicalType, ResolvedTable } from "@weir/sql";
import pg from "pg";
import { physicalType, type SqlConnectorsParams } from "./sql-connectors.job.ts";

const JOB = new URL("./sql-connectors.job.ts", import.meta.url);

let server: PostgresTestServer;
let db: pg.Client;

before(async () => {
  server = await startPostgres();
  db = new pg.Client({ host: server.host, port: server.port, user: "postgres", database: "postgres" });
  await db.connect();
});
after(async () => {
  await db?.end();
  server?.stop();
});

const INT: LogicalType = { kind: "INT", nullable: false };
const STRING: LogicalType = { kind: "VARCHAR", length: 2_147_483_647, nullable: true };
const DECIMAL: LogicalType = { kind: "DECIMAL", precision: 10, scale: 2, nullable: true };

function table(
  name: string,
  options: Record<string, string>,
  primaryKey: string[] | null = ["id"],
): ResolvedTable {
  return {
    kind: "table",
    name,
    columns: [
      { kind: "physical", name: "id", type: INT },
      { kind: "physical", name: "name", type: STRING },
      { kind: "physical", name: "amount", type: DECIMAL },
    ],
    watermark: null,
    primaryKey,
    partitionKeys: [],
    options,
    temporary: false,
  };
}

test("the package exports its SQL connectors by identifier", () => {
  assert.deepEqual(
    tableConnectors.map((c) => c.identifier),
    ["postgres-cdc", "mysql-cdc", "jdbc"],
  );
});

test("postgres-cdc into jdbc (upsert): the sink table follows the source table", async () => {
  await db.query("CREATE TABLE accounts (id int PRIMARY KEY, name text, amount numeric(10,2))");
  await db.query("ALTER TABLE accounts REPLICA IDENTITY FULL");
  await db.query("CREATE TABLE accounts_copy (id int PRIMARY KEY, name text, amount numeric(10,2))");
  await db.query("INSERT INTO accounts SELECT g, 'n' || g, g / 4.0 FROM generate_series(1, 500) g");
  const params: SqlConnectorsParams = {
    source: table("accounts_cdc", {
      connector: "postgres-cdc",
      hostname: server.host,
      port: String(server.port),
      username: "postgres",
      password: "",
      "database-name": "postgres",
      "schema-name": "public",
      "table-name": "accounts",
      "slot.name": "accounts_slot",
      "decoding.plugin.name": "pgoutput",
    }),
    sink: table("accounts_sink", {
      connector: "jdbc",
      url: `jdbc:postgresql://${server.host}:${server.port}/postgres`,
      "table-name": "accounts_copy",
      username: "postgres",
      "sink.buffer-flush.max-rows": "50",
      "sink.buffer-flush.interval": "50 ms",
    }),
  };
  const abort = new AbortController();
  const running = runJob(JOB, {
    parallelism: 2,
    params,
    signal: abort.signal,
    checkpointing: { intervalMs: 200, storage: { kind: "memory" } },
  }).then(
    () => new Error("finished"),
    (error: unknown) => error as Error,
  );
  const same = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM (SELECT * FROM accounts EXCEPT SELECT * FROM accounts_copy) a) +
                 (SELECT count(*) FROM (SELECT * FROM accounts_copy EXCEPT SELECT * FROM accounts) b))::int AS n`,
      )
    ).rows[0]!.n === 0;
  try {
    const deadline = Date.now() + 30_000;
    while (!(await same())) {
      assert.ok(Date.now() < deadline, "the snapshot never arrived");
      await new Promise((r) => setTimeout(r, 50));
    }
    await db.query("UPDATE accounts SET amount = amount + 0.01, name = 'u' || id WHERE id % 3 = 0");
    await db.query("DELETE FROM accounts WHERE id % 5 = 0");
    await db.query("INSERT INTO accounts VALUES (1000, 'new', 12.34)");
    await db.query("UPDATE accounts SET id = 2000 WHERE id = 1");
    while (!(await same())) {
      assert.ok(Date.now() < deadline, "the changes never arrived");
      await new Promise((r) => setTimeout(r, 50));
    }
    // Completed checkpoints are acknowledged: the slot's confirmed position passes the changes.
    const lastChange = (await db.query("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]
      .lsn as string;
    const confirmedPast = async () =>
      (
        await db.query(
          "SELECT confirmed_flush_lsn >= $1::pg_lsn AS past FROM pg_replication_slots WHERE slot_name = 'accounts_slot'",
          [lastChange],
        )
      ).rows[0]?.past === true;
    while (!(await confirmedPast())) {
      assert.ok(Date.now() < deadline, "the slot's confirmed position never advanced");
      await db.query("SELECT pg_logical_emit_message(false, 'tick', 'x')");
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
  assert.equal((await db.query("SELECT count(*)::int AS n FROM accounts_copy")).rows[0].n, 401);
});

test("jdbc scan (bounded) into jdbc append: the job copies the table and finishes", async () => {
  await db.query("CREATE TABLE scanned (id int PRIMARY KEY, name text, amount numeric(10,2))");
  await db.query("CREATE TABLE scanned_copy (id int, name text, amount numeric(10,2))");
  await db.query("INSERT INTO scanned SELECT g, 's' || g, g * 1.5 FROM generate_series(1, 1234) g");
  const url = `jdbc:postgresql://${server.host}:${server.port}/postgres`;
  const params: SqlConnectorsParams = {
    source: table("scanned_src", {
      connector: "jdbc",
      url,
      "table-name": "scanned",
      "scan.fetch-size": "100",
    }),
    sink: table("scanned_sink", { connector: "jdbc", url, "table-name": "public.scanned_copy" }, null),
  };
  const result = await runJob(JOB, { parallelism: 2, params });
  assert.equal(result.restarts, 0);
  const differences = await db.query(
    "SELECT count(*)::int AS n FROM (SELECT * FROM scanned EXCEPT ALL SELECT * FROM scanned_copy) a",
  );
  assert.equal(differences.rows[0].n, 0);
  assert.equal((await db.query("SELECT count(*)::int AS n FROM scanned_copy")).rows[0].n, 1234);
  assert.throws(
    () =>
      jdbcConnector.createSource!({
        table: table("t", { connector: "jdbc", url: "jdbc:mysql://h/d", "table-name": "t" }),
        physicalType: physicalType(table("t", {})),
        metadata: [],
        projectedFields: null,
        env: {} as ExecutionEnvironment,
        config: new Map(),
      }),
    /Table 't' \('jdbc'\): reading is supported for Postgres tables only/,
  );
});

test("bad options name the table and the option", () => {
  const env = {} as ExecutionEnvironment;
  const sourceContext = (options: Record<string, string>) => {
    const t = table("src", { connector: "postgres-cdc", ...options });
    return {
      table: t,
      physicalType: physicalType(t),
      metadata: [],
      projectedFields: null,
      env,
      config: new Map(),
    };
  };
  const base = {
    hostname: "h",
    username: "u",
    "database-name": "d",
    "table-name": "t",
    "slot.name": "s",
  };
  assert.throws(
    () => postgresCdcConnector.createSource!(sourceContext({ ...base, "slot.nmae": "x" })),
    /Unsupported options found for 'postgres-cdc' in table 'src': 'slot.nmae'/,
  );
  assert.throws(
    () => postgresCdcConnector.createSource!(sourceContext({ hostname: "h" })),
    /required options are missing for 'postgres-cdc' in table 'src': 'username', 'database-name', 'table-name', 'slot.name'/,
  );
  assert.throws(
    () => postgresCdcConnector.createSource!(sourceContext({ ...base, "decoding.plugin.name": "wal2json" })),
    /Table 'src' \('postgres-cdc'\): 'decoding.plugin.name' = 'wal2json' is not supported/,
  );
  assert.throws(
    () => postgresCdcConnector.createSource!(sourceContext({ ...base, "slot.name": "Bad Slot" })),
    /Table 'src' \('postgres-cdc'\): .*slot names may only contain/,
  );
  assert.throws(
    () => postgresCdcConnector.createSource!(sourceContext({ ...base, port: "x" })),
    /Invalid value for option 'port' of table 'src': 'x'/,
  );
  const ok = postgresCdcConnector.createSource!(sourceContext({ ...base, "changelog-mode": "upsert" }));
  assert.deepEqual(ok.changelogMode, { kind: "upsert", upsertKey: [0] });
  assert.deepEqual(postgresCdcConnector.createSource!(sourceContext(base)).changelogMode, {
    kind: "retract",
  });
  const sinkContext = (options: Record<string, string>, primaryKey: string[] | null, updating: boolean) => {
    const t = table("dst", { connector: "jdbc", ...options }, primaryKey);
    return {
      table: t,
      physicalType: physicalType(t),
      inputMode: updating ? ({ kind: "retract" } as const) : ({ kind: "insert-only" } as const),
      config: new Map(),
    };
  };
  const url = "jdbc:mariadb://127.0.0.1:3306/test";
  assert.throws(
    () => jdbcConnector.createSink!(sinkContext({ url, "table-name": "t" }, null, true)),
    /Table 'dst' \('jdbc'\): the query produces updates, but the table has no PRIMARY KEY/,
  );
  assert.throws(
    () =>
      jdbcConnector.createSink!(
        sinkContext({ url: "jdbc:oracle:thin:@x", "table-name": "t" }, ["id"], false),
      ),
    /Table 'dst' \('jdbc'\): unsupported database URL/,
  );
  assert.throws(
    () =>
      jdbcConnector.createSink!(
        sinkContext({ url, "table-name": "t", "sink.buffer-flush.interval": "soon" }, ["id"], false),
      ),
    /Invalid value for option 'sink.buffer-flush.interval' of table 'dst': 'soon'/,
  );
  assert.deepEqual(
    jdbcConnector.createSink!(sinkContext({ url, "table-name": "t" }, ["id"], true)).acceptedModes,
    ["insert-only", "retract", "upsert"],
  );
  assert.deepEqual(
    jdbcConnector.createSink!(sinkContext({ url, "table-name": "t" }, null, false)).acceptedModes,
    ["insert-only"],
  );
});
