/**
 * Window Top-N and window deduplication end to end through `runSqlScript`: bids (JSON lines with a
 * rowtime) in 10-second tumbling windows, read by two subtasks. Expected rows are worked out by hand
 * from the bids below; every window's rows are emitted once (insert-only), so the collected rows
 * are exactly the result.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// [item, price, second of 08:00]
const BIDS: [string, number, number][] = [
  ["A", 4, 1],
  ["B", 9, 2],
  ["A", 7, 5],
  ["C", 3, 9],
  ["A", 1, 12],
  ["C", 6, 15],
  ["B", 2, 17],
];

let dir = "";
let ddl = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-window-rank-"));
  const lines = BIDS.map(([item, price, s]) =>
    JSON.stringify({ item, price, ts: `2020-04-15 08:00:${String(s).padStart(2, "0")}` }),
  );
  await writeFile(join(dir, "bids.jsonl"), `${lines.join("\n")}\n`);
  ddl = `CREATE TABLE bids (item STRING, price INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
    WITH ('connector' = 'filesystem', 'path' = '${join(dir, "bids.jsonl")}', 'format' = 'json');`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TVF = "TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))";

async function select(sql: string): Promise<string[]> {
  const run = await runSqlScript(`${ddl}\n${sql}`, { parallelism: 2 });
  const last = run.results.at(-1)!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows.map((r) => JSON.stringify(r)).sort() : [];
}

const rows = (list: object[]): string[] => list.map((r) => JSON.stringify(r)).sort();
const W0 = "2020-04-15 08:00:00.000";
const W1 = "2020-04-15 08:00:10.000";

describe("window Top-N and deduplication", () => {
  test("Top-2 bids of each window, with their row number", async () => {
    const result = await select(
      `SELECT item, price, window_start, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
       ORDER BY price DESC) AS rn FROM ${TVF}) WHERE rn <= 2;`,
    );
    assert.deepEqual(
      result,
      rows([
        { item: "B", price: 9, window_start: W0, rn: 1 },
        { item: "A", price: 7, window_start: W0, rn: 2 },
        { item: "C", price: 6, window_start: W1, rn: 1 },
        { item: "B", price: 2, window_start: W1, rn: 2 },
      ]),
    );
  });

  test("Top-1 item by total of a window aggregation", async () => {
    const result = await select(
      `SELECT window_start, item, total FROM (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS rn FROM (
           SELECT window_start, window_end, item, SUM(price) AS total FROM ${TVF}
           GROUP BY window_start, window_end, item)) WHERE rn <= 1;`,
    );
    // Window 0: A 4+7=11, B 9, C 3. Window 1: A 1, C 6, B 2.
    assert.deepEqual(
      result,
      rows([
        { window_start: W0, item: "A", total: 11 },
        { window_start: W1, item: "C", total: 6 },
      ]),
    );
  });

  test("deduplication: the last bid of each item in each window", async () => {
    const result = await select(
      `SELECT item, price, window_start FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, item
       ORDER BY ts DESC) AS rn FROM ${TVF}) WHERE rn = 1;`,
    );
    assert.deepEqual(
      result,
      rows([
        { item: "A", price: 7, window_start: W0 },
        { item: "B", price: 9, window_start: W0 },
        { item: "C", price: 3, window_start: W0 },
        { item: "A", price: 1, window_start: W1 },
        { item: "C", price: 6, window_start: W1 },
        { item: "B", price: 2, window_start: W1 },
      ]),
    );
  });
});
