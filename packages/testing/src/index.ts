/**
 * `@weir/testing`: an operator test harness for Weir process functions (DESIGN.md §10, the
 * "operator harness" tier). A harness runs the runtime's own operator for one function in the test's
 * thread, with a manual clock: records go in one call at a time, processing-time timers fire only
 * when the test advances the clock, outputs are collected, and state can be snapshotted and
 * restored at another parallelism. No worker threads, no real time, fully deterministic.
 *
 * @example
 * ```ts
 * import { OneInputHarness } from "@weir/testing";
 * await using h = await OneInputHarness.forFunction(fn, { keySelector: (e) => e.user });
 * h.processRecord({ user: "a" }, 1_000);
 * h.advanceBy(60_000);            // fires the timers due in the next minute
 * assert.deepEqual(h.output(), [...]);
 * ```
 * @module
 */

/**
 * `OperatorSnapshot`: what `snapshot()` returns and `restore` takes (the runtime's snapshot shape).
 * `UserCodeError`: what an exception thrown by user code is rethrown as; its message starts with the
 * operator name, `operatorName` names the operator and `cause` is the original error.
 * `AsyncProcessingError`: a `UserCodeError` for an async request whose last attempt rejected
 * (`cause` is the rejection) or timed out without `onTimeout` (`cause` is a TimeoutError).
 *
 * @example
 * ```ts
 * assert.throws(() => h.processRecord(bad), (e) => e instanceof UserCodeError && e.cause instanceof MyError);
 * ```
 */
export { AsyncProcessingError, type OperatorSnapshot, UserCodeError } from "@weir/runtime/testing";
export {
  AsyncHarness,
  type AsyncHarnessOptions,
  type AsyncOutputElement,
  type ManualAsyncCall,
  ManualAsyncFunction,
} from "./async-harness.ts";
export { BroadcastHarness } from "./broadcast-harness.ts";
export {
  type HarnessOptions,
  NO_TIMESTAMP,
  ProcessFunctionHarness,
  subtaskForKey,
  type TimestampedValue,
} from "./harness-core.ts";
export { OneInputHarness, type OneInputHarnessOptions } from "./one-input-harness.ts";
export { TwoInputHarness, type TwoInputHarnessOptions } from "./two-input-harness.ts";
export { TwoOutputHarness } from "./two-output-harness.ts";
