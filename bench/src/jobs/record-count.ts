/**
 * The verifying tail of a non-keyed stream: counts the records of each subtask and emits one count
 * per subtask at the end of input, to a collect sink. Only used by the verifying job variants.
 * @module
 */

import { type OneInputStreamProcessFunction, Sinks, StateDeclarations } from "@weir/api";

const RECEIVED = StateDeclarations.value<number>("received");

/** Per-subtask record counts, one record per subtask. */
export const RECEIVED_COUNTS = Sinks.collect<number>("bench-received-counts");

export const countRecords: OneInputStreamProcessFunction<unknown, number, never> = {
  usesStates: () => [RECEIVED],
  processRecord(_record, _output, ctx) {
    const received = ctx.stateManager.getState(RECEIVED);
    received.update((received.value() ?? 0) + 1);
  },
  endInput(ctx) {
    const received = ctx.stateManager.getState(RECEIVED).value() ?? 0;
    ctx.applyToAllPartitions((output) => output.collect(received));
  },
};
