/**
 * The harness for a {@link OneInputStreamProcessFunction}: records go in one by one, timers fire
 * when the test moves the manual clock, outputs are collected with their timestamps. It runs the
 * runtime's own `OneInputProcessOperator`, so state, timers, contexts and error wrapping behave
 * exactly as in a job; see {@link ProcessFunctionHarness} for the invariants every harness keeps.
 * @module
 */

import type { KeySelector, KeyValue, OneInputStreamProcessFunction, Watermark } from "@weir/api";
import { NO_TIMESTAMP, OneInputProcessOperator, type OperatorSnapshot } from "@weir/runtime/testing";
import { CollectingOutput } from "./collecting-output.ts";
import {
  type HarnessOptions,
  type HarnessSetup,
  ProcessFunctionHarness,
  type TimestampedValue,
} from "./harness-core.ts";
import { snapshotList } from "./snapshot-redistribution.ts";

/**
 * Options of {@link OneInputHarness}. With a `keySelector` the input is a keyed stream: state and
 * timers are per key and only keys of this subtask's key-group range survive a restore.
 *
 * @example
 * ```ts
 * const options: OneInputHarnessOptions<{ user: string }, string> = { keySelector: (e) => e.user };
 * ```
 * @public
 */
export interface OneInputHarnessOptions<IN, K extends KeyValue = KeyValue> extends HarnessOptions {
  readonly keySelector?: KeySelector<IN, K> | undefined;
}

/**
 * Drives one {@link OneInputStreamProcessFunction} without a job, a worker or real time.
 *
 * Lifecycle: `forFunction` and `restore` are async and return a harness whose function is already
 * open (`open(ctx)` ran, after restoring state); `close()` (or `await using`) calls `close()` on the
 * function. `endInput()` ends the input and finishes the operator: later clock moves fire no timers.
 *
 * @example
 * ```ts
 * const COUNT = StateDeclarations.value<number>("count");
 * const countPerUser: OneInputStreamProcessFunction<{ user: string }, [string, number], string> = {
 *   usesStates: () => [COUNT],
 *   processRecord(event, out, ctx) {
 *     const count = ctx.stateManager.getState(COUNT);
 *     const next = (count.value() ?? 0) + 1;
 *     count.update(next);
 *     out.collect([event.user, next]);
 *   },
 * };
 * await using h = await OneInputHarness.forFunction(countPerUser, { keySelector: (e) => e.user });
 * h.processRecord({ user: "a" }, 1_000);
 * h.processRecord({ user: "a" }, 2_000);
 * assert.deepEqual(h.output(), [["a", 1], ["a", 2]]);
 * const h2 = await OneInputHarness.restore(countPerUser, h.snapshot(), {
 *   keySelector: (e) => e.user, parallelism: 2, subtask: subtaskForKey("a", { parallelism: 2 }),
 * });
 * ```
 * @public
 */
export class OneInputHarness<IN, OUT, K extends KeyValue = KeyValue> extends ProcessFunctionHarness {
  readonly #out: CollectingOutput;
  readonly #operator: OneInputProcessOperator;

  private constructor(
    fn: OneInputStreamProcessFunction<IN, OUT, K>,
    options: OneInputHarnessOptions<IN, K>,
    restoreFrom: readonly OperatorSnapshot[] | undefined,
  ) {
    const out = new CollectingOutput();
    let operator: OneInputProcessOperator | undefined;
    const setup: HarnessSetup = {
      fn,
      options,
      fallbackName: "Process",
      inputs: 1,
      keyed: options.keySelector !== undefined,
      allowBroadcastState: false,
      restoreFrom,
    };
    super(setup, (common) => {
      operator = new OneInputProcessOperator({
        ...common,
        fn: fn as unknown as OneInputStreamProcessFunction<unknown, unknown, KeyValue>,
        keySelector: options.keySelector as KeySelector<unknown, KeyValue> | undefined,
        output: out,
      });
      return operator;
    });
    this.#out = out;
    this.#operator = operator!;
  }

  /**
   * A harness for `fn`, opened and ready for records. Keyed when `options.keySelector` is given.
   *
   * @example
   * ```ts
   * const h = await OneInputHarness.forFunction(fn, { keySelector: (r) => r.id, startTime: 0 });
   * ```
   */
  static async forFunction<IN, OUT, K extends KeyValue = KeyValue>(
    fn: OneInputStreamProcessFunction<IN, OUT, K>,
    options: OneInputHarnessOptions<IN, K> = {},
  ): Promise<OneInputHarness<IN, OUT, K>> {
    const harness = new OneInputHarness(fn, options, undefined);
    await harness.start();
    return harness;
  }

  /**
   * A harness for `fn` restored from `snapshot`, then opened. Pass one snapshot, or the snapshots
   * of every subtask of the old job in subtask order; the new harness is subtask `options.subtask`
   * of `options.parallelism` and keeps only the keyed state of its key groups.
   *
   * @example
   * ```ts
   * const snap = h.snapshot();
   * const [a, b] = await Promise.all([0, 1].map((subtask) =>
   *   OneInputHarness.restore(fn, snap, { keySelector: (r) => r.id, parallelism: 2, subtask })));
   * ```
   */
  static async restore<IN, OUT, K extends KeyValue = KeyValue>(
    fn: OneInputStreamProcessFunction<IN, OUT, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options: OneInputHarnessOptions<IN, K> = {},
  ): Promise<OneInputHarness<IN, OUT, K>> {
    const harness = new OneInputHarness(fn, options, snapshotList(snapshot));
    await harness.start();
    return harness;
  }

  /**
   * Processes one record, then fires any timer that became due (e.g. one registered for `now`).
   * `timestamp` is the record's timestamp, stamped on what the function collects; default none.
   * A user exception is rethrown as a `UserCodeError` naming the operator, and fails the harness.
   */
  processRecord(record: IN, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(0, "processRecord", () => this.#operator.processRecord1(record, timestamp));
  }

  /** Delivers a (combined) watermark to the input, as the input gate would. */
  processWatermark(watermark: Watermark): void {
    this.watermarkInput(0, watermark);
  }

  /** The watermarks the operator sent downstream, in order. */
  outputWatermarks(): Watermark[] {
    return [...this.#out.watermarks];
  }

  /** Ends the (bounded) input: calls the function's `endInput`, then finishes the operator. */
  endInput(): void {
    this.endInputOf(0);
  }

  /** The records collected so far, in emission order. */
  output(): OUT[] {
    return this.#out.records.map((r) => r.value as OUT);
  }

  /** The records collected so far with their timestamps ({@link NO_TIMESTAMP} when none). */
  outputWithTimestamps(): TimestampedValue<OUT>[] {
    return [...this.#out.records] as TimestampedValue<OUT>[];
  }

  /** Forgets the records collected so far. */
  clearOutput(): void {
    this.#out.records = [];
  }
}
