/**
 * End-to-end: SQL planned, translated into a DataStream graph and run on the local runtime; the
 * materialized results are compared with answers worked out by hand.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { runJob } from "@weir/runtime";
import { materializeChangelog } from "../client/changelog-materializer.ts";
import type { Row } from "../data/row.ts";
import { SQL_JOB_MODULE, takeResultSink } from "../job/sql-job.ts";
import { parseStatements } from "../parse.ts";

/** Runs the last statement of `script` (a SELECT) as a job; returns its final rows, sorted. */
async function query(
  script: string,
  options: { parallelism?: number; config?: Record<string, string> } = {},
): Promise<Row[]> {
  const statements = parseStatements(script);
  const runId = randomUUID();
  const result = await runJob(SQL_JOB_MODULE, {
    parallelism: options.parallelism ?? 1,
    params: { script, statementIndex: statements.length - 1, config: options.config ?? {}, runId },
  });
  const sink = takeResultSink(runId);
  assert.ok(sink !== null);
  const rows = materializeChangelog(result.collected(sink));
  return rows.sort((a, b) => (JSON.stringify(a, big) < JSON.stringify(b, big) ? -1 : 1));
}

const big = (_key: string, value: unknown) => (typeof value === "bigint" ? `${value}n` : value);

const NUMBERS = `CREATE TABLE numbers (id BIGINT, name STRING) WITH (
  'connector' = 'datagen', 'number-of-rows' = '12', 'seed' = '1',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '12',
  'fields.name.length' = '3');`;

describe("translated SQL jobs", () => {
  it("runs a grouped aggregation over VALUES with retraction-free results", async () => {
    const rows = await query(
      "SELECT k, COUNT(*) AS c, SUM(v) AS s FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t(k, v) GROUP BY k",
    );
    assert.deepEqual(rows, [
      ["a", 2n, 4],
      ["b", 1n, 2],
    ]);
  });

  it("filters, projects and aggregates a datagen table at parallelism 2", async () => {
    const rows = await query(
      `${NUMBERS} SELECT id % 3 AS r, COUNT(*) AS c, SUM(id) AS s FROM numbers WHERE id > 2 GROUP BY id % 3`,
      { parallelism: 2 },
    );
    // ids 3..12: remainder 0: 3,6,9,12; 1: 4,7,10; 2: 5,8,11
    assert.deepEqual(rows, [
      [0n, 4n, 30n],
      [1n, 3n, 21n],
      [2n, 3n, 24n],
    ]);
  });

  it("joins two tables on a key", async () => {
    const rows = await query(
      `${NUMBERS}
       SELECT n.id, t.label FROM numbers n
       JOIN (VALUES (CAST(2 AS BIGINT), 'two'), (CAST(6 AS BIGINT), 'six'), (CAST(99 AS BIGINT), 'one')) AS t(id, label)
       ON n.id = t.id`,
    );
    assert.deepEqual(rows, [
      [2n, "two"],
      [6n, "six"],
    ]);
  });

  it("keeps NULL-padded rows of a LEFT JOIN", async () => {
    const rows = await query(
      `SELECT a.k, b.v FROM (VALUES (1), (2), (3)) AS a(k) LEFT JOIN (VALUES (2, 'x'), (3, 'y'), (3, 'z')) AS b(k, v) ON a.k = b.k`,
    );
    assert.deepEqual(rows, [
      [1, null],
      [2, "x"],
      [3, "y"],
      [3, "z"],
    ]);
  });

  it("computes Top-N per partition", async () => {
    const rows = await query(
      `SELECT g, v FROM (
         SELECT g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v DESC) AS rn
         FROM (VALUES ('a', 1), ('a', 5), ('a', 3), ('b', 2), ('b', 7)) AS t(g, v))
       WHERE rn <= 2`,
    );
    assert.deepEqual(rows, [
      ["a", 3],
      ["a", 5],
      ["b", 2],
      ["b", 7],
    ]);
  });

  it("sorts and limits a bounded input", async () => {
    const rows = await query(`${NUMBERS} SELECT id FROM numbers ORDER BY id DESC LIMIT 3`, {
      parallelism: 2,
    });
    assert.deepEqual(rows, [[10n], [11n], [12n]]);
  });

  it("runs set operations and subqueries with SQL's NULL semantics", async () => {
    const union = await query(
      "SELECT x FROM (VALUES (1), (2), (2)) AS a(x) UNION SELECT y FROM (VALUES (2), (3)) AS b(y)",
    );
    assert.deepEqual(union, [[1], [2], [3]]);
    const except = await query(
      "SELECT x FROM (VALUES (1), (2), (3)) AS a(x) EXCEPT SELECT y FROM (VALUES (2)) AS b(y)",
    );
    assert.deepEqual(except, [[1], [3]]);
    const notIn = await query(
      "SELECT x FROM (VALUES (1), (2)) AS a(x) WHERE x NOT IN (SELECT y FROM (VALUES (2), (CAST(NULL AS INT))) AS b(y))",
    );
    assert.deepEqual(notIn, []);
    const exists = await query(
      "SELECT x FROM (VALUES (1), (2), (3)) AS a(x) WHERE EXISTS (SELECT 1 FROM (VALUES (2), (3)) AS b(y) WHERE b.y = a.x)",
    );
    assert.deepEqual(exists, [[2], [3]]);
  });

  it("gives the same rows in batch mode", async () => {
    const sql = `${NUMBERS} SELECT id % 2 AS r, MAX(id) AS m FROM numbers GROUP BY id % 2`;
    const streaming = await query(sql);
    const batch = await query(sql, { config: { "execution.runtime-mode": "batch" } });
    assert.deepEqual(batch, streaming);
    assert.deepEqual(streaming, [
      [0n, 12n],
      [1n, 11n],
    ]);
  });

  it("computes HAVING, DISTINCT aggregates, FILTER and scalar subqueries", async () => {
    const data = "(VALUES ('a', 1), ('a', 1), ('a', 2), ('b', 5), ('c', 7)) AS t(k, v)";
    const rows = await query(
      `SELECT k, COUNT(DISTINCT v) AS d, SUM(v) FILTER (WHERE v > 1) AS big, (SELECT MAX(v) FROM ${data}) AS top
       FROM ${data} GROUP BY k HAVING COUNT(*) > 1 OR k = 'c'`,
    );
    assert.deepEqual(rows, [
      ["a", 2n, 2, 7],
      ["c", 1n, 7, 7],
    ]);
    const distinct = await query(`SELECT DISTINCT k FROM ${data} WHERE v < 6`);
    assert.deepEqual(distinct, [["a"], ["b"]]);
  });

  it("evaluates a SELECT without FROM", async () => {
    assert.deepEqual(await query("SELECT 1 + 1 AS two, UPPER('x') AS x"), [[2, "X"]]);
  });

  it("runs two-phase aggregation with mini-batch and gets the same rows", async () => {
    const sql = `${NUMBERS} SELECT id % 4 AS r, COUNT(*) AS c, SUM(id) AS s FROM numbers GROUP BY id % 4`;
    const config = {
      "table.exec.mini-batch.enabled": "true",
      "table.exec.mini-batch.allow-latency": "100 ms",
      "table.exec.mini-batch.size": "5",
      "table.optimizer.agg-phase-strategy": "TWO_PHASE",
    };
    const rows = await query(sql, { parallelism: 2, config });
    assert.deepEqual(rows, [
      [0n, 3n, 24n],
      [1n, 3n, 15n],
      [2n, 3n, 18n],
      [3n, 3n, 21n],
    ]);
  });

  it("decorrelates a correlated IN subquery", async () => {
    const rows = await query(
      `SELECT o.k, o.v FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) AS o(k, v)
       WHERE o.v IN (SELECT m.v FROM (VALUES ('a', 2), ('b', 1), ('b', 3)) AS m(k, v) WHERE m.k = o.k)`,
    );
    assert.deepEqual(rows, [
      ["a", 2],
      ["b", 3],
    ]);
  });

  it("merges USING columns, with COALESCE for a FULL join", async () => {
    const l = "(VALUES (1, 'a'), (2, 'b')) AS l(k, x)";
    const r = "(VALUES (1, 'c'), (3, 'd')) AS r(k, y)";
    assert.deepEqual(await query(`SELECT * FROM ${l} JOIN ${r} USING (k)`), [[1, "a", "c"]]);
    assert.deepEqual(await query(`SELECT k, x, y, l.k AS lk FROM ${l} FULL JOIN ${r} USING (k)`), [
      [1, "a", "c", 1],
      [2, "b", null, 2],
      [3, null, "d", 3],
    ]);
  });

  it("feeds updating results into aggregates, joins and sorts", async () => {
    const data = "(VALUES ('a'), ('a'), ('b'), ('c'), ('c'), ('c')) AS t(k)";
    const counts = `(SELECT k, COUNT(*) AS c FROM ${data} GROUP BY k)`;
    assert.deepEqual(await query(`SELECT c, COUNT(*) AS n FROM ${counts} GROUP BY c`, { parallelism: 2 }), [
      [1n, 1n],
      [2n, 1n],
      [3n, 1n],
    ]);
    assert.deepEqual(
      await query(
        `SELECT x.k, x.c, y.c FROM ${counts} x JOIN ${counts.replaceAll("t(k)", "u(k)")} y ON x.c = y.c + 1`,
      ),
      [
        ["a", 2n, 1n],
        ["c", 3n, 2n],
      ],
    );
    assert.deepEqual(await query(`SELECT k, c FROM ${counts} ORDER BY c DESC LIMIT 1`), [["c", 3n]]);
  });

  it("stamps event time on a table with WATERMARK FOR and keeps its rows", async () => {
    const rows = await query(
      `CREATE TABLE ev (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
         'connector' = 'datagen', 'number-of-rows' = '5', 'seed' = '3',
         'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '5');
       SELECT id FROM ev WHERE ts IS NOT NULL`,
    );
    assert.deepEqual(rows, [[1n], [2n], [3n], [4n], [5n]]);
  });

  it("runs every INSERT of a statement set in one job", async () => {
    const script = `${NUMBERS}
      CREATE TABLE counts (r BIGINT, c BIGINT) WITH ('connector' = 'blackhole');
      CREATE TABLE copies (id BIGINT) WITH ('connector' = 'blackhole');
      EXECUTE STATEMENT SET BEGIN
        INSERT INTO counts SELECT id % 2, COUNT(*) FROM numbers GROUP BY id % 2;
        INSERT INTO copies SELECT id FROM numbers WHERE id > 6;
      END;`;
    const statements = parseStatements(script);
    const runId = randomUUID();
    await runJob(SQL_JOB_MODULE, {
      parallelism: 2,
      params: { script, statementIndex: statements.length - 1, config: {}, runId },
    });
    assert.equal(takeResultSink(runId), null);
  });

  it("decorrelates aggregating scalar subqueries, with COUNT 0 for outer rows without matches", async () => {
    const rows = await query(
      `SELECT k,
         (SELECT COUNT(*) FROM (VALUES (1, 5), (1, 7), (3, 2)) AS o(c, v) WHERE o.c = t.k) AS n,
         (SELECT MAX(v) FROM (VALUES (1, 5), (1, 7), (3, 2)) AS o(c, v) WHERE o.c = t.k) AS m
       FROM (VALUES (1), (2), (3)) AS t(k)`,
    );
    assert.deepEqual(rows, [
      [1, 2n, 7],
      [2, 0n, null],
      [3, 1n, 2],
    ]);
  });

  it("aggregates GROUPING SETS, ROLLUP and CUBE through one expanded aggregation", async () => {
    const data = "(VALUES ('x', 'p', 1), ('x', 'q', 2), ('y', 'p', 4)) AS t(a, b, v)";
    assert.deepEqual(
      await query(`SELECT a, b, SUM(v) AS s FROM ${data} GROUP BY ROLLUP (a, b)`),
      [
        ["x", "p", 1],
        ["x", "q", 2],
        ["x", null, 3],
        ["y", "p", 4],
        ["y", null, 4],
        [null, null, 7],
      ].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)),
    );
    assert.deepEqual(
      await query(`SELECT b, COUNT(*) AS n FROM ${data} GROUP BY GROUPING SETS ((b), ())`),
      [
        ["p", 2n],
        ["q", 1n],
        [null, 3n],
      ].sort((x, y) => (JSON.stringify(x, big) < JSON.stringify(y, big) ? -1 : 1)),
    );
  });
});
