/**
 * `sql-count-retraction`: a count per key (10 000 keys) and, on top of it, a count of keys
 * per count: `SELECT cnt, COUNT(*) FROM (SELECT k, COUNT(*) AS cnt … GROUP BY k) GROUP BY cnt`.
 * Every input row updates the inner count, which sends -U/+U, which the outer aggregate must
 * retract and re-add: the retraction path of group aggregation, across the exchange (parallelism 2).
 * The issue sets no target for SQL; the one here is half the DataStream keyed count's, as a yardstick.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { verifiedRows } from "./sql-bench-job.ts";

export const GROUP_COUNT_RUN_ID = "bench-sql-group-count-retraction";
export const GROUP_KEYS = 10_000;

export const sqlGroupCountRetraction: Benchmark = {
  name: "sql-count-retraction",
  description: "SQL: datagen -> COUNT per key (10k keys) -> COUNT per count (retractions) -> blackhole, p=2",
  job: new URL("./group-count-retraction.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 1_000_000,
  targetPerCore: 500_000,
  verify(result, events) {
    // Final rows (cnt, keys): every key has floor(events / K) or one more rows.
    let rows = 0;
    let keys = 0;
    for (const [cnt, count] of verifiedRows(result, GROUP_COUNT_RUN_ID)) {
      rows += Number(cnt) * Number(count);
      keys += Number(count);
    }
    const expectedKeys = Math.min(events, GROUP_KEYS);
    if (rows !== events || keys !== expectedKeys) {
      throw new Error(
        `sql-count-retraction: ${rows} rows in ${keys} keys, expected ${events} in ${expectedKeys}`,
      );
    }
    return rows;
  },
};
