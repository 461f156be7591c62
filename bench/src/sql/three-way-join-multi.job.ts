/** The job module of `sql-3way-join-multi` (see three-way-join.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { buildSqlBenchJob } from "./sql-bench-job.ts";
import { THREE_WAY_MULTI_RUN_ID, threeWayJoinScript } from "./three-way-join.ts";

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, THREE_WAY_MULTI_RUN_ID, (events) => threeWayJoinScript(events, true)),
);
