/**
 * Interval joins end to end through `runSqlScript`: two JSON-lines files with event-time
 * watermarks, joined where `a.ts` lies within two seconds of `b.ts`; inner and outer joins.
 * Expected rows are worked out by hand from the data below.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// [id, name, second]: a1 (10 s) meets b1 (11 s); a3 (10 s) meets b4 (12 s), not b3 (5 s).
const A: [number, string, number][] = [
  [1, "a1", 10],
  [2, "a3", 10],
  [1, "a2", 30],
  [3, "a4", 50],
];
const B: [number, string, number][] = [
  [2, "b3", 5],
  [1, "b1", 11],
  [2, "b4", 12],
  [1, "b2", 100],
];

let dir = "";
let ddl = "";

function jsonl(rows: [number, string, number][], column: string): string {
  const time = (s: number) =>
    `2020-04-15 08:${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}.000`;
  return `${rows.map(([id, name, s]) => JSON.stringify({ id, [column]: name, ts: time(s) })).join("\n")}\n`;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-interval-"));
  await writeFile(join(dir, "a.jsonl"), jsonl(A, "v"));
  await writeFile(join(dir, "b.jsonl"), jsonl(B, "w"));
  const table = (name: string, column: string) =>
    `CREATE TABLE ${name} (id BIGINT, ${column} STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '10' SECOND)
     WITH ('connector' = 'filesystem', 'path' = '${join(dir, `${name}.jsonl`)}', 'format' = 'json');`;
  ddl = `${table("a", "v")}\n${table("b", "w")}`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function joined(joinType: string): Promise<string[]> {
  const { results } = await runSqlScript(
    `${ddl}
     SELECT v, w FROM a ${joinType} JOIN b
       ON a.id = b.id AND a.ts BETWEEN b.ts - INTERVAL '2' SECOND AND b.ts + INTERVAL '2' SECOND;`,
    { parallelism: 2 },
  );
  const last = results[results.length - 1]!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows.map((r) => `${r.v},${r.w}`).sort() : [];
}

describe("interval join end to end", () => {
  test("INNER: pairs whose times are within the interval", async () => {
    assert.deepEqual(await joined("INNER"), ["a1,b1", "a3,b4"]);
  });

  test("LEFT: unmatched left rows come out with NULLs once they can no longer match", async () => {
    assert.deepEqual(await joined("LEFT"), ["a1,b1", "a2,null", "a3,b4", "a4,null"]);
  });

  test("FULL: unmatched rows of both sides", async () => {
    assert.deepEqual(await joined("FULL"), ["a1,b1", "a2,null", "a3,b4", "a4,null", "null,b2", "null,b3"]);
  });
});
