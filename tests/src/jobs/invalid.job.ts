/** Test job: graphs that must be rejected, one per `params.problem`. */

import { isMainThread } from "node:worker_threads";
import { defineJob, Sinks, StateDeclarations } from "@weir/api";

const A = StateDeclarations.value<number>("a");
const A_AGAIN = StateDeclarations.value<number>("a");
const UNDECLARED = StateDeclarations.value<number>("undeclared");
const RULES = StateDeclarations.broadcast<string, string>("rules");

export default defineJob((env, params: { problem: string }) => {
  const numbers = env.fromCollection([1, 2, 3]);
  switch (params.problem) {
    case "duplicate-state":
      numbers
        .keyBy((n) => n)
        .process({ usesStates: () => [A, A_AGAIN], processRecord() {} })
        .withName("Twice declared")
        .toSink(Sinks.discard());
      return;
    case "undeclared-state":
      numbers
        .keyBy((n) => n)
        .process({
          usesStates: () => [A],
          processRecord(n, _out, ctx) {
            ctx.stateManager.getState(UNDECLARED).update(n);
          },
        })
        .withName("Sneaky")
        .toSink(Sinks.discard());
      return;
    case "broadcast-state-without-broadcast":
      numbers
        .process({ usesStates: () => [RULES], processRecord() {} })
        .withName("No broadcast input")
        .toSink(Sinks.discard());
      return;
    case "timer-on-non-keyed":
      numbers
        .process({
          processRecord(_n, _out, ctx) {
            ctx.processingTimeManager.registerTimer(0);
          },
        })
        .withName("Timer without key")
        .toSink(Sinks.discard());
      return;
    case "bad-key":
      numbers
        .keyBy((n) => (n === 2 ? (undefined as unknown as number) : n))
        .process({ processRecord() {} })
        .toSink(Sinks.discard());
      return;
    case "non-deterministic":
      // Builds a different graph in worker threads than on the coordinator.
      (isMainThread ? numbers : numbers.shuffle()).toSink(Sinks.discard());
      return;
    case "uid-twice":
      numbers
        .map((n) => n)
        .withUid("same")
        .map((n) => n)
        .withUid("same")
        .toSink(Sinks.discard());
      return;
    case "parallelism-above-max":
      numbers
        .map((n) => n)
        .withParallelism(8)
        .withMaxParallelism(4)
        .toSink(Sinks.discard());
      return;
  }
});
