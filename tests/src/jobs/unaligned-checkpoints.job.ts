/**
 * Test job for unaligned checkpoints: the self-checking job of exactly-once.job.ts (per-key
 * sequence numbers; a keyed checker reports every gap or repeat) under heavy backpressure — the
 * checker's output also goes to a sink that sleeps on every write, so the checker's input queues
 * and the sources' output buffers stay full and an aligned barrier waits behind them.
 *
 * Topology: Numbers (generator) -> Failure injector (chained) -> keyBy -> Sequence checker ->
 * { Slow sink, Reports (collect) } (both chained to the checker).
 */

import {
  defineJob,
  type OneInputStreamProcessFunction,
  type Sink,
  Sinks,
  Sources,
  StateDeclarations,
} from "@weir/api";

export interface Numbered {
  readonly key: number;
  readonly seq: number;
  readonly index: number;
}

export type Report =
  | { readonly kind: "anomaly"; readonly key: number; readonly expected: number; readonly got: number }
  | { readonly kind: "final"; readonly key: number; readonly count: number; readonly last: number };

export const REPORTS = Sinks.collect<Report>("reports");

export interface UnalignedParams {
  /** Records in all; omit for an unbounded run (the test cancels it). */
  readonly count?: number;
  readonly keys: number;
  /** Every write of the slow sink sleeps this long (ms). */
  readonly writeDelayMs: number;
  /** Index of the record whose processing throws on the first attempt; -1 for none. */
  readonly failAt: number;
  /** Injected failure only once this many checkpoints completed (shared Int32 slot 0). */
  readonly counters?: SharedArrayBuffer;
}

/** Int32 slot of `counters`: checkpoints completed, set by the test's onCheckpoint. */
export const COMPLETED = 0;

const LAST = StateDeclarations.value<number>("last-seq");
const COUNT = StateDeclarations.value<number>("count");

type Echo = Report | { readonly kind: "echo"; readonly key: number };

const checker: OneInputStreamProcessFunction<Numbered, Echo, number> = {
  usesStates: () => [LAST, COUNT],
  processRecord(record, out, ctx) {
    const last = ctx.stateManager.getState(LAST);
    const expected = (last.value() ?? -1) + 1;
    if (record.seq !== expected) out.collect({ kind: "anomaly", key: record.key, expected, got: record.seq });
    last.update(Math.max(record.seq, last.value() ?? -1));
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
    out.collect({ kind: "echo", key: record.key });
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((out, partition) => {
      const state = partition.stateManager;
      out.collect({
        kind: "final",
        key: state.getCurrentKey(),
        count: state.getState(COUNT).value() ?? 0,
        last: state.getState(LAST).value() ?? -1,
      });
    });
  },
};

function slowSink(delayMs: number): Sink<Echo> {
  return {
    createWriter: () => ({
      async write() {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      },
      flush() {},
      close() {},
    }),
  };
}

export default defineJob((env, params: UnalignedParams) => {
  const { keys } = params;
  const completed = params.counters === undefined ? undefined : new Int32Array(params.counters);
  const checked = env
    .fromSource(
      // Key k's records all come from one source subtask (keys is a multiple of the parallelism),
      // so each key's sequence arrives in order.
      Sources.generator((i): Numbered => ({ key: i % keys, seq: Math.floor(i / keys), index: i }), {
        ...(params.count !== undefined ? { count: params.count } : {}),
      }),
      "Numbers",
    )
    .withUid("numbers")
    .process<Numbered>({
      processRecord(record, out, ctx) {
        if (
          record.index >= params.failAt &&
          params.failAt >= 0 &&
          ctx.taskInfo.attemptNumber === 0 &&
          (completed === undefined || Atomics.load(completed, COMPLETED) >= 2)
        ) {
          throw new Error(`injected failure at record ${record.index}`);
        }
        out.collect(record);
      },
    })
    .withName("Failure injector")
    .withUid("injector")
    .keyBy((record) => record.key)
    .process(checker)
    .withName("Sequence checker")
    .withUid("checker");
  checked.toSink(slowSink(params.writeDelayMs)).withName("Slow sink");
  checked
    .process<Report>({
      processRecord(record, out) {
        if (record.kind !== "echo") out.collect(record);
      },
    })
    .withName("Reports only")
    .withUid("reports-only")
    .toSink(REPORTS);
});
