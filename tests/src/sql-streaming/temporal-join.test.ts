/**
 * Event-time temporal joins end to end through `runSqlScript`: orders (JSON lines with a rowtime)
 * joined FOR SYSTEM_TIME AS OF their time with a versioned rates table — a table with a primary key
 * and a watermark, and a versioned view made by keep-last-row deduplication of a rates log. Two
 * subtasks; expected rows are worked out by hand from the data below.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// [id, currency, minute of 10:00]
const ORDERS: [number, string, number][] = [
  [1, "EUR", 10],
  [2, "EUR", 20],
  [3, "USD", 5],
  [4, "JPY", 30],
  [5, "USD", -60],
  [6, "GBP", 40],
];
// [currency, rate, minute of 10:00]: EUR changes at 10:15.
const RATES: [string, number, number][] = [
  ["EUR", 114, 0],
  ["USD", 102, 0],
  ["EUR", 116, 15],
  ["GBP", 130, 0],
];

const at = (minute: number): string => {
  const total = 10 * 60 + minute;
  const hh = String(Math.floor(total / 60)).padStart(2, "0");
  const mm = String(total % 60).padStart(2, "0");
  return `2020-04-15 ${hh}:${mm}:00`;
};

let dir = "";
let ddl = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-temporal-"));
  const lines = (rows: object[]): string => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
  await writeFile(join(dir, "orders.jsonl"), lines(ORDERS.map(([id, cur, m]) => ({ id, cur, ts: at(m) }))));
  await writeFile(join(dir, "rates.jsonl"), lines(RATES.map(([cur, rate, m]) => ({ cur, rate, ts: at(m) }))));
  ddl = `
CREATE TABLE orders (id INT, cur STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
  'connector' = 'filesystem', 'path' = '${join(dir, "orders.jsonl")}', 'format' = 'json');
CREATE TABLE rates (cur STRING, rate INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts, PRIMARY KEY (cur) NOT ENFORCED)
  WITH ('connector' = 'filesystem', 'path' = '${join(dir, "rates.jsonl")}', 'format' = 'json');
CREATE TABLE rates_log (cur STRING, rate INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
  'connector' = 'filesystem', 'path' = '${join(dir, "rates.jsonl")}', 'format' = 'json');
CREATE VIEW rates_latest AS SELECT cur, rate, ts FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY cur ORDER BY ts DESC) AS rn FROM rates_log) WHERE rn = 1;`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function select(sql: string): Promise<string[]> {
  const run = await runSqlScript(`${ddl}\n${sql}`, { parallelism: 2 });
  const last = run.results.at(-1)!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows.map((r) => JSON.stringify(r)).sort() : [];
}

const rows = (list: object[]): string[] => list.map((r) => JSON.stringify(r)).sort();

describe("event-time temporal join (FOR SYSTEM_TIME AS OF a rowtime)", () => {
  test("INNER: the version valid at each order's time; none before the first version", async () => {
    const expected = rows([
      { id: 1, rate: 114 }, // EUR at 10:10: 114 (10:00) is valid
      { id: 2, rate: 116 }, // EUR at 10:20: 116 (10:15)
      { id: 3, rate: 102 },
      { id: 6, rate: 130 }, // JPY has no rates; USD at 09:00 is before its first version
    ]);
    const sql = (table: string) =>
      `SELECT o.id, r.rate FROM orders o JOIN ${table} FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur;`;
    assert.deepEqual(await select(sql("rates")), expected);
    assert.deepEqual(await select(sql("rates_latest")), expected, "a deduplicated log is a versioned view");
  });

  test("LEFT with a condition on the version: NULL-padded when the valid version fails it", async () => {
    const result = await select(
      `SELECT o.id, r.rate FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r
       ON o.cur = r.cur AND r.rate < 115;`,
    );
    // Order 2's valid version is 116 (not the older 114), so it is padded, not joined with 114.
    assert.deepEqual(
      result,
      rows([
        { id: 1, rate: 114 },
        { id: 2, rate: null },
        { id: 3, rate: 102 },
        { id: 4, rate: null },
        { id: 5, rate: null },
        { id: 6, rate: null },
      ]),
    );
  });
});
