/**
 * Legacy group windows with Flink's experimental emit options, end to end through `runSqlScript`:
 * out-of-order rows with a zero watermark delay (so rows behind the watermark are late whenever the
 * watermark got ahead of them), late firing with an allowed lateness longer than the disorder, and
 * early firing. Whatever the watermark's progress, every row then lands in its window and the
 * materialized result equals the counts worked out by hand below; an insert-only sink refuses the
 * updating result. A window TVF aggregation refuses the options.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

let dir = "";
let ddl = "";

/** Seconds of 4 000 rows: 0..3999 shuffled within blocks of 50 s, so many rows arrive late. */
const SECONDS = Array.from({ length: 4_000 }, (_, i) => {
  const block = Math.floor(i / 50) * 50;
  return block + ((i * 37) % 50);
});

const timestamp = (s: number): string => new Date(s * 1000).toISOString().replace("T", " ").replace("Z", "");

/** Per (k, 10 s window): the row count, by hand from the data. */
function expectedCounts(): string[] {
  const counts = new Map<string, number>();
  SECONDS.forEach((s, i) => {
    const key = `${i % 3},${Math.floor(s / 10) * 10}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return [...counts].map(([key, n]) => `${key},${n}`).sort();
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-group-window-emit-"));
  await writeFile(
    join(dir, "t.jsonl"),
    `${SECONDS.map((s, i) => JSON.stringify({ k: i % 3, ts: timestamp(s) })).join("\n")}\n`,
  );
  ddl = `SET 'pipeline.auto-watermark-interval' = '1 ms';
    CREATE TABLE t (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
    WITH ('connector' = 'filesystem', 'path' = '${join(dir, "t.jsonl")}', 'format' = 'json');`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const QUERY = `SELECT k, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, COUNT(*) AS c
  FROM t GROUP BY k, TUMBLE(ts, INTERVAL '10' SECOND)`;

async function counts(settings: string): Promise<string[]> {
  const { results } = await runSqlScript(`${ddl}\n${settings}\n${QUERY};`, { parallelism: 2 });
  const last = results[results.length - 1]!;
  assert.equal(last.kind, "select");
  return last.kind === "select"
    ? last.rows
        .map((r) => `${r.k},${new Date(`${String(r.ws).replace(" ", "T")}Z`).getTime() / 1000},${r.c}`)
        .sort()
    : [];
}

describe("legacy group window emit strategy end to end", () => {
  test("late firing within an allowed lateness longer than the disorder counts every row", async () => {
    const actual = await counts(`SET 'table.exec.emit.late-fire.enabled' = 'true';
      SET 'table.exec.emit.late-fire.delay' = '0';
      SET 'table.exec.emit.allow-lateness' = '1 h';`);
    assert.deepEqual(actual, expectedCounts());
  });

  test("early and late firing together: the final result is still each window's full count", async () => {
    const actual = await counts(`SET 'table.exec.emit.early-fire.enabled' = 'true';
      SET 'table.exec.emit.early-fire.delay' = '0';
      SET 'table.exec.emit.late-fire.enabled' = 'true';
      SET 'table.exec.emit.late-fire.delay' = '0';
      SET 'table.exec.emit.allow-lateness' = '1 h';`);
    assert.deepEqual(actual, expectedCounts());
  });

  test("an insert-only sink refuses it; a window TVF refuses the options", async () => {
    const sink = `CREATE TABLE sink_t (k INT, c BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, "out")}', 'format' = 'csv');`;
    await assert.rejects(
      runSqlScript(
        `${ddl}\n${sink}\nSET 'table.exec.emit.early-fire.enabled' = 'true';
         SET 'table.exec.emit.early-fire.delay' = '1 s';
         INSERT INTO sink_t SELECT k, COUNT(*) FROM t GROUP BY k, TUMBLE(ts, INTERVAL '10' SECOND);`,
      ),
      /doesn't support consuming update changes/,
    );
    await assert.rejects(
      runSqlScript(
        `${ddl}\nSET 'table.exec.emit.early-fire.enabled' = 'true';
         SET 'table.exec.emit.early-fire.delay' = '1 s';
         SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end;`,
      ),
      /window table function based aggregate doesn't support early-fire and late-fire/,
    );
  });
});
