/**
 * Test job: per-key running sums and counts over a collection, emitted once per key at the end of
 * input. Used by the property test against a plain-array oracle.
 */

import { defineJob, Sinks, StateDeclarations } from "@weir/api";

export interface Event {
  readonly key: string;
  readonly value: number;
}

export interface KeyTotal {
  readonly key: string;
  readonly sum: number;
  readonly count: number;
}

export const TOTALS = Sinks.collect<KeyTotal>("totals");
const SUM = StateDeclarations.reducing<number>("sum", (a, b) => a + b);
const COUNT = StateDeclarations.aggregating<Event, number, number>("count", {
  createAccumulator: () => 0,
  add: (_event, acc) => acc + 1,
  getResult: (acc) => acc,
});

export default defineJob((env, params: { events: Event[]; parallelism?: number }) => {
  env
    .fromCollection(params.events)
    .keyBy((event) => event.key)
    .process({
      usesStates: () => [SUM, COUNT],
      processRecord(event, _output, ctx) {
        ctx.stateManager.getState(SUM).add(event.value);
        ctx.stateManager.getState(COUNT).add(event);
      },
      endInput(ctx) {
        ctx.applyToAllPartitions((output, partition) => {
          const state = partition.stateManager;
          output.collect({
            key: state.getCurrentKey(),
            sum: state.getState(SUM).get() ?? 0,
            count: state.getState(COUNT).get() ?? 0,
          });
        });
      },
    })
    .withName("Sum per key")
    .toSink(TOTALS);
});
