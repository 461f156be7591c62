/**
 * The failure the exactly-once file sink jobs (file-sink.job.ts, parquet-sink.job.ts) inject: once,
 * in attempt 0, in a slow branch parallel to the sink, at a moment when the sink has pre-committed
 * a checkpoint that has not completed yet — the worst case for a two-phase sink, whose
 * pre-committed parts must then never become visible.
 *
 * Invariant: the failure depends only on the files in the sink's directory and the record number,
 * so it happens at most once per job (attempt 0) and never before `failAt`.
 * @module
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type NonKeyedPartitionStream, Sinks } from "@weir/api";

const IN_PROGRESS = /^\.part-(\d+-\d+)-\d+\.inprogress$/;

/**
 * Whether some writer has two hidden parts in a bucket of `dir`: without rolling, one of them was
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

export interface PendingCheckpointFailure {
  /** The sink's directory. */
  readonly dir: string;
  /** The first record at which attempt 0 may fail (once a checkpoint is pending); -1 for none. */
  readonly failAt: number;
  /** Busy time per record in the failing branch, in ms: its barriers lag behind the sink's. */
  readonly slowMs: number;
}

/** Adds the slow branch over `numbers` that fails as the module says (nothing when `failAt` < 0). */
export function failWhileCheckpointPending(
  numbers: NonKeyedPartitionStream<number>,
  params: PendingCheckpointFailure,
): void {
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
}
