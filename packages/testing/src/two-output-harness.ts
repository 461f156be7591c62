/**
 * The harness for a {@link TwoOutputStreamProcessFunction}: like {@link OneInputHarness}, with the
 * two outputs collected separately. It runs the runtime's own `TwoOutputProcessOperator`; see
 * {@link ProcessFunctionHarness} for the invariants every harness keeps.
 * @module
 */

import type { KeySelector, KeyValue, TwoOutputStreamProcessFunction } from "@weir/api";
import { NO_TIMESTAMP, type OperatorSnapshot, TwoOutputProcessOperator } from "@weir/runtime/testing";
import { CollectingOutput } from "./collecting-output.ts";
import { type HarnessSetup, ProcessFunctionHarness, type TimestampedValue } from "./harness-core.ts";
import type { OneInputHarnessOptions } from "./one-input-harness.ts";
import { snapshotList } from "./snapshot-redistribution.ts";

/**
 * Drives one {@link TwoOutputStreamProcessFunction}. Lifecycle as {@link OneInputHarness}: the
 * factories return an opened harness; `close()` or `await using` closes it.
 *
 * @example
 * ```ts
 * const split: TwoOutputStreamProcessFunction<number, number, string> = {
 *   processRecord(n, evens, odds) {
 *     if (n % 2 === 0) evens.collect(n);
 *     else odds.collect(`odd ${n}`);
 *   },
 * };
 * await using h = await TwoOutputHarness.forFunction(split);
 * [1, 2, 3].forEach((n) => h.processRecord(n));
 * assert.deepEqual(h.output1(), [2]);
 * assert.deepEqual(h.output2(), ["odd 1", "odd 3"]);
 * ```
 * @public
 */
export class TwoOutputHarness<IN, OUT1, OUT2, K extends KeyValue = KeyValue> extends ProcessFunctionHarness {
  readonly #out1: CollectingOutput;
  readonly #out2: CollectingOutput;
  readonly #operator: TwoOutputProcessOperator;

  private constructor(
    fn: TwoOutputStreamProcessFunction<IN, OUT1, OUT2, K>,
    options: OneInputHarnessOptions<IN, K>,
    restoreFrom: readonly OperatorSnapshot[] | undefined,
  ) {
    const out1 = new CollectingOutput();
    const out2 = new CollectingOutput();
    let operator: TwoOutputProcessOperator | undefined;
    const setup: HarnessSetup = {
      fn,
      options,
      fallbackName: "TwoOutputProcess",
      inputs: 1,
      keyed: options.keySelector !== undefined,
      allowBroadcastState: false,
      restoreFrom,
    };
    super(setup, (common) => {
      operator = new TwoOutputProcessOperator({
        ...common,
        fn: fn as unknown as TwoOutputStreamProcessFunction<unknown, unknown, unknown, KeyValue>,
        keySelector: options.keySelector as KeySelector<unknown, KeyValue> | undefined,
        outputs: [out1, out2],
      });
      return operator;
    });
    this.#out1 = out1;
    this.#out2 = out2;
    this.#operator = operator!;
  }

  /**
   * A harness for `fn`, opened and ready for records. Keyed when `options.keySelector` is given.
   *
   * @example
   * ```ts
   * const h = await TwoOutputHarness.forFunction(fn, { keySelector: (r) => r.id });
   * ```
   */
  static async forFunction<IN, OUT1, OUT2, K extends KeyValue = KeyValue>(
    fn: TwoOutputStreamProcessFunction<IN, OUT1, OUT2, K>,
    options: OneInputHarnessOptions<IN, K> = {},
  ): Promise<TwoOutputHarness<IN, OUT1, OUT2, K>> {
    const harness = new TwoOutputHarness(fn, options, undefined);
    await harness.start();
    return harness;
  }

  /**
   * A harness restored from one snapshot or the snapshots of every old subtask, then opened; see
   * {@link OneInputHarness.restore}.
   *
   * @example
   * ```ts
   * const h2 = await TwoOutputHarness.restore(fn, h.snapshot(), { keySelector: (r) => r.id, parallelism: 2 });
   * ```
   */
  static async restore<IN, OUT1, OUT2, K extends KeyValue = KeyValue>(
    fn: TwoOutputStreamProcessFunction<IN, OUT1, OUT2, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options: OneInputHarnessOptions<IN, K> = {},
  ): Promise<TwoOutputHarness<IN, OUT1, OUT2, K>> {
    const harness = new TwoOutputHarness(fn, options, snapshotList(snapshot));
    await harness.start();
    return harness;
  }

  /** Processes one record, then fires any timer that became due; see {@link OneInputHarness.processRecord}. */
  processRecord(record: IN, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(0, "processRecord", () => this.#operator.processRecord1(record, timestamp));
  }

  /** Ends the input: calls the function's `endInput`, then finishes the operator. */
  endInput(): void {
    this.endInputOf(0);
  }

  /** Records collected on the first output, in emission order. */
  output1(): OUT1[] {
    return this.#out1.records.map((r) => r.value as OUT1);
  }

  /** Records collected on the second output, in emission order. */
  output2(): OUT2[] {
    return this.#out2.records.map((r) => r.value as OUT2);
  }

  /** The first output with timestamps ({@link NO_TIMESTAMP} when none). */
  output1WithTimestamps(): TimestampedValue<OUT1>[] {
    return [...this.#out1.records] as TimestampedValue<OUT1>[];
  }

  /** The second output with timestamps ({@link NO_TIMESTAMP} when none). */
  output2WithTimestamps(): TimestampedValue<OUT2>[] {
    return [...this.#out2.records] as TimestampedValue<OUT2>[];
  }

  /** Forgets what both outputs collected so far. */
  clearOutput(): void {
    this.#out1.records = [];
    this.#out2.records = [];
  }
}
