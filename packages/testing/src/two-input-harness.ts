/**
 * The harness for a {@link TwoInputNonBroadcastStreamProcessFunction}: records of the two inputs
 * interleave in the order the test feeds them, as they would in arrival order. It runs the
 * runtime's own `TwoInputProcessOperator`; see {@link ProcessFunctionHarness} for the invariants.
 * @module
 */

import type { KeySelector, KeyValue, TwoInputNonBroadcastStreamProcessFunction, Watermark } from "@weir/api";
import { NO_TIMESTAMP, type OperatorSnapshot, TwoInputProcessOperator } from "@weir/runtime/testing";
import { CollectingOutput } from "./collecting-output.ts";
import {
  type HarnessOptions,
  type HarnessSetup,
  ProcessFunctionHarness,
  type TimestampedValue,
} from "./harness-core.ts";
import { snapshotList } from "./snapshot-redistribution.ts";

/**
 * Options of {@link TwoInputHarness}. With `keySelectors` both inputs are keyed by the same key
 * type (each with its own selector) and share the state of a key; without, neither is keyed.
 *
 * @example
 * ```ts
 * const options: TwoInputHarnessOptions<Order, Payment, string> = {
 *   keySelectors: [(o) => o.orderId, (p) => p.orderId],
 * };
 * ```
 * @public
 */
export interface TwoInputHarnessOptions<IN1, IN2, K extends KeyValue = KeyValue> extends HarnessOptions {
  readonly keySelectors?: readonly [KeySelector<IN1, K>, KeySelector<IN2, K>] | undefined;
}

/**
 * Drives one {@link TwoInputNonBroadcastStreamProcessFunction}. Lifecycle as {@link OneInputHarness};
 * the operator finishes once both inputs have ended.
 *
 * @example
 * ```ts
 * const ORDER = StateDeclarations.value<string>("order");
 * const join: TwoInputNonBroadcastStreamProcessFunction<Order, Payment, string, string> = {
 *   usesStates: () => [ORDER],
 *   processRecordFromFirstInput(o, _out, ctx) { ctx.stateManager.getState(ORDER).update(o.item); },
 *   processRecordFromSecondInput(p, out, ctx) {
 *     out.collect(`${ctx.stateManager.getState(ORDER).value()} paid ${p.amount}`);
 *   },
 * };
 * await using h = await TwoInputHarness.forFunction(join, { keySelectors: [(o) => o.id, (p) => p.id] });
 * h.processRecord1({ id: "1", item: "book" });
 * h.processRecord2({ id: "1", amount: 12 });
 * assert.deepEqual(h.output(), ["book paid 12"]);
 * ```
 * @public
 */
export class TwoInputHarness<IN1, IN2, OUT, K extends KeyValue = KeyValue> extends ProcessFunctionHarness {
  readonly #out: CollectingOutput;
  readonly #operator: TwoInputProcessOperator;

  private constructor(
    fn: TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    options: TwoInputHarnessOptions<IN1, IN2, K>,
    restoreFrom: readonly OperatorSnapshot[] | undefined,
  ) {
    const out = new CollectingOutput();
    let operator: TwoInputProcessOperator | undefined;
    const selectors = options.keySelectors;
    if (
      selectors !== undefined &&
      (typeof selectors[0] !== "function" || typeof selectors[1] !== "function")
    ) {
      throw new TypeError("keySelectors must hold one key selector per input");
    }
    const setup: HarnessSetup = {
      fn,
      options,
      fallbackName: "TwoInputProcess",
      inputs: 2,
      keyed: selectors !== undefined,
      allowBroadcastState: false,
      restoreFrom,
    };
    super(setup, (common) => {
      operator = new TwoInputProcessOperator({
        ...common,
        fn: fn as unknown as TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>,
        keySelectors: (selectors ?? [undefined, undefined]) as readonly [
          KeySelector<unknown, KeyValue> | undefined,
          KeySelector<unknown, KeyValue> | undefined,
        ],
        output: out,
      });
      return operator;
    });
    this.#out = out;
    this.#operator = operator!;
  }

  /**
   * A harness for `fn`, opened and ready for records. Keyed when `options.keySelectors` is given.
   *
   * @example
   * ```ts
   * const h = await TwoInputHarness.forFunction(fn, { keySelectors: [(a) => a.id, (b) => b.id] });
   * ```
   */
  static async forFunction<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    options: TwoInputHarnessOptions<IN1, IN2, K> = {},
  ): Promise<TwoInputHarness<IN1, IN2, OUT, K>> {
    const harness = new TwoInputHarness(fn, options, undefined);
    await harness.start();
    return harness;
  }

  /**
   * A harness restored from one snapshot or the snapshots of every old subtask, then opened; see
   * {@link OneInputHarness.restore}.
   *
   * @example
   * ```ts
   * const h2 = await TwoInputHarness.restore(fn, h.snapshot(), { keySelectors, parallelism: 2, subtask: 1 });
   * ```
   */
  static async restore<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options: TwoInputHarnessOptions<IN1, IN2, K> = {},
  ): Promise<TwoInputHarness<IN1, IN2, OUT, K>> {
    const harness = new TwoInputHarness(fn, options, snapshotList(snapshot));
    await harness.start();
    return harness;
  }

  /** Processes one record of the first input, then fires any timer that became due. */
  processRecord1(record: IN1, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(0, "processRecord1", () => this.#operator.processRecord1(record, timestamp));
  }

  /** Processes one record of the second input, then fires any timer that became due. */
  processRecord2(record: IN2, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(1, "processRecord2", () => this.#operator.processRecord2(record, timestamp));
  }

  /** Delivers a (combined) watermark to input 0 or 1, as that input's gate would. */
  processWatermark(input: 0 | 1, watermark: Watermark): void {
    this.watermarkInput(input, watermark);
  }

  /** The watermarks the operator sent downstream (after combining both inputs), in order. */
  outputWatermarks(): Watermark[] {
    return [...this.#out.watermarks];
  }

  /**
   * Ends input 0 (`endFirstInput`) or 1 (`endSecondInput`). Once both have ended the operator
   * finishes and later clock moves fire no timers.
   */
  endInput(input: 0 | 1): void {
    this.endInputOf(input);
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
