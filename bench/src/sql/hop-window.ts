/**
 * `sql-hop-window-1phase` and `sql-hop-window-2phase`: the same HOP window aggregation (size 10 s,
 * slide 2 s, `COUNT(*)` and `SUM(price)` per key over 100 keys) of `events` bids, one event-time
 * millisecond apart, planned in one phase (`table.optimizer.agg-phase-strategy` = ONE_PHASE: every
 * row crosses the shuffle and updates the five windows it belongs to) and in two (TWO_PHASE, Flink's
 * default: each subtask folds rows per key and 2 s slice before the shuffle, the global phase merges
 * five slices per window), parallelism 2. Every bid lands in exactly five windows. The issue sets no
 * target for SQL; the one here is the group count's.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { type SqlBenchScript, UNTHROTTLED, verifiedRows } from "./sql-bench-job.ts";

export const HOP_ONE_PHASE_RUN_ID = "bench-sql-hop-window-1phase";
export const HOP_TWO_PHASE_RUN_ID = "bench-sql-hop-window-2phase";
const KEYS = 100;
const WINDOWS_PER_ROW = 5;

const QUERY =
  "SELECT k, window_start, window_end, COUNT(*) AS n, SUM(price) AS total FROM TABLE(" +
  "HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) " +
  "GROUP BY k, window_start, window_end";

/** The script of both variants; `twoPhase` picks the aggregation phase strategy. */
export function hopWindowScript(events: number, twoPhase: boolean): SqlBenchScript {
  return {
    ddl: [
      `SET 'table.optimizer.agg-phase-strategy' = '${twoPhase ? "TWO_PHASE" : "ONE_PHASE"}';`,
      `CREATE TABLE bids (id BIGINT, price INT, k AS id % ${KEYS}, ts AS TO_TIMESTAMP_LTZ(id, 3), ` +
        "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'datagen', " +
        `'number-of-rows' = '${events}', 'rows-per-second' = '${UNTHROTTLED}', 'fields.id.kind' = 'sequence', ` +
        `'fields.id.start' = '0', 'fields.id.end' = '${Math.max(events - 1, 0)}', 'fields.price.min' = '1', 'fields.price.max' = '100');`,
    ],
    query: QUERY,
    sinkColumns: "k BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, total INT",
    verifyQuery: `SELECT SUM(n) AS rows_in_windows FROM (${QUERY})`,
  };
}

function hopWindow(name: string, runId: string, job: string, plan: string): Benchmark {
  return {
    name,
    description: `SQL: HOP(10 s, slide 2 s) COUNT, SUM per key (100 keys), ${plan} -> blackhole, parallelism 2`,
    job: new URL(job, import.meta.url),
    parallelism: 2,
    defaultEvents: 1_000_000,
    targetPerCore: 500_000,
    verify(result, events) {
      const rows = verifiedRows(result, runId);
      const total = rows.length === 1 ? Number(rows[0]![0]) : Number.NaN;
      if (total !== events * WINDOWS_PER_ROW) {
        throw new Error(`${name}: ${total} rows counted in windows, expected ${events * WINDOWS_PER_ROW}`);
      }
      return events;
    },
  };
}

export const sqlHopWindowOnePhase = hopWindow(
  "sql-hop-window-1phase",
  HOP_ONE_PHASE_RUN_ID,
  "./hop-window-1phase.job.ts",
  "one phase",
);

export const sqlHopWindowTwoPhase = hopWindow(
  "sql-hop-window-2phase",
  HOP_TWO_PHASE_RUN_ID,
  "./hop-window-2phase.job.ts",
  "two phases (local-global)",
);
