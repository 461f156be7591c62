/**
 * Differential tests against DuckDB for OVER frames and interval joins: random bounded tables are
 * written as JSON lines for Weir (event time, with a watermark delay longer than the data's span,
 * so no row is late) and inserted into DuckDB, the same queries run in both, and the rows must be
 * equal as multisets. ROWS frames get distinct timestamps per table (peers of equal time have no
 * defined order in either engine); RANGE frames and joins get ties on purpose.
 *
 * The seed is printed in every failure; rerun with `WEIR_DIFF_SEED=<seed>`.
 * @module
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runSqlScript } from "weir/sql-runner";

const SEED = Number(process.env.WEIR_DIFF_SEED ?? Date.now() % 2 ** 31);
const RUNS = 2;

const duckdb = await DuckDBInstance.create(":memory:");
after(() => duckdb.closeSync());

/** A small seeded generator (mulberry32), so a failing seed reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Row {
  readonly n: number;
  readonly k: number;
  readonly v: number | null;
  readonly ms: number;
}

function rows(next: () => number, count: number, distinctTimes: boolean): Row[] {
  const used = new Set<number>();
  const out: Row[] = [];
  for (let n = 0; n < count; n++) {
    let ms = distinctTimes ? Math.floor(next() * 60_000) : Math.floor(next() * 30) * 1_000;
    while (distinctTimes && used.has(ms)) ms++;
    used.add(ms);
    out.push({ n, k: 1 + Math.floor(next() * 3), v: next() < 0.1 ? null : Math.floor(next() * 20), ms });
  }
  return out;
}

const timestamp = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

async function weirRows(dir: string, tables: Record<string, Row[]>, queries: readonly string[]) {
  const ddl: string[] = [];
  for (const [name, data] of Object.entries(tables)) {
    const path = join(dir, `${name}.jsonl`);
    await writeFile(
      path,
      data.map((r) => JSON.stringify({ ...r, ts: timestamp(r.ms), ms: undefined })).join("\n"),
    );
    ddl.push(
      `CREATE TABLE ${name} (n INT, k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '10' MINUTE)
       WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'json');`,
    );
  }
  const { results } = await runSqlScript(`${ddl.join("\n")}\n${queries.map((q) => `${q};`).join("\n")}`, {
    parallelism: 2,
  });
  return results
    .filter((r) => r.kind === "select")
    .map((r) => (r.kind === "select" ? canonical(r.rows) : []));
}

async function duckRows(tables: Record<string, Row[]>, queries: readonly string[]) {
  const connection = await duckdb.connect();
  try {
    for (const [name, data] of Object.entries(tables)) {
      await connection.run(`CREATE OR REPLACE TABLE ${name} (n INTEGER, k INTEGER, v INTEGER, ts TIMESTAMP)`);
      const values = data.map((r) => `(${r.n}, ${r.k}, ${r.v ?? "NULL"}, TIMESTAMP '${timestamp(r.ms)}')`);
      await connection.run(`INSERT INTO ${name} VALUES ${values.join(", ")}`);
    }
    const out: string[][] = [];
    for (const query of queries)
      out.push(canonical((await connection.runAndReadAll(query)).getRowObjectsJson()));
    return out;
  } finally {
    connection.closeSync();
  }
}

/** Rows as sorted text; numbers compare by value (DuckDB gives big integers as strings). */
function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((row) =>
      Object.values(row)
        .map((v) => (v === null || v === undefined ? "null" : String(Number(v))))
        .join(","),
    )
    .sort();
}

/** [Weir SQL, DuckDB SQL] pairs; they differ only in how an interval literal is written. */
function both(sql: string): [string, string] {
  return [sql, sql.replace(/INTERVAL '(\d+)' SECOND/g, "INTERVAL $1 SECOND")];
}

async function compare(
  name: string,
  tables: (next: () => number) => Record<string, Row[]>,
  queries: readonly string[],
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "weir-diff-"));
  try {
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + run;
      const data = tables(random(seed));
      const pairs = queries.map(both);
      const weir = await weirRows(
        dir,
        data,
        pairs.map(([w]) => w),
      );
      const duck = await duckRows(
        data,
        pairs.map(([, d]) => d),
      );
      pairs.forEach(([sql], i) => {
        assert.deepEqual(weir[i], duck[i], `${name}, seed ${seed} (WEIR_DIFF_SEED=${SEED}): ${sql}`);
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("OVER frames agree with DuckDB", async () => {
  await compare("OVER", (next) => ({ t: rows(next, 40, true), u: rows(next, 40, false) }), [
    "SELECT n, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), COUNT(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t",
    "SELECT n, MAX(v) OVER w, MIN(v) OVER w, COUNT(*) OVER w FROM u WINDOW w AS (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '3' SECOND PRECEDING AND CURRENT ROW)",
    "SELECT n, SUM(v) OVER (ORDER BY ts) FROM u",
    "SELECT n, COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
  ]);
});

test("interval joins agree with DuckDB's range joins", async () => {
  await compare("interval join", (next) => ({ a: rows(next, 30, false), b: rows(next, 30, false) }), [
    "SELECT a.n, b.n FROM a JOIN b ON a.k = b.k AND a.ts BETWEEN b.ts - INTERVAL '2' SECOND AND b.ts + INTERVAL '3' SECOND",
    "SELECT a.n, b.n FROM a LEFT JOIN b ON a.k = b.k AND a.ts > b.ts - INTERVAL '2' SECOND AND a.ts < b.ts AND a.v <> b.v",
    "SELECT a.n, b.n FROM a FULL JOIN b ON a.k = b.k AND b.ts >= a.ts AND b.ts <= a.ts + INTERVAL '1' SECOND",
  ]);
});
