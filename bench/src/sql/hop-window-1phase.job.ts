/** The job module of `sql-hop-window-1phase` (see hop-window.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { HOP_ONE_PHASE_RUN_ID, hopWindowScript } from "./hop-window.ts";
import { buildSqlBenchJob } from "./sql-bench-job.ts";

export default defineJob((env, params: BenchJobParams) =>
  buildSqlBenchJob(env, params, HOP_ONE_PHASE_RUN_ID, (events) => hopWindowScript(events, false)),
);
