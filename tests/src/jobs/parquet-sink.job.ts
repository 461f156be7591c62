/**
 * Test job for the exactly-once Parquet file sink (a bulk format: parts roll at every checkpoint):
 * numbered rows are written in buckets (`mod=<n % 3>`). Optionally a failure is injected once, in a
 * parallel branch, while the sink has pre-committed a checkpoint that has not completed yet, the
 * worst case for a two-phase sink: its pre-committed parts must never become visible.
 */

import { defineJob, Sources } from "@weir/api";
import { FileSink, ParquetFormat } from "@weir/connector-files";
import { failWhileCheckpointPending, type PendingCheckpointFailure } from "./pending-checkpoint-failure.ts";

export interface ParquetSinkJobParams extends PendingCheckpointFailure {
  readonly count: number;
  readonly recordsPerSecond: number;
}

export interface ParquetRow {
  readonly n: bigint;
  readonly label: string;
}

export default defineJob((env, params: ParquetSinkJobParams) => {
  const numbers = env.fromSource(
    Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
    "Numbers",
  );
  numbers
    .shuffle()
    .map((n): ParquetRow => ({ n: BigInt(n), label: `row ${n}` }))
    .toSink(
      FileSink.forBulk<ParquetRow>(params.dir, {
        format: ParquetFormat.writer({ n: "BIGINT NOT NULL", label: "STRING" }, { rowGroupRows: 100 }),
        bucketAssigner: (row) => `mod=${row.n % 3n}`,
      }),
    )
    .withName("Parquet sink");
  failWhileCheckpointPending(numbers, params);
});
