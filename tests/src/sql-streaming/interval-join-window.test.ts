/**
 * An interval join feeding a TUMBLE window aggregation over the join's rowtime, end to end, against
 * DuckDB: the join holds its output watermark back by its interval bounds (as Flink's row-time
 * interval join), so a joined row whose left time is older than the join's input watermark is not
 * late for the window below it and is counted. Each side is in time order with a zero watermark
 * delay and watermarks every millisecond, so the inputs' event time runs well ahead of the left
 * times of the rows the join still emits; without the hold-back the window drops many of them.
 * @module
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { runSqlScript } from "weir/sql-runner";

const ROWS = 6_000;
let dir = "";

/** [key, ms]: left rows every 100 ms, right rows every 100 ms shifted 9.95 s later. */
function side(shiftMs: number): [number, number][] {
  return Array.from({ length: ROWS }, (_, i) => [i % 3, i * 100 + shiftMs]);
}
const A = side(0);
const B = side(9_950);

const timestamp = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

const QUERY = `SELECT k, window_start, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(ats), INTERVAL '10' SECOND))
  GROUP BY k, window_start, window_end`;
const JOIN = `SELECT a.k, a.ts AS ats FROM a, b
  WHERE a.k = b.k AND a.ts BETWEEN b.ts - INTERVAL '10' SECOND AND b.ts`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-interval-window-"));
  for (const [name, rows] of [
    ["a", A],
    ["b", B],
  ] as const) {
    await writeFile(
      join(dir, `${name}.jsonl`),
      `${rows.map(([k, ms]) => JSON.stringify({ k, ts: timestamp(ms) })).join("\n")}\n`,
    );
  }
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expected(): Promise<string[]> {
  const duckdb = await DuckDBInstance.create(":memory:");
  const db = await duckdb.connect();
  try {
    for (const [name, rows] of [
      ["a", A],
      ["b", B],
    ] as const) {
      await db.run(`CREATE TABLE ${name} (k INTEGER, ts TIMESTAMP)`);
      await db.run(
        `INSERT INTO ${name} VALUES ${rows.map(([k, ms]) => `(${k}, TIMESTAMP '${timestamp(ms)}')`).join(", ")}`,
      );
    }
    const reader = await db.runAndReadAll(
      `WITH j AS (${JOIN.replaceAll("INTERVAL '10' SECOND", "INTERVAL 10 SECOND")})
       SELECT k, CAST(epoch_ms(time_bucket(INTERVAL 10 SECOND, ats)) AS BIGINT) AS ws, COUNT(*) AS c
       FROM j GROUP BY k, ws`,
    );
    return reader.getRowObjects().map((r) => `${r.k},${Number(r.ws)},${Number(r.c)}`);
  } finally {
    db.closeSync();
    duckdb.closeSync();
  }
}

test("interval join then TUMBLE over its rowtime: every joined row is counted, as in DuckDB", async () => {
  const table = (name: string) =>
    `CREATE TABLE ${name} (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
     WITH ('connector' = 'filesystem', 'path' = '${join(dir, `${name}.jsonl`)}', 'format' = 'json');`;
  const { results } = await runSqlScript(
    `SET 'pipeline.auto-watermark-interval' = '1 ms';
     ${table("a")}
     ${table("b")}
     CREATE TEMPORARY VIEW j AS ${JOIN};
     ${QUERY};`,
    { parallelism: 2 },
  );
  const last = results[results.length - 1]!;
  assert.equal(last.kind, "select");
  const actual =
    last.kind === "select"
      ? last.rows.map(
          (r) => `${r.k},${new Date(`${String(r.window_start).replace(" ", "T")}Z`).getTime()},${r.c}`,
        )
      : [];
  const want = await expected();
  assert.ok(want.length > 100, "the data makes many windows");
  assert.deepEqual(actual.sort(), want.sort());
});
