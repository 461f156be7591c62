/**
 * A job for region failover with a two-phase-commit sink: three forward pipelines (generator ->
 * failure injector -> transactional file sink), so each pipeline is its own region. The sink
 * collects records into one transaction per checkpoint (pre-committed at the barrier) and its
 * committer publishes each as a file `<subtask>-<attempt>-<n>.json`, idempotently. Pipeline 1
 * throws once, on its first attempt, at index `failAt`.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Committer, defineJob, type Sink, type SinkWriter, Sources } from "@weir/api";

interface Transaction {
  readonly id: string;
  readonly records: number[];
}

function transactionalFileSink(dir: string): Sink<number, Transaction> {
  return {
    createWriter(ctx): SinkWriter<number, Transaction> {
      let current: number[] = [];
      let sequence = 0;
      return {
        write(records) {
          for (const r of records) current.push(r);
        },
        flush() {},
        prepareCommit() {
          if (current.length === 0) return [];
          const txn = { id: `${ctx.indexOfSubtask}-${ctx.attemptNumber}-${sequence++}`, records: current };
          current = [];
          return [txn];
        },
        close() {},
      };
    },
    createCommitter(): Committer<Transaction> {
      return {
        commit(transactions) {
          for (const txn of transactions) {
            try {
              writeFileSync(join(dir, `${txn.id}.json`), JSON.stringify(txn.records), { flag: "wx" });
            } catch (error) {
              // Already published: committing again must change nothing.
              if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
            }
          }
        },
      };
    },
  };
}

export default defineJob(
  (env, params: { dir: string; count: number; failAt: number; recordsPerSecond: number }) => {
    env
      .fromSource(
        Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
        "Numbers",
      )
      .process<number>({
        processRecord(n, out, ctx) {
          if (n === params.failAt && ctx.taskInfo.attemptNumber === 0)
            throw new Error(`injected failure at ${n}`);
          out.collect(n);
        },
      })
      .withName("Failure injector")
      .toSink(transactionalFileSink(params.dir))
      .withName("Transactional file sink");
  },
);
