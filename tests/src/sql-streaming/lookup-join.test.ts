/**
 * Processing-time lookup joins end to end through `runSqlScript`: orders (a CSV file read by two
 * subtasks, with a PROCTIME() column) joined FOR SYSTEM_TIME AS OF their processing time with a
 * `filesystem` table looked up by key, as Nexmark q13 does. Expected rows are worked out by hand
 * from the data below and compared as multisets (two subtasks interleave their output).
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

let dir = "";
let ddl = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-lookup-"));
  // id, currency (empty = NULL via csv.null-literal), amount
  await writeFile(join(dir, "orders.csv"), "1,EUR,100\n2,USD,300\n3,JPY,5\n4,,7\n5,EUR,114\n12,EUR,1\n");
  // EUR has two versions of the row (two matches); GBP is never asked for.
  await writeFile(join(dir, "rates.csv"), "EUR,114\nUSD,102\nEUR,115\nGBP,130\n");
  // A side table keyed by BIGINT, joined on an expression of the left row (q13's `mod(…) = key`).
  await writeFile(join(dir, "side.csv"), "0,zero\n1,one\n2,two\n");
  ddl = `
CREATE TABLE orders (id BIGINT, cur STRING, amount INT, pt AS PROCTIME()) WITH (
  'connector' = 'filesystem', 'path' = '${join(dir, "orders.csv")}', 'format' = 'csv', 'csv.null-literal' = '');
CREATE TABLE rates (cur STRING, rate INT) WITH (
  'connector' = 'filesystem', 'path' = '${join(dir, "rates.csv")}', 'format' = 'csv');
CREATE TABLE side (key BIGINT, \`value\` STRING) WITH (
  'connector' = 'filesystem', 'path' = '${join(dir, "side.csv")}', 'format' = 'csv');`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function select(sql: string): Promise<Record<string, unknown>[]> {
  const run = await runSqlScript(`${ddl}\n${sql}`, { parallelism: 2 });
  const last = run.results.at(-1)!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows : [];
}

function sorted(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe("lookup join (FOR SYSTEM_TIME AS OF a processing-time attribute)", () => {
  test("INNER: one output row per matching table row; unmatched and NULL keys drop out", async () => {
    const rows = await select(
      "SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.cur = r.cur;",
    );
    assert.deepEqual(
      sorted(rows),
      sorted([
        { id: 1, rate: 114 },
        { id: 1, rate: 115 },
        { id: 2, rate: 102 },
        { id: 5, rate: 114 },
        { id: 5, rate: 115 },
        { id: 12, rate: 114 },
        { id: 12, rate: 115 },
      ]),
    );
  });

  test("LEFT with a condition on the joined row: NULL-padded when no table row passes", async () => {
    const rows = await select(
      `SELECT o.id, r.rate FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r
       ON o.cur = r.cur AND r.rate > o.amount;`,
    );
    // 1: 114 and 115 exceed 100; 2: 102 < 300; 3: no JPY; 4: NULL key; 5: only 115 > 114; 12: both.
    assert.deepEqual(
      sorted(rows),
      sorted([
        { id: 1, rate: 114 },
        { id: 1, rate: 115 },
        { id: 2, rate: null },
        { id: 3, rate: null },
        { id: 4, rate: null },
        { id: 5, rate: 115 },
        { id: 12, rate: 114 },
        { id: 12, rate: 115 },
      ]),
    );
  });

  test("q13's shape: the key is an expression of the left row; WHERE on the table filters matches", async () => {
    const rows = await select(
      `SELECT o.id, s.\`value\` FROM orders o JOIN side FOR SYSTEM_TIME AS OF o.pt AS s
       ON MOD(o.id, 10) = s.key WHERE s.\`value\` <> 'two';`,
    );
    // id mod 10: 1→one, 2→two (filtered), 3,4,5→none, 12→2→two (filtered).
    assert.deepEqual(rows, [{ id: 1, value: "one" }]);
  });
});
