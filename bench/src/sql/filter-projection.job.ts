/** The job module of `sql-filter-projection` (see filter-projection.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { FILTER_PROJECTION_RUN_ID, filterProjectionInput } from "./filter-projection.ts";
import { buildSqlBenchJob } from "./sql-bench-job.ts";

const QUERY =
  "SELECT id, UPPER(user_name) AS user_name, price * 2 AS doubled FROM events WHERE category < 5 AND price >= 0";

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, FILTER_PROJECTION_RUN_ID, (events) => ({
    ddl: [
      "CREATE TABLE events (id BIGINT, user_name STRING, category INT, price DOUBLE) WITH (" +
        `'connector' = 'filesystem', 'path' = '${filterProjectionInput(events)}', 'format' = 'json');`,
    ],
    query: QUERY,
    sinkColumns: "id BIGINT, user_name STRING, doubled DOUBLE",
    verifyQuery: `SELECT COUNT(*) AS n FROM (${QUERY})`,
  })),
);
