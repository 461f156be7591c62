/**
 * Parquet interoperability with an independent implementation: DuckDB writes Parquet files that
 * Weir's SQL filesystem connector reads, and reads the partitioned Parquet files Weir's SQL sink
 * writes. Expected values are literals here, not output of the code under test.
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadRunSqlScript } from "./sql-runner-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "weir-parquet-duckdb-"));
const duckdb = await DuckDBInstance.create(":memory:");
after(() => {
  duckdb.closeSync();
  rmSync(dir, { recursive: true, force: true });
});
const runSqlScript = await loadRunSqlScript();

const COLUMNS =
  "id INT, n BIGINT, x DOUBLE, amount DECIMAL(18, 3), name STRING, ok BOOLEAN, d DATE, ts TIMESTAMP(3), raw BYTES";

async function weirSelect(script: string): Promise<Record<string, unknown>[]> {
  const { results } = await runSqlScript(script, {
    parallelism: 2,
    config: { "execution.runtime-mode": "batch" },
    signal: AbortSignal.timeout(60_000),
  });
  const select = results.find((r) => r.kind === "select");
  return select?.kind === "select" ? select.rows : [];
}

const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Number(a.id ?? Number.MAX_SAFE_INTEGER) - Number(b.id ?? Number.MAX_SAFE_INTEGER);

test("Weir reads a Parquet file DuckDB wrote (all scalar types, NULLs, several row groups)", async () => {
  const file = join(dir, "from-duckdb.parquet");
  const connection = await duckdb.connect();
  try {
    await connection.run(
      `COPY (
        SELECT 1::INTEGER AS id, -10::BIGINT AS n, 1.5::DOUBLE AS x, -12.345::DECIMAL(18, 3) AS amount,
               'héllo'::VARCHAR AS name, true AS ok, DATE '2020-04-15' AS d,
               TIMESTAMP '2020-04-15 01:02:03.456' AS ts, '\\x01\\xFF'::BLOB AS raw
        UNION ALL SELECT 2, 9007199254740993, -0.25, 999999999999999.999, 'b', false, DATE '1969-12-31',
               TIMESTAMP '1969-12-31 23:59:59.999', ''::BLOB
        UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      ) TO '${file}' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 1)`,
    );
  } finally {
    connection.closeSync();
  }
  const rows = await weirSelect(
    `CREATE TABLE t (${COLUMNS}) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'parquet');
     SELECT * FROM t;`,
  );
  assert.deepEqual(rows.sort(byId), [
    {
      id: 1,
      n: -10,
      x: 1.5,
      amount: "-12.345",
      name: "héllo",
      ok: true,
      d: "2020-04-15",
      ts: "2020-04-15 01:02:03.456",
      raw: "01ff",
    },
    {
      id: 2,
      n: "9007199254740993",
      x: -0.25,
      amount: "999999999999999.999",
      name: "b",
      ok: false,
      d: "1969-12-31",
      ts: "1969-12-31 23:59:59.999",
      raw: "",
    },
    { id: null, n: null, x: null, amount: null, name: null, ok: null, d: null, ts: null, raw: null },
  ]);
});

test("DuckDB reads the partitioned Parquet files Weir's SQL sink wrote", async () => {
  const out = join(dir, "from-weir");
  await weirSelect(
    `CREATE TABLE t (${COLUMNS}, region STRING) PARTITIONED BY (region) WITH (
       'connector' = 'filesystem', 'path' = '${out}', 'format' = 'parquet', 'parquet.compression' = 'GZIP');
     INSERT INTO t VALUES
       (1, -10, 1.5, -12.345, 'héllo', TRUE, DATE '2020-04-15', TIMESTAMP '2020-04-15 01:02:03.456', X'01FF', 'eu'),
       (2, 9007199254740993, -0.25, 999999999999999.999, 'b', FALSE, DATE '1969-12-31',
        TIMESTAMP '1969-12-31 23:59:59.999', X'', 'us'),
       (3, CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE), CAST(NULL AS DECIMAL(18, 3)), CAST(NULL AS STRING),
        CAST(NULL AS BOOLEAN), CAST(NULL AS DATE), CAST(NULL AS TIMESTAMP(3)), CAST(NULL AS BYTES), 'eu');`,
  );
  const connection = await duckdb.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT id, n::VARCHAR AS n, x, amount::VARCHAR AS amount, name, ok, d::VARCHAR AS d,
              strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS ts, hex(raw) AS raw, region,
              typeof(amount) AS amount_type, typeof(ts) AS ts_type
       FROM read_parquet('${out}/*/*.parquet', hive_partitioning = true) ORDER BY id`,
    );
    assert.deepEqual(reader.getRowObjectsJson(), [
      {
        id: 1,
        n: "-10",
        x: 1.5,
        amount: "-12.345",
        name: "héllo",
        ok: true,
        d: "2020-04-15",
        ts: "2020-04-15 01:02:03.456",
        raw: "01FF",
        region: "eu",
        amount_type: "DECIMAL(18,3)",
        ts_type: "TIMESTAMP",
      },
      {
        id: 2,
        n: "9007199254740993",
        x: -0.25,
        amount: "999999999999999.999",
        name: "b",
        ok: false,
        d: "1969-12-31",
        ts: "1969-12-31 23:59:59.999",
        raw: "",
        region: "us",
        amount_type: "DECIMAL(18,3)",
        ts_type: "TIMESTAMP",
      },
      {
        id: 3,
        n: null,
        x: null,
        amount: null,
        name: null,
        ok: null,
        d: null,
        ts: null,
        raw: null,
        region: "eu",
        amount_type: "DECIMAL(18,3)",
        ts_type: "TIMESTAMP",
      },
    ]);
  } finally {
    connection.closeSync();
  }
});

test("ARRAY, MAP and ROW columns cross between DuckDB and Weir in both directions", async () => {
  const file = join(dir, "nested.parquet");
  const out = join(dir, "nested-from-weir");
  const connection = await duckdb.connect();
  try {
    await connection.run(
      `COPY (
        SELECT 1 AS id, [1, NULL, 3] AS xs, MAP {'a': 1, 'b': NULL} AS m, {'x': 5, 'y': 'q'} AS r
        UNION ALL SELECT 2, [], MAP {}, NULL
        UNION ALL SELECT 3, NULL, NULL, {'x': NULL, 'y': NULL}
      ) TO '${file}' (FORMAT PARQUET)`,
    );
    const columns = "id INT, xs ARRAY<INT>, m MAP<STRING, INT>, r ROW<x INT, y STRING>";
    const rows = await weirSelect(
      `CREATE TABLE t (${columns}) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'parquet');
       CREATE TABLE o (${columns}) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'parquet');
       SELECT * FROM t;
       INSERT INTO o SELECT * FROM t;`,
    );
    assert.deepEqual(rows.sort(byId), [
      { id: 1, xs: [1, null, 3], m: { a: 1, b: null }, r: { x: 5, y: "q" } },
      { id: 2, xs: [], m: {}, r: null },
      { id: 3, xs: null, m: null, r: { x: null, y: null } },
    ]);
    const back = await connection.runAndReadAll(
      `SELECT id, xs, m, r FROM read_parquet('${out}/*.parquet') ORDER BY id`,
    );
    assert.deepEqual(back.getRowObjectsJson(), [
      {
        id: 1,
        xs: [1, null, 3],
        m: [
          { key: "a", value: 1 },
          { key: "b", value: null },
        ],
        r: { x: 5, y: "q" },
      },
      { id: 2, xs: [], m: [], r: null },
      { id: 3, xs: null, m: null, r: { x: null, y: null } },
    ]);
    const types = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}/*.parquet')`);
    assert.deepEqual(
      types.getRowObjectsJson().map((r) => [r.column_name, r.column_type]),
      [
        ["id", "INTEGER"],
        ["xs", "INTEGER[]"],
        ["m", "MAP(VARCHAR, INTEGER)"],
        ["r", "STRUCT(x INTEGER, y VARCHAR)"],
      ],
    );
  } finally {
    connection.closeSync();
  }
});
