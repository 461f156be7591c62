/**
 * generator -> keyBy -> count per key in ValueState -> discard. With parallelism p every record is
 * hashed to one of p subtasks, so (p-1)/p of them cross to another worker thread through the
 * exchange (encode, transfer, decode) and the rest take the same-thread channel. The count emits
 * nothing per record, only each key's final count at the end of input.
 *
 * Verifying variant (`verify: true`): the final counts go to a collect sink.
 * @module
 */

import { defineJob, type OneInputStreamProcessFunction, Sinks, Sources, StateDeclarations } from "@weir/api";
import { type BenchJobParams, eventsOf } from "./params.ts";

export interface KeyedCountParams extends BenchJobParams {
  /** Distinct keys (default 10 000). */
  readonly keys?: number;
}

export interface Event {
  readonly key: number;
  readonly seq: number;
}

export interface KeyCount {
  readonly key: number;
  readonly count: number;
}

export const DEFAULT_KEYS = 10_000;

const COUNT = StateDeclarations.value<number>("count");

const countPerKey: OneInputStreamProcessFunction<Event, KeyCount, number> = {
  usesStates: () => [COUNT],
  processRecord(_event, _output, ctx) {
    const count = ctx.stateManager.getState(COUNT);
    count.update((count.value() ?? 0) + 1);
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((output, partition) => {
      const key = partition.stateManager.getCurrentKey();
      output.collect({ key, count: partition.stateManager.getState(COUNT).value() ?? 0 });
    });
  },
};

/** The final counts, in the verifying variant. */
export const KEY_COUNTS = Sinks.collect<KeyCount>("bench-key-counts");

export default defineJob((env, params: KeyedCountParams) => {
  const events = eventsOf(params);
  const keys = params.keys ?? DEFAULT_KEYS;
  if (!Number.isInteger(keys) || keys < 1)
    throw new TypeError(`params.keys must be a positive integer, got ${keys}`);
  const counts = env
    .fromSource(
      Sources.generator((index): Event => ({ key: index % keys, seq: index }), { count: events }),
      "Generator",
    )
    .keyBy((event) => event.key)
    .process(countPerKey)
    .withName("Count per key");
  counts
    .toSink(params.verify === true ? KEY_COUNTS : Sinks.discard())
    .withName(params.verify === true ? "Collect" : "Discard");
});
