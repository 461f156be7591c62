/**
 * The built-in `values` connector end to end through `runSqlScript`: a changelog written inline
 * (+I/-U/+U/-D, or upsert +I/+U/-D keyed by the primary key) feeds a GROUP BY, and the final rows
 * are those of the table after every change, worked out by hand below.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// After the changes: alice moved from eu to us with 12, bob was deleted, carol stays in eu with 7.
const RETRACT_DATA = `+I ["alice", "eu", 10]
+I ["bob", "us", 5]
+I ["carol", "eu", 7]
-U ["alice", "eu", 10]
+U ["alice", "us", 12]
-D ["bob", "us", 5]`;

const QUERY = "SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM balances GROUP BY region";

async function finalRows(script: string): Promise<Record<string, unknown>[]> {
  const { results } = await runSqlScript(script, { parallelism: 2 });
  const last = results.at(-1)!;
  assert.equal(last.kind, "select");
  if (last.kind !== "select") return [];
  return [...last.rows].sort((a, b) => String(a.region).localeCompare(String(b.region)));
}

test("a retract changelog from 'values' feeds a GROUP BY that materializes the final table", async () => {
  const rows = await finalRows(`CREATE TABLE balances (who STRING, region STRING, amount INT) WITH (
    'connector' = 'values', 'changelog-mode' = 'I,UB,UA,D', 'data' = '${RETRACT_DATA}');
    ${QUERY};`);
  assert.deepEqual(rows, [
    { region: "eu", n: 1, total: 7 },
    { region: "us", n: 1, total: 12 },
  ]);
});

test("an upsert changelog from 'values' is normalized by its primary key before the GROUP BY", async () => {
  // +U for alice replaces her eu row without a -U; the -D for bob carries his key.
  const rows = await finalRows(`CREATE TABLE balances (
      who STRING NOT NULL, region STRING, amount INT, PRIMARY KEY (who) NOT ENFORCED) WITH (
    'connector' = 'values', 'changelog-mode' = 'I,UA,D', 'data' = '
      +I ["alice", "eu", 10]
      +I ["bob", "us", 5]
      +U ["alice", "us", 12]
      +I ["dave", "eu", 1]
      -D ["bob", "us", 5]');
    ${QUERY};`);
  assert.deepEqual(rows, [
    { region: "eu", n: 1, total: 1 },
    { region: "us", n: 1, total: 12 },
  ]);
});

test("an insert-only 'values' table rejects a changelog row, naming the line", async () => {
  await assert.rejects(
    runSqlScript(`CREATE TABLE balances (who STRING, region STRING, amount INT) WITH (
      'connector' = 'values', 'data' = '${RETRACT_DATA}');
      ${QUERY};`),
    /line 4: a -U row, but 'changelog-mode' = 'I' does not allow it/,
  );
});

test("a retract changelog read at parallelism 1 keeps each row's changes in order into a wider job", async () => {
  // Every key is inserted, then updated twice (the amount grows), then half are deleted. Between
  // the source (parallelism 1) and the filter (parallelism 4) the planner must hash by row, or a
  // -U could reach the aggregation on another channel before the +I it retracts, and be dropped.
  const keys = 300;
  const lines: string[] = [];
  for (let k = 0; k < keys; k++) lines.push(`+I ["k${k}", "r${k % 3}", ${k}]`);
  for (let step = 1; step <= 2; step++)
    for (let k = 0; k < keys; k++)
      lines.push(`-U ["k${k}", "r${k % 3}", ${k + step - 1}]`, `+U ["k${k}", "r${k % 3}", ${k + step}]`);
  for (let k = 0; k < keys; k += 2) lines.push(`-D ["k${k}", "r${k % 3}", ${k + 2}]`);
  const { results } = await runSqlScript(
    `CREATE TABLE balances (who STRING, region STRING, amount INT) WITH (
      'connector' = 'values', 'changelog-mode' = 'I,UB,UA,D', 'scan.parallelism' = '1',
      'data' = '${lines.join("\n")}');
    SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM balances WHERE amount >= 0 GROUP BY region;`,
    { parallelism: 4 },
  );
  const last = results.at(-1)!;
  assert.equal(last.kind, "select");
  if (last.kind !== "select") return;
  // Expected, from the data's definition: odd keys survive with amount k + 2.
  const expected = new Map<string, { n: number; total: number }>();
  for (let k = 1; k < keys; k += 2) {
    const e = expected.get(`r${k % 3}`) ?? { n: 0, total: 0 };
    e.n++;
    e.total += k + 2;
    expected.set(`r${k % 3}`, e);
  }
  assert.deepEqual(
    [...last.rows].sort((a, b) => String(a.region).localeCompare(String(b.region))),
    [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([region, e]) => ({ region, ...e })),
  );
});
