/**
 * Window joins end to end through `runSqlScript`: two JSON-lines tables with rowtimes, each in
 * 10-second tumbling windows, joined on the window and an id, read by two subtasks. Expected rows
 * are worked out by hand from the rows below (each window's result is emitted once, insert-only).
 */

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runSqlScript } from "weir/sql-runner";

// [id, value, second of 08:00]
const LEFT: [number, string, number][] = [
  [1, "L1", 1],
  [2, "L2", 3],
  [3, "L3", 12],
  [1, "L4", 14],
];
const RIGHT: [number, string, number][] = [
  [1, "R1", 2],
  [1, "R2", 11], // same id as L1 but the next window
  [4, "R3", 5],
  [3, "R4", 15],
];

let dir = "";
let ddl = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-window-join-"));
  const lines = (rows: [number, string, number][]) =>
    `${rows.map(([id, v, s]) => JSON.stringify({ id, v, ts: `2020-04-15 08:00:${String(s).padStart(2, "0")}` })).join("\n")}\n`;
  await writeFile(join(dir, "l.jsonl"), lines(LEFT));
  await writeFile(join(dir, "r.jsonl"), lines(RIGHT));
  const table = (name: string) =>
    `CREATE TABLE ${name} (id INT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
      'connector' = 'filesystem', 'path' = '${join(dir, `${name}.jsonl`)}', 'format' = 'json');`;
  ddl = `${table("l")}\n${table("r")}`;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tumble = (table: string) =>
  `(SELECT * FROM TABLE(TUMBLE(TABLE ${table}, DESCRIPTOR(ts), INTERVAL '10' SECOND)))`;

async function select(sql: string): Promise<string[]> {
  const run = await runSqlScript(`${ddl}\n${sql}`, { parallelism: 2 });
  const last = run.results.at(-1)!;
  assert.equal(last.kind, "select");
  return last.kind === "select" ? last.rows.map((r) => JSON.stringify(r)).sort() : [];
}

const rows = (list: object[]): string[] => list.map((r) => JSON.stringify(r)).sort();
const ON = "L.window_start = R.window_start AND L.window_end = R.window_end AND L.id = R.id";

describe("window join", () => {
  test("INNER: rows meet only within the same window", async () => {
    const result = await select(
      `SELECT L.v AS lv, R.v AS rv FROM ${tumble("l")} L JOIN ${tumble("r")} R ON ${ON};`,
    );
    assert.deepEqual(
      result,
      rows([
        { lv: "L1", rv: "R1" },
        { lv: "L3", rv: "R4" },
        { lv: "L4", rv: "R2" },
      ]),
    );
  });

  test("FULL: unmatched rows of either side come out padded, once per window", async () => {
    const result = await select(
      `SELECT L.v AS lv, R.v AS rv FROM ${tumble("l")} L FULL JOIN ${tumble("r")} R ON ${ON};`,
    );
    assert.deepEqual(
      result,
      rows([
        { lv: "L1", rv: "R1" },
        { lv: "L2", rv: null },
        { lv: null, rv: "R3" },
        { lv: "L3", rv: "R4" },
        { lv: "L4", rv: "R2" },
      ]),
    );
  });
});
