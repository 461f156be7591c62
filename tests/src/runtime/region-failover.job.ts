/**
 * A job for failover tests: a generator at parallelism 3 (subtask s emits s, s+3, s+6, …), a
 * checker that remembers the next index it expects (per subtask, or per key after a keyBy) and
 * reports gaps and repeats, and a collect sink receiving every index with the attempt number of
 * the task that emitted it. One subtask throws once, on its first attempt, at index `failAt`.
 */

import {
  defineJob,
  type KeyValue,
  type OneInputStreamProcessFunction,
  Sinks,
  Sources,
  StateDeclarations,
} from "@weir/api";

export interface Seen {
  readonly index: number;
  readonly subtask: number;
  readonly attempt: number;
  /** Set when the checker expected another index here: a lost or repeated record. */
  readonly anomaly?: number;
}

export const SEEN = Sinks.collect<Seen>("seen");

export interface RegionFailoverParams {
  readonly count: number;
  readonly recordsPerSecond: number;
  readonly failAt: number;
  /** Put a keyBy (key: index mod 3) between the source and the checker: one region. */
  readonly keyed: boolean;
  /** Also print every `printEvery`-th index per subtask (stdout), to watch progress from outside. */
  readonly printEvery?: number;
}

const NEXT = StateDeclarations.value<number>("next");

function checker<K extends KeyValue>(failAt: number): OneInputStreamProcessFunction<number, Seen, K> {
  return {
    usesStates: () => [NEXT],
    processRecord(index, out, ctx) {
      const { indexOfThisSubtask: subtask, attemptNumber: attempt } = ctx.taskInfo;
      if (index === failAt && attempt === 0) throw new Error(`injected failure at index ${index}`);
      const next = ctx.stateManager.getState(NEXT);
      const expected = next.value() ?? index % 3;
      out.collect(
        index === expected ? { index, subtask, attempt } : { index, subtask, attempt, anomaly: expected },
      );
      next.update(index + 3);
    },
  };
}

export default defineJob((env, params: RegionFailoverParams) => {
  const numbers = env
    .fromSource(
      Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
      "Numbers",
    )
    .withUid("numbers");
  const checked = params.keyed
    ? numbers.keyBy((i) => i % 3).process(checker<number>(params.failAt))
    : numbers.process(checker<never>(params.failAt));
  checked.withName("Checker").withUid("checker").toSink(SEEN);
  const every = params.printEvery;
  if (every !== undefined)
    checked
      .filter((seen) => Math.floor(seen.index / 3) % every === 0)
      .withName("Progress")
      .toSink(Sinks.print());
});
