/**
 * A job for savepoint tests: a rate-limited bounded generator, a keyed counter that sums and counts
 * each key's values in state, and at the end of input one line per key (`key,count,sum`) printed.
 * The lines depend on every record having been counted exactly once, so a run stopped with a
 * savepoint and resumed from it must print the same lines as an uninterrupted run.
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, Sources, StateDeclarations } from "@weir/api";

export interface KeyCountsParams {
  readonly count: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
}

const COUNT = StateDeclarations.value<number>("count");
const SUM = StateDeclarations.value<number>("sum");

const counter: OneInputStreamProcessFunction<number, string, number> = {
  usesStates: () => [COUNT, SUM],
  processRecord(value, _out, ctx) {
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
    const sum = ctx.stateManager.getState(SUM);
    sum.update((sum.value() ?? 0) + value);
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((out, partition) => {
      const state = partition.stateManager;
      out.collect(`${state.getCurrentKey()},${state.getState(COUNT).value()},${state.getState(SUM).value()}`);
    });
  },
};

export default defineJob((env, params: KeyCountsParams) => {
  env
    .fromSource(
      Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
      "Numbers",
    )
    .withUid("numbers")
    .keyBy((i) => i % params.keys)
    .process(counter)
    .withName("Counter")
    .withUid("counter")
    .toSink(Sinks.print());
});
