/**
 * Test job for the exactly-once file sink: numbered rows are written in buckets (`mod=<n % 3>`),
 * rolled by record count, and committed with checkpoints. Optionally a failure is injected once,
 * in a parallel branch, at a moment when the sink has pre-committed a checkpoint that has not
 * completed yet: the worst case for a two-phase sink, whose pre-committed parts must then never
 * become visible (the restored job writes their records again).
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { defineJob, Sinks, Sources } from "@weir/api";
import { FileSink } from "@weir/connector-files";

export interface FileSinkJobParams {
  readonly dir: string;
  readonly count: number;
  readonly format: "jsonl" | "csv";
  /** The first record at which attempt 0 may fail (once a checkpoint is pending); -1 for none. */
  readonly failAt: number;
  readonly recordsPerSecond: number;
  /** Busy time per record in the failing branch, in ms: its barriers lag behind the sink's. */
  readonly slowMs: number;
  readonly maxRecordsPerPart: number;
}

export interface Row {
  readonly n: number;
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
