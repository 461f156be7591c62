/**
 * Test job for the exactly-once Parquet file sink (a bulk format: parts roll at every checkpoint):
 * numbered rows are written in buckets (`mod=<n % 3>`). Optionally a failure is injected once, in a
 * parallel branch, while the sink has pre-committed a checkpoint that has not completed yet, the
 * worst case for a two-phase sink: its pre-committed parts must never become visible.
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { defineJob, Sinks, Sources } from "@weir/api";
import { FileSink, ParquetFormat } from "@weir/connector-files";

export interface ParquetSinkJobParams {
  readonly dir: string;
  readonly count: number;
  /** The first record at which attempt 0 may fail (once a checkpoint is pending); -1 for none. */
  readonly failAt: number;
  readonly recordsPerSecond: number;
  /** Busy time per record in the failing branch, in ms: its barriers lag behind the sink's. */
  readonly slowMs: number;
}

export interface ParquetRow {
  readonly n: bigint;
  readonly label: string;
}

const IN_PROGRESS = /^\.part-(\d+-\d+)-\d+\.inprogress$/;

/**
 * Whether some writer has two hidden parts in a bucket: without rolling, one of them was
 * pre-committed at a checkpoint barrier and awaits the checkpoint's completion, the other is open.
 */
function checkpointPending(dir: string): boolean {
  let buckets: string[];
  try {
    buckets = readdirSync(dir);
  } catch {
    return false;
  }
  for (const bucket of buckets) {
    const perWriter = new Map<string, number>();
    let files: string[];
    try {
      files = readdirSync(join(dir, bucket));
    } catch {
      continue;
    }
    for (const file of files) {
      const writer = IN_PROGRESS.exec(file)?.[1];
      if (writer === undefined) continue;
      const parts = (perWriter.get(writer) ?? 0) + 1;
      if (parts >= 2) return true;
      perWriter.set(writer, parts);
    }
  }
  return false;
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
  if (params.failAt < 0) return;
  numbers
    .shuffle()
    .process<number>({
      processRecord(n, out, ctx) {
        const until = performance.now() + params.slowMs;
        while (performance.now() < until) {
          // Busy work: keeps this branch, and its barriers, behind the sink branch.
        }
        if (n >= params.failAt && ctx.taskInfo.attemptNumber === 0 && checkpointPending(params.dir))
          throw new Error(`injected failure at ${n}, with a checkpoint pre-committed but not complete`);
        out.collect(n);
      },
    })
    .withName("Slow failing branch")
    .toSink(Sinks.discard());
});
