/** Kafka → filter → Kafka, JSON, exactly-once (see kafka-filter-job.ts). @module */

import { defineJob } from "@weir/api";
import type { BenchJobParams } from "../jobs/params.ts";
import { buildKafkaFilterJob } from "./kafka-filter-job.ts";

export default defineJob((env, params: BenchJobParams) => buildKafkaFilterJob(env, params, "exactly-once"));
