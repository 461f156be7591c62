/**
 * `postgres-cdc-snapshot`: the CDC source reads a table of `events` rows (int key, text, numeric,
 * timestamptz) in bounded snapshot mode and discards them (or counts them when verifying):
 * measures the snapshot rate, i.e. rows read, decoded to SQL values and emitted per second.
 * @module
 */

import { defineJob, Sinks } from "@weir/api";
import { PostgresCdcSource } from "@weir/connector-postgres";
import { type BenchJobParams, eventsOf } from "../jobs/params.ts";
import { countRecords, RECEIVED_COUNTS } from "../jobs/record-count.ts";
import { benchConnection } from "./bench-database.ts";

export const SNAPSHOT_TABLE = "bench_snapshot";

export default defineJob((env, params: BenchJobParams) => {
  eventsOf(params);
  const rows = env
    .fromSource(
      PostgresCdcSource.create({
        connection: benchConnection(),
        tables: [{ table: SNAPSHOT_TABLE }],
        slotName: "bench_snapshot",
        startupMode: "snapshot",
        snapshotFetchSize: 8192,
      }),
      "Postgres CDC snapshot",
    )
    .withParallelism(1);
  if (params.verify === true) rows.process(countRecords).withName("Count").toSink(RECEIVED_COUNTS);
  else rows.toSink(Sinks.discard()).withName("Discard");
});
