/**
 * The MySQL CDC source against a real MariaDB started by the test (binary log on, ROW format, FULL
 * row metadata): snapshot then binlog with exact values, a restore in the middle of a transaction,
 * and a restore in the middle of the snapshot, checked with the strict and upsert changelog models.
 * Bad records: mysql-cdc-bad-records.test.ts.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type { SqlValue } from "@weir/sql";
import type mysql from "mysql2/promise";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { applyStrict, applyUpsert, pollUntil } from "../testing/cdc-reader-harness.ts";
import { useMariadbDatabase } from "../testing/mariadb-server.ts";
import { mysqlCdcReaderHarness } from "../testing/mysql-cdc-reader-harness.ts";

const shop = useMariadbDatabase("shop");

const { options, reader } = mysqlCdcReaderHarness(shop, 100);

async function rows(table: string): Promise<Map<string, SqlValue[]>> {
  const [result] = await shop.db.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${table} ORDER BY id`);
  return new Map(result.map((r) => [String(r.id), [r.id as number, r.v as string | null]]));
}

test("snapshot then binlog: exact values, +I, -U/+U, -D", async () => {
  await shop.db.query(`CREATE TABLE typed (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(12,3), d DATE,
    dt DATETIME(3), ts TIMESTAMP(6) NULL, b VARBINARY(10), t TEXT, f DOUBLE, small TINYINT, u INT UNSIGNED)`);
  const values =
    "(1, 'Ada', -12345.678, '2024-02-29', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.123456', x'00ff', 'text', 1.5, -3, 4294967295)";
  await shop.db.query(`INSERT INTO typed VALUES ${values}`);
  const r = reader(options([{ table: "typed" }]));
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await shop.db.query(`INSERT INTO typed VALUES ${values.replace("(1,", "(2,")}`);
  await shop.db.query("UPDATE typed SET name = 'Grace', amount = 0.001 WHERE id = 2");
  await shop.db.query("DELETE FROM typed WHERE id = 1");
  await pollUntil(r, events, (e) => e.length >= 5);
  await r.close();
  const row = (id: bigint, name: string, amount: bigint) => [
    id,
    name,
    amount,
    19782,
    Date.UTC(2024, 1, 29, 12, 34, 56, 789),
    // TIMESTAMP(6): the microseconds are the fraction of the millisecond (@weir/sql values.ts).
    (Date.UTC(2024, 1, 29, 12, 34, 56, 123) * 1000 + 456) / 1000,
    Uint8Array.of(0, 255),
    "text",
    1.5,
    -3,
    4294967295n,
  ];
  assert.deepEqual(
    events.map((e) => [e.kind, e.table, e.fields]),
    [
      [0, "shop.typed", row(1n, "Ada", -12345678n)],
      [0, "shop.typed", row(2n, "Ada", -12345678n)],
      [1, "shop.typed", row(2n, "Ada", -12345678n)],
      [2, "shop.typed", row(2n, "Grace", 1n)],
      [3, "shop.typed", row(1n, "Ada", -12345678n)],
    ],
  );
});

test("a restore mid-transaction resumes after the last emitted row change", async () => {
  await shop.db.query("CREATE TABLE moves (id INT PRIMARY KEY, v VARCHAR(10))");
  const opts = options([{ table: "moves" }], { startupMode: "latest-offset" });
  const first = reader(opts, undefined, 3);
  const events: ChangeEvent[] = [];
  await pollUntil(first, events, () => false, { polls: 5 });
  await new Promise((r) => setTimeout(r, 300));
  await shop.db.query(
    "INSERT INTO moves VALUES (1,'a'),(2,'a'),(3,'a'),(4,'a'),(5,'a'),(6,'a'),(7,'a'),(8,'a'),(9,'a'),(10,'a')",
  );
  await shop.db.query("UPDATE moves SET v = 'b'");
  await pollUntil(first, events, (e) => e.length >= 12);
  const [split] = first.snapshotState(1);
  assert.equal(split!.phase, "stream");
  assert.ok(
    split!.skipChanges > 0,
    `the checkpoint is inside the update transaction (${JSON.stringify(split)})`,
  );
  const emitted = events.length;
  await first.close();
  const second = reader(opts, split);
  const resumed: ChangeEvent[] = [];
  await pollUntil(second, resumed, (e) => emitted + e.length >= 30);
  await second.close();
  const all = [...events.slice(0, emitted), ...resumed];
  assert.equal(all.length, 30);
  assert.deepEqual(applyStrict(all, true), await rows("moves"));
});

test("a restore mid-snapshot re-reads the rest and replays the binlog: an upsert sink converges", async () => {
  await shop.db.query("CREATE TABLE replayed (id INT PRIMARY KEY, v VARCHAR(10))");
  const values = Array.from({ length: 60 }, (_, i) => `(${i + 1}, 'r${i + 1}')`).join(", ");
  await shop.db.query(`INSERT INTO replayed VALUES ${values}`);
  const opts = options([{ table: "replayed" }], { snapshotFetchSize: 10 });
  const first = reader(opts, undefined, 5);
  const firstEvents: ChangeEvent[] = [];
  await pollUntil(first, firstEvents, (e) => e.length >= 20);
  const [checkpointed] = first.snapshotState(1);
  assert.equal(checkpointed!.phase, "snapshot");
  await pollUntil(first, firstEvents, (e) => e.length >= 45);
  await first.close();
  const sink = applyUpsert(firstEvents, new Map());
  await shop.db.query("DELETE FROM replayed WHERE id IN (5, 30, 40)");
  await shop.db.query("UPDATE replayed SET v = 'changed' WHERE id IN (6, 31)");
  await shop.db.query("INSERT INTO replayed VALUES (100, 'new')");
  const second = reader(opts, checkpointed, 7);
  const secondEvents: ChangeEvent[] = [];
  const expected = await rows("replayed");
  await pollUntil(second, secondEvents, (e) => isDeepStrictEqual(applyUpsert(e, new Map(sink)), expected));
  await second.close();
});
