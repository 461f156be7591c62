/** The job module of `sql-count-retraction` (see group-count-retraction.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { GROUP_COUNT_RUN_ID, GROUP_KEYS } from "./group-count-retraction.ts";
import { buildSqlBenchJob, UNTHROTTLED } from "./sql-bench-job.ts";

const QUERY =
  `SELECT cnt, COUNT(*) AS num_keys FROM (SELECT id % ${GROUP_KEYS} AS k, COUNT(*) AS cnt FROM src ` +
  `GROUP BY id % ${GROUP_KEYS}) GROUP BY cnt`;

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, GROUP_COUNT_RUN_ID, (events) => ({
    ddl: [
      "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', " +
        `'number-of-rows' = '${events}', 'rows-per-second' = '${UNTHROTTLED}', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', ` +
        `'fields.id.end' = '${Math.max(events - 1, 0)}');`,
    ],
    query: QUERY,
    sinkColumns: "cnt BIGINT, num_keys BIGINT",
    verifyQuery: QUERY,
  })),
);
