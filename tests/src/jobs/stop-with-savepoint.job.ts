/**
 * Test job for stop-with-savepoint: a generator's per-key sequence numbers pass through a keyed
 * count and reach a *non-transactional* sink that appends every record to a file the moment it
 * arrives. Such a sink sees a record twice across stop and restore unless nothing processed after
 * the savepoint reaches it — what Flink's stop (a synchronous savepoint) guarantees. At the end of
 * input (a bounded run, or a drain) the keyed function emits one `final` record per key, so a test
 * can tell a drain (input ended: finals) from a suspend (stopped where it was: none).
 */

import { appendFileSync } from "node:fs";
import { join } from "node:path";
import {
  defineJob,
  type OneInputStreamProcessFunction,
  type Sink,
  Sources,
  StateDeclarations,
} from "@weir/api";

export interface StopParams {
  /** Directory the sink appends to, one `out-<subtask>.jsonl` per subtask. */
  readonly dir: string;
  readonly count: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
}

export type StopOutput =
  | { readonly kind: "record"; readonly key: number; readonly seq: number; readonly count: number }
  | { readonly kind: "final"; readonly key: number; readonly count: number };

const COUNT = StateDeclarations.value<number>("count");

const counter: OneInputStreamProcessFunction<{ key: number; seq: number }, StopOutput, number> = {
  usesStates: () => [COUNT],
  processRecord(record, out, ctx) {
    const count = ctx.stateManager.getState(COUNT);
    const next = (count.value() ?? 0) + 1;
    count.update(next);
    out.collect({ kind: "record", key: record.key, seq: record.seq, count: next });
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((out, partition) => {
      const state = partition.stateManager;
      out.collect({ kind: "final", key: state.getCurrentKey(), count: state.getState(COUNT).value() ?? 0 });
    });
  },
};

/** Appends each written batch at once: no transactions, no buffering across checkpoints. */
function appendingSink(dir: string): Sink<StopOutput, never> {
  return {
    createWriter: (ctx) => ({
      write(records) {
        appendFileSync(
          join(dir, `out-${ctx.indexOfSubtask}.jsonl`),
          records.map((r) => `${JSON.stringify(r)}\n`).join(""),
        );
      },
      flush() {},
      close() {},
    }),
  };
}

export default defineJob((env, params: StopParams) => {
  env
    .fromSource(
      Sources.generator((i) => ({ key: i % params.keys, seq: Math.floor(i / params.keys) }), {
        count: params.count,
        recordsPerSecond: params.recordsPerSecond,
      }),
      "Numbers",
    )
    .withUid("numbers")
    .keyBy((r) => r.key)
    .process(counter)
    .withName("Counter")
    .withUid("counter")
    .toSink(appendingSink(params.dir))
    .withName("Appending sink")
    .withUid("sink");
});
