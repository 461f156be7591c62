/**
 * Test job for the two-phase-commit sink contract: a transactional file sink whose writer collects
 * records into a transaction per checkpoint (pre-commit at the barrier) and whose committer
 * publishes each transaction as one file, idempotently (a file that exists is left alone). A
 * failure is injected once, in a slow parallel branch; the published files must hold every record
 * exactly once. With `layout: 'pipelines'` the same sink ends three forward pipelines, one failover
 * region each (region-failover.test.ts), and each file is named `<subtask>-<attempt>-<n>.json`.
 * With `layout: 'bounded-beside-unbounded'` the sink's input ends while the job runs on.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Committer, defineJob, type Sink, Sinks, type SinkWriter, Sources } from "@weir/api";

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

export interface TwoPhaseSinkJobParams {
  readonly dir: string;
  readonly count: number;
  /** The record at which attempt 0 fails. */
  readonly failAt: number;
  readonly recordsPerSecond: number;
  /**
   * `slow-branch` (the default): the sink behind a shuffle and the failure in a slow parallel
   * branch, so it strikes while checkpoints are pre-committed but not complete. `pipelines`:
   * generator → failure injector → sink, all forward, so each subtask's pipeline is its own
   * failover region and the failure restarts only the pipeline that emitted `failAt`.
   * `bounded-beside-unbounded`: the numbers go to the sink, beside an unbounded generator that
   * runs until the job is cancelled, so the sink's tasks end while the job goes on.
   */
  readonly layout?: "slow-branch" | "pipelines" | "bounded-beside-unbounded";
}

export default defineJob((env, params: TwoPhaseSinkJobParams) => {
  const numbers = env.fromSource(
    Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
    "Numbers",
  );
  if (params.layout === "pipelines") {
    numbers
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
    return;
  }
  if (params.layout === "bounded-beside-unbounded") {
    numbers.toSink(transactionalFileSink(params.dir)).withName("Transactional file sink");
    env
      .fromSource(
        Sources.generator((i) => i, { recordsPerSecond: 1_000 }),
        "Endless",
      )
      .toSink(Sinks.discard());
    return;
  }
  numbers.shuffle().toSink(transactionalFileSink(params.dir)).withName("Transactional file sink");
  // A slow branch: barriers reach it late, so checkpoints stay pending (pre-committed by the sink,
  // not yet complete) for a while, and the failure strikes during such a window.
  numbers
    .shuffle()
    .process<number>({
      processRecord(n, out, ctx) {
        const until = performance.now() + 0.1;
        while (performance.now() < until) {
          // Busy work: keeps this branch behind the sink branch.
        }
        if (n === params.failAt && ctx.taskInfo.attemptNumber === 0)
          throw new Error(`injected failure at ${n}`);
        out.collect(n);
      },
    })
    .withName("Slow failing branch")
    .toSink(Sinks.discard());
});
