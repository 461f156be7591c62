/**
 * The JDBC-style sink against real databases: a Postgres server started by the test, and the
 * machine's MariaDB service (a sink needs no special server settings). Each case drives a writer
 * directly, the way the runtime does (write batches, flush at barriers, close).
 */

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SinkWriter } from "@weir/api";
import type { LogicalType, RowData } from "@weir/sql";
import mysql from "mysql2/promise";
import pg from "pg";
import { type PostgresTestServer, startPostgres } from "../testing/postgres-server.ts";
import { JdbcSink, type SinkColumn } from "./jdbc-sink.ts";

const INT: LogicalType = { kind: "INT", nullable: false };
const STRING: LogicalType = { kind: "VARCHAR", length: 2_147_483_647, nullable: true };
const PRICE: LogicalType = { kind: "DECIMAL", precision: 10, scale: 2, nullable: true };
const DAY: LogicalType = { kind: "DATE", nullable: true };
const AT: LogicalType = { kind: "TIMESTAMP_LTZ", precision: 3, nullable: true, timeAttribute: null };
const BYTES: LogicalType = { kind: "VARBINARY", length: 2_147_483_647, nullable: true };
const BIG: LogicalType = { kind: "BIGINT", nullable: true };
const FLAG: LogicalType = { kind: "BOOLEAN", nullable: true };

const COLUMNS: SinkColumn[] = [
  { name: "id", type: INT },
  { name: "name", type: STRING },
  { name: "price", type: PRICE },
  { name: "day", type: DAY },
  { name: "at", type: AT },
  { name: "data", type: BYTES },
  { name: "big", type: BIG },
  { name: "flag", type: FLAG },
];

const ctx = { indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 };
const I = 0;
const UB = 1;
const UA = 2;
const D = 3;
const row = (kind: 0 | 1 | 2 | 3, fields: RowData["fields"]): RowData => ({ kind, fields });

async function drive(writer: SinkWriter<RowData>, batches: RowData[][]): Promise<void> {
  for (const batch of batches) await writer.write(batch);
  await writer.flush(true);
  await writer.close();
}

describe("JDBC sink into Postgres", () => {
  let server: PostgresTestServer;
  let client: pg.Client;
  let url: string;

  before(async () => {
    server = await startPostgres();
    url = `jdbc:postgresql://${server.host}:${server.port}/postgres`;
    client = new pg.Client({ host: server.host, port: server.port, user: "postgres", database: "postgres" });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    server?.stop();
  });

  async function table(name: string, key: boolean): Promise<void> {
    await client.query(
      `CREATE TABLE ${name} (id int ${key ? "PRIMARY KEY" : "NOT NULL"}, name text, price numeric(10,2), day date,
       at timestamptz, data bytea, big bigint, flag boolean)`,
    );
  }

  async function contents(name: string): Promise<unknown[]> {
    const result = await client.query(
      `SELECT id, name, price::text, day::text, (extract(epoch from at) * 1000)::bigint::text AS at, encode(data, 'hex') AS data, big::text, flag FROM ${name} ORDER BY id, name`,
    );
    return result.rows.map((r) => Object.values(r));
  }

  test("upserts by primary key: the last change of each key wins, -U and -D delete", async () => {
    await table("upserted", true);
    const sink = JdbcSink.create({
      url,
      table: "upserted",
      columns: COLUMNS,
      primaryKey: ["id"],
      maxRows: 3,
    });
    assert.equal(sink.upsert, true);
    const full = (id: number, name: string) => [
      id,
      name,
      1250n,
      1,
      1577836800500,
      Uint8Array.of(1, 255),
      9007199254740993n,
      true,
    ];
    await drive(sink.createWriter(ctx), [
      [row(I, full(1, "a")), row(I, full(2, "b")), row(I, full(3, "c"))],
      [row(UB, full(1, "a")), row(UA, full(1, "a2")), row(D, full(2, "b"))],
      [row(I, [4, null, null, null, null, null, null, null]), row(UB, full(3, "c")), row(UA, full(3, "c2"))],
      [row(I, full(2, "b-again")), row(D, full(4, "x")), row(UB, full(3, "c2")), row(UA, full(5, "c-moved"))],
    ]);
    const expected = (id: number, name: string) => [
      id,
      name,
      "12.50",
      "1970-01-02",
      "1577836800500",
      "01ff",
      "9007199254740993",
      true,
    ];
    assert.deepEqual(await contents("upserted"), [
      expected(1, "a2"),
      expected(2, "b-again"),
      expected(5, "c-moved"),
    ]);
  });

  test("replaying the same changes leaves the same table (idempotent upserts)", async () => {
    await table("replayed", true);
    const sink = JdbcSink.create({ url, table: "public.replayed", columns: COLUMNS, primaryKey: ["id"] });
    const changes = [
      row(I, [1, "one", 100n, 0, 0, null, 1n, false]),
      row(I, [2, "two", 200n, 0, 0, null, 2n, false]),
      row(UB, [1, "one", 100n, 0, 0, null, 1n, false]),
      row(UA, [1, "uno", 101n, 0, 0, null, 1n, false]),
      row(D, [2, "two", 200n, 0, 0, null, 2n, false]),
    ];
    await drive(sink.createWriter(ctx), [changes]);
    const once = await contents("replayed");
    await drive(sink.createWriter(ctx), [changes.slice(0, 3), changes.slice(3)]);
    assert.deepEqual(await contents("replayed"), once);
    assert.deepEqual(once, [[1, "uno", "1.01", "1970-01-01", "0", null, "1", false]]);
  });

  test("append mode inserts +I and +U rows and refuses a delete, naming the table and row", async () => {
    await table("appended", false);
    const sink = JdbcSink.create({ url, table: "appended", columns: COLUMNS, flushIntervalMs: 0 });
    const writer = sink.createWriter(ctx);
    await writer.write([
      row(I, [1, "x", null, null, null, null, null, null]),
      row(UA, [1, "y", null, null, null, null, null, null]),
    ]);
    await writer.flush(false);
    assert.deepEqual(
      (await contents("appended")).map((r) => (r as unknown[])[1]),
      ["x", "y"],
    );
    assert.throws(
      () => writer.write([row(D, [1, "x", null, null, null, null, null, null])]),
      /JDBC sink into table "appended" \(subtask 0\): append mode \(no primary key\) cannot apply -D row \[1, "x", null/,
    );
    await writer.close();
  });

  test("a row the database refuses fails the batch with the table, the row and the reason", async () => {
    await client.query("CREATE TABLE checked (id int PRIMARY KEY, name text CHECK (name <> 'bad'))");
    const sink = JdbcSink.create({
      url,
      table: "checked",
      columns: [
        { name: "id", type: INT },
        { name: "name", type: STRING },
      ],
      primaryKey: ["id"],
    });
    const writer = sink.createWriter(ctx);
    await writer.write([row(I, [1, "good"]), row(I, [2, "bad"]), row(I, [3, "fine"])]);
    await assert.rejects(
      async () => writer.flush(false),
      /JDBC sink into table "checked" \(subtask 0\): the database refused UPSERT of row \[2, "bad"\]: new row for relation "checked" violates check constraint/,
    );
    await writer.close();
    assert.deepEqual(
      (await client.query("SELECT count(*)::int AS n FROM checked")).rows,
      [{ n: 0 }],
      "nothing of the batch committed",
    );
  });

  test("timed flushes write without a barrier", async () => {
    await table("timed", true);
    const sink = JdbcSink.create({
      url,
      table: "timed",
      columns: COLUMNS,
      primaryKey: ["id"],
      flushIntervalMs: 20,
    });
    const writer = sink.createWriter(ctx);
    await writer.write([row(I, [7, "late", null, null, null, null, null, null])]);
    const deadline = Date.now() + 5_000;
    while ((await contents("timed")).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal((await contents("timed")).length, 1);
    await writer.close();
  });

  test("bad options fail when the sink is created", () => {
    assert.throws(
      () => JdbcSink.create({ url, table: "t", columns: COLUMNS, primaryKey: ["nope"] }),
      /JDBC sink \(table "t"\): primary key column "nope" is not one of the columns id, name/,
    );
    assert.throws(
      () => JdbcSink.create({ url: "http://x", table: "t", columns: COLUMNS }),
      /unsupported database URL "http:\/\/x"/,
    );
    assert.throws(
      () =>
        JdbcSink.create({
          url,
          table: "t",
          columns: [{ name: "m", type: { kind: "MAP", key: INT, value: INT, nullable: true } }],
        }),
      /column "m": values of type MAP cannot be written/,
    );
  });

  test("a missing table is reported by name", async () => {
    const writer = JdbcSink.create({
      url,
      table: "missing",
      columns: COLUMNS,
      primaryKey: ["id"],
    }).createWriter(ctx);
    await writer.write([row(I, [1, "a", null, null, null, null, null, null])]);
    await assert.rejects(
      async () => writer.flush(false),
      /cannot open: table "public"."missing" does not exist/,
    );
    await writer.close();
  });
});

describe("JDBC sink into MariaDB", () => {
  let client: mysql.Connection;
  const url = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
  const name = `weir_sink_${process.pid}_${Date.now()}`;

  before(async () => {
    client = await mysql.createConnection({
      host: "127.0.0.1",
      port: 3306,
      user: "root",
      database: "test",
      timezone: "Z",
    });
    await client.query(
      `CREATE TABLE ${name} (id int PRIMARY KEY, name text, price decimal(10,2), day date, at datetime(3), data varbinary(100), big bigint, flag boolean)`,
    );
  });
  after(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${name}`);
    await client?.end();
  });

  test("upserts and deletes by primary key with exact values", async () => {
    const sink = JdbcSink.create({ url, table: name, columns: COLUMNS, primaryKey: ["id"], maxRows: 2 });
    const full = (id: number, label: string) => [
      id,
      label,
      -1205n,
      18_000,
      1577836800500,
      Uint8Array.of(0, 16),
      -9007199254740993n,
      false,
    ];
    await drive(sink.createWriter(ctx), [
      [row(I, full(1, "a")), row(I, full(2, "b")), row(I, full(3, "c"))],
      [
        row(UB, full(1, "a")),
        row(UA, full(1, "a2")),
        row(D, full(2, "b")),
        row(I, full(2, "b2")),
        row(D, full(3, "c")),
      ],
    ]);
    const [rows] = await client.query<mysql.RowDataPacket[]>(
      `SELECT id, name, CAST(price AS CHAR) AS price, CAST(day AS CHAR) AS day, CAST(at AS CHAR) AS at, HEX(data) AS data, CAST(big AS CHAR) AS big, flag FROM ${name} ORDER BY id`,
    );
    const expected = (id: number, label: string) => ({
      id,
      name: label,
      price: "-12.05",
      day: "2019-04-14",
      at: "2020-01-01 00:00:00.500",
      data: "0010",
      big: "-9007199254740993",
      flag: 0,
    });
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      [expected(1, "a2"), expected(2, "b2")],
    );
  });

  test("a refused row is named", async () => {
    const writer = JdbcSink.create({ url, table: name, columns: COLUMNS, primaryKey: ["id"] }).createWriter(
      ctx,
    );
    await writer.write([
      row(I, [10, "ok", 1n, 0, 0, null, null, null]),
      row(I, [11, "too big", 10n ** 12n, 0, 0, null, null, null]),
    ]);
    await assert.rejects(
      async () => writer.flush(false),
      /refused UPSERT of row \[11, "too big", 1000000000000n.*Out of range/,
    );
    await writer.close();
  });
});
