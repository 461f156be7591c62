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
