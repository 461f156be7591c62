/**
 * A self-checking job (the technique of Flink's checkpointing ITCases): a generator emits per-key
 * sequence numbers 0, 1, 2, …; a keyed checker remembers the last number per key and reports every
 * gap (a lost record) or repeat (a duplicate). An injected failure throws once, on the first
 * attempt, after some records; with checkpoints and a restart the job must still see every
 * number of every key exactly once.
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, Sources, StateDeclarations } from "@weir/api";

export interface Numbered {
  readonly key: number;
  readonly seq: number;
  readonly index: number;
}

export type Report =
  | { readonly kind: "anomaly"; readonly key: number; readonly expected: number; readonly got: number }
  | { readonly kind: "final"; readonly key: number; readonly count: number; readonly last: number };

export const REPORTS = Sinks.collect<Report>("reports");

export interface ExactlyOnceParams {
  readonly count: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  /** Index of the record whose processing throws on the first attempt; -1 for none. */
  readonly failAt: number;
  /** The checker's uid (default "checker"); a restore maps state to operators by uid. */
  readonly checkerUid?: string;
}

const LAST = StateDeclarations.value<number>("last-seq");
const COUNT = StateDeclarations.value<number>("count");

const checker: OneInputStreamProcessFunction<Numbered, Report, number> = {
  usesStates: () => [LAST, COUNT],
  processRecord(record, out, ctx) {
    const last = ctx.stateManager.getState(LAST);
    const expected = (last.value() ?? -1) + 1;
    if (record.seq !== expected) out.collect({ kind: "anomaly", key: record.key, expected, got: record.seq });
    last.update(Math.max(record.seq, last.value() ?? -1));
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
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

export default defineJob((env, params: ExactlyOnceParams) => {
  const { count, keys } = params;
  env
    .fromSource(
      // Key k's records all come from one source subtask (keys is a multiple of the parallelism),
      // so each key's sequence arrives in order.
      Sources.generator((i): Numbered => ({ key: i % keys, seq: Math.floor(i / keys), index: i }), {
        count,
        recordsPerSecond: params.recordsPerSecond,
      }),
      "Numbers",
    )
    .withUid("numbers")
    .process<Numbered>({
      processRecord(record, out, ctx) {
        if (record.index === params.failAt && ctx.taskInfo.attemptNumber === 0) {
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
    .withUid(params.checkerUid ?? "checker")
    .toSink(REPORTS);
});
