/**
 * `sql-filter-projection`: `SELECT … FROM <JSON-lines file> WHERE …` into a blackhole table:
 * the filesystem source, the JSON row format and a compiled Calc (filter + projection), with half
 * of the rows passing the filter. The file is written once per event count before the timed run
 * (in the system temp directory) and reused. The issue sets no target for SQL; the one here is
 * the DataStream figure for a keyed pipeline (keyed-count-exchange), as a yardstick.
 * @module
 */

import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "../benchmark.ts";
import { verifiedRows } from "./sql-bench-job.ts";

export const FILTER_PROJECTION_RUN_ID = "bench-sql-filter-projection";

/** Where the input of `events` rows lives. */
export function filterProjectionInput(events: number): string {
  return join(tmpdir(), "weir-bench-sql", `filter-projection-${events}.jsonl`);
}

/** Row i: category i % 10 (the filter keeps categories 0..4, i.e. every other block of five). */
export function inputLine(i: number): string {
  return `{"id": ${i}, "user_name": "user-${i % 1000}", "category": ${i % 10}, "price": ${(i % 200) / 4}}\n`;
}

/** Rows the filter `category < 5` keeps among the first `events`. */
export function expectedFilteredRows(events: number): number {
  return Math.floor(events / 10) * 5 + Math.min(events % 10, 5);
}

async function writeInput(events: number): Promise<void> {
  const path = filterProjectionInput(events);
  if (existsSync(path)) return;
  mkdirSync(join(tmpdir(), "weir-bench-sql"), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(partial);
  let chunk = "";
  for (let i = 0; i < events; i++) {
    chunk += inputLine(i);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  renameSync(partial, path);
}

export const sqlFilterProjection: Benchmark = {
  name: "sql-filter-projection",
  description: "SQL: JSON-lines file -> WHERE + projection (half pass) -> blackhole, parallelism 2",
  job: new URL("./filter-projection.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 1_000_000,
  targetPerCore: 1_000_000,
  prepare: writeInput,
  verify(result, events) {
    const rows = verifiedRows(result, FILTER_PROJECTION_RUN_ID);
    const count = rows.length === 1 ? Number(rows[0]![0]) : Number.NaN;
    const expected = expectedFilteredRows(events);
    if (count !== expected)
      throw new Error(`sql-filter-projection: counted ${count} rows, expected ${expected}`);
    return count;
  },
};
