/**
 * A small keyed job whose own configuration may choose the state backend (`env.configure`, as a
 * SQL script's `SET 'state.backend.type'`): counts each key's records in state and collects one
 * `key,count` line per key at the end of input. With `keyRun`, keys come in runs (`keyRun` records
 * of one key, then the next key), so a checkpoint interval touches only a few keys: incremental
 * state snapshots then hold deltas.
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, Sources, StateDeclarations } from "@weir/api";

export interface ConfiguredBackendParams {
  readonly count: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  /** Consecutive records of one key (default 1: keys round-robin). */
  readonly keyRun?: number;
  /** The job's own `state.backend.type`, if any. */
  readonly backend?: string;
}

export const COUNTS = Sinks.collect<string>("counts");

const COUNT = StateDeclarations.value<number>("count");

const counter: OneInputStreamProcessFunction<number, string, number> = {
  usesStates: () => [COUNT],
  processRecord(_value, _out, ctx) {
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((out, partition) => {
      const state = partition.stateManager;
      out.collect(`${state.getCurrentKey()},${state.getState(COUNT).value()}`);
    });
  },
};

export default defineJob((env, params: ConfiguredBackendParams) => {
  if (params.backend !== undefined) env.configure({ "state.backend.type": params.backend });
  env
    .fromSource(
      Sources.generator((i) => i, { count: params.count, recordsPerSecond: params.recordsPerSecond }),
      "Numbers",
    )
    .withUid("numbers")
    .keyBy((i) => Math.floor(i / (params.keyRun ?? 1)) % params.keys)
    .process(counter)
    .withName("Counter")
    .withUid("counter")
    .toSink(COUNTS);
});
