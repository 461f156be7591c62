/**
 * OVER aggregation end to end through `runSqlScript`: a JSON-lines file with an event-time
 * watermark, read by two parallel subtasks, rows out of time order within the watermark delay.
 * Expected rows are worked out by hand from the data below (frames end at each row; RANGE frames
 * include the peers of equal time).
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// [k, v, second of 08:00]; `a, 4` arrives after `a, 2` but is a second earlier.
const ROWS: [string, number, number][] = [
  ["a", 1, 1],
  ["a", 2, 3],
  ["b", 5, 2],
  ["a", 4, 2],
  ["a", 8, 20],
  ["b", 6, 4],
];

let dir = "";
let ddl = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-over-"));
  const lines = ROWS.map(([k, v, s]) =>
    JSON.stringify({ k, v, ts: `2020-04-15 08:00:${String(s).padStart(2, "0")}.000` }),
  );
  await writeFile(join(dir, "t.jsonl"), `${lines.join("\n")}\n`);
  ddl = `CREATE TABLE t (k STRING, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '10' SECOND)
    WITH ('connector' = 'filesystem', 'path' = '${join(dir, "t.jsonl")}', 'format' = 'json');`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function select(query: string): Promise<Record<string, unknown>[]> {
  const { results } = await runSqlScript(`${ddl}\n${query};`, { parallelism: 2 });
  const last = results[results.length - 1]!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows : [];
}

/** Rows as compact text, sorted (the collect order across partitions is not defined). */
function sorted(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => Object.values(r).join(",")).sort();
}

describe("OVER aggregation end to end", () => {
  test("ROWS BETWEEN 1 PRECEDING AND CURRENT ROW per partition, in event-time order", async () => {
    const rows = await select(
      `SELECT k, v, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM t`,
    );
    // a in time order: 1, 4, 2, 8 -> 1, 5, 6, 10; b: 5, 6 -> 5, 11.
    assert.deepEqual(sorted(rows), ["a,1,1", "a,2,6", "a,4,5", "a,8,10", "b,5,5", "b,6,11"]);
  });

  test("RANGE INTERVAL '2' SECOND PRECEDING with two calls sharing the window", async () => {
    const rows = await select(
      `SELECT k, v, COUNT(*) OVER w AS c, SUM(v) OVER w AS s FROM t
       WINDOW w AS (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW)`,
    );
    // a: @1 {1}; @2 {1,4}; @3 {1,4,2}; @20 {8}. b: @2 {5}; @4 {5,6}.
    assert.deepEqual(sorted(rows), ["a,1,1,1", "a,2,3,7", "a,4,2,5", "a,8,1,8", "b,5,1,5", "b,6,2,11"]);
  });

  test("processing time: each row counts the rows of its partition that came before it", async () => {
    const rows = await select(
      `SELECT k, c FROM (
         SELECT k, COUNT(*) OVER (PARTITION BY k ORDER BY pt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c
         FROM (SELECT k, PROCTIME() AS pt FROM t))`,
    );
    // Whatever the arrival order, a's four rows count 1..4 and b's two rows 1..2.
    assert.deepEqual(sorted(rows), ["a,1", "a,2", "a,3", "a,4", "b,1", "b,2"]);
  });

  test("no partition, SQL's default frame: rows of equal time are peers", async () => {
    const rows = await select(`SELECT k, v, COUNT(*) OVER (ORDER BY ts) AS c FROM t`);
    // Times 1, 2, 2, 3, 4, 20: counts 1, 3, 3, 4, 5, 6.
    assert.deepEqual(sorted(rows), ["a,1,1", "a,2,4", "a,4,3", "a,8,6", "b,5,3", "b,6,5"]);
  });
});
