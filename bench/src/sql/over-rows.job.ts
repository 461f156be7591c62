/** The job module of `sql-over-rows` (see over-rows.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { OVER_ROWS_RUN_ID, overRowsScript } from "./over-rows.ts";
import { buildSqlBenchJob } from "./sql-bench-job.ts";

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, OVER_ROWS_RUN_ID, overRowsScript),
);
