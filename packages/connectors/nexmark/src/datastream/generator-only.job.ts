/**
 * The generator alone: Nexmark events into a discarding sink, to measure what the source costs
 * (the reference notes that generation dominates the stateless queries).
 * @module
 */

import { defineJob, Sinks } from "@weir/api";
import { nexmarkSource } from "../nexmark-source.ts";
import type { DataStreamQueryParams } from "./bid-stream.ts";

export default defineJob<DataStreamQueryParams>((env, params) => {
  env.fromSource(nexmarkSource(params.source), "Nexmark").toSink(Sinks.discard());
});
