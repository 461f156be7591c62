/**
 * `sql-over-rows`: a ROWS OVER aggregation, `SUM(price), COUNT(*) OVER (PARTITION BY k ORDER BY
 * ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)`, of `events` datagen bids over 100 keys,
 * one event-time millisecond apart, parallelism 2: every bid yields one row (append only), whose
 * frame is the bid and the up to 10 bids of its key before it in event time. The operator sorts
 * each key's rows by time as the watermark (1 s behind) passes them. Prices are a function of the
 * id (`id % 97 + 1`) so the verifying run can check every frame's sum. The issue sets no target
 * for SQL; the one here is the group count's.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { type SqlBenchScript, UNTHROTTLED, verifiedRows } from "./sql-bench-job.ts";

export const OVER_ROWS_RUN_ID = "bench-sql-over-rows";
export const OVER_ROWS_KEYS = 100;
/** Rows of the frame: the current one and 10 preceding. */
export const FRAME_ROWS = 11;

/** The price column's definition, as the computed column `price AS id % 97 + 1` computes it. */
export function bidPrice(id: number): number {
  return (id % 97) + 1;
}

/**
 * Output rows, the sum of their `COUNT(*)` and the sum of their `SUM(price)`, from the generator's
 * definition: the `q`-th bid of a key (0-based, of `n` bids of that key) is counted in the frames
 * of its own row and of the up to 10 rows after it, so it adds `min(11, n - q)` to both sums (its
 * price to the second).
 */
export function expectedOverRows(events: number): { rows: number; countSum: number; priceSum: number } {
  let countSum = 0;
  let priceSum = 0;
  for (let k = 0; k < Math.min(OVER_ROWS_KEYS, events); k++) {
    const n = Math.floor((events - 1 - k) / OVER_ROWS_KEYS) + 1;
    for (let q = 0; q < n; q++) {
      const frames = Math.min(FRAME_ROWS, n - q);
      countSum += frames;
      priceSum += frames * bidPrice(k + q * OVER_ROWS_KEYS);
    }
  }
  return { rows: events, countSum, priceSum };
}

const QUERY =
  "SELECT k, id, ts, " +
  "SUM(price) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS total, " +
  "COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS n FROM bids";

export function overRowsScript(events: number): SqlBenchScript {
  return {
    ddl: [
      `CREATE TABLE bids (id BIGINT, k AS id % ${OVER_ROWS_KEYS}, price AS CAST(id % 97 + 1 AS INT), ` +
        "ts AS TO_TIMESTAMP_LTZ(id, 3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (" +
        `'connector' = 'datagen', 'number-of-rows' = '${events}', 'rows-per-second' = '${UNTHROTTLED}', ` +
        `'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '${Math.max(events - 1, 0)}');`,
    ],
    query: QUERY,
    sinkColumns: "k BIGINT, id BIGINT, ts TIMESTAMP_LTZ(3), total INT, n BIGINT",
    verifyQuery: `SELECT COUNT(*) AS rows_out, SUM(n) AS count_sum, SUM(CAST(total AS BIGINT)) AS price_sum FROM (${QUERY})`,
  };
}

export const sqlOverRows: Benchmark = {
  name: "sql-over-rows",
  description:
    "SQL: SUM, COUNT OVER (PARTITION BY k ORDER BY ts ROWS 10 PRECEDING), 100 keys, event time -> blackhole, parallelism 2",
  job: new URL("./over-rows.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 1_000_000,
  targetPerCore: 500_000,
  verify(result, events) {
    const rows = verifiedRows(result, OVER_ROWS_RUN_ID);
    const expected = expectedOverRows(events);
    const [count, countSum, priceSum] =
      rows.length === 1 ? rows[0]!.map((v) => Number(v ?? 0)) : [Number.NaN];
    if (count !== expected.rows || countSum !== expected.countSum || priceSum !== expected.priceSum) {
      throw new Error(
        `sql-over-rows: ${count} rows, COUNT sum ${countSum}, SUM sum ${priceSum}; expected ` +
          `${expected.rows}, ${expected.countSum}, ${expected.priceSum}`,
      );
    }
    return count;
  },
};
