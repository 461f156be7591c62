/**
 * Test job for the exactly-once file sink: numbered rows are written in buckets (`mod=<n % 3>`),
 * rolled by record count, and committed with checkpoints. Optionally a failure is injected once,
 * in a parallel branch, at a moment when the sink has pre-committed a checkpoint that has not
 * completed yet: the worst case for a two-phase sink, whose pre-committed parts must then never
 * become visible (the restored job writes their records again).
 */

import { defineJob, Sources } from "@weir/api";
import { FileSink } from "@weir/connector-files";
import { failWhileCheckpointPending, type PendingCheckpointFailure } from "./pending-checkpoint-failure.ts";

export interface FileSinkJobParams extends PendingCheckpointFailure {
  readonly count: number;
  readonly format: "jsonl" | "csv";
  readonly recordsPerSecond: number;
  readonly maxRecordsPerPart: number;
}

export interface Row {
  readonly n: number;
  readonly label: string;
}

export default defineJob((env, params: FileSinkJobParams) => {
  const numbers = env.fromSource(
    Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
    "Numbers",
  );
  numbers
    .shuffle()
    .map((n): Row => ({ n, label: `row "${n}", ok` }))
    .toSink(
      FileSink.forRows<Row>(params.dir, {
        format: params.format,
        ...(params.format === "csv" ? { columns: ["n", "label"] as const } : {}),
        bucketAssigner: (row) => `mod=${row.n % 3}`,
        rollingPolicy: { maxRecordsPerPart: params.maxRecordsPerPart },
      }),
    )
    .withName("File sink");
  failWhileCheckpointPending(numbers, params);
});
