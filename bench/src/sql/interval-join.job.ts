/** The job module of `sql-interval-join` (see interval-join.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { INTERVAL_JOIN_RUN_ID, intervalJoinScript } from "./interval-join.ts";
import { buildSqlBenchJob } from "./sql-bench-job.ts";

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, INTERVAL_JOIN_RUN_ID, intervalJoinScript),
);
