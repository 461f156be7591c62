/**
 * The harness for a {@link TwoInputBroadcastStreamProcessFunction}: input 0 is the partitioned
 * side (keyed when a key selector is given), input 1 the broadcast side, which every parallel
 * instance sees whole. Broadcast state is writable only while a broadcast record is processed. It
 * runs the runtime's own `BroadcastProcessOperator`; see {@link ProcessFunctionHarness}.
 * @module
 */

import type { KeySelector, KeyValue, TwoInputBroadcastStreamProcessFunction } from "@weir/api";
import { BroadcastProcessOperator, NO_TIMESTAMP, type OperatorSnapshot } from "@weir/runtime/testing";
import { CollectingOutput } from "./collecting-output.ts";
import { type HarnessSetup, ProcessFunctionHarness, type TimestampedValue } from "./harness-core.ts";
import type { OneInputHarnessOptions } from "./one-input-harness.ts";
import { snapshotList } from "./snapshot-redistribution.ts";

/**
 * Drives one {@link TwoInputBroadcastStreamProcessFunction}. Lifecycle as {@link OneInputHarness};
 * the operator finishes once both inputs have ended. On restore, broadcast state (IDENTICAL) is
 * copied to every new subtask.
 *
 * @example
 * ```ts
 * const RULES = StateDeclarations.broadcast<string, number>("limits");
 * const check: TwoInputBroadcastStreamProcessFunction<Txn, [string, number], string, string> = {
 *   usesStates: () => [RULES],
 *   processRecordFromBroadcastInput([user, limit], ctx) { ctx.stateManager.getState(RULES).put(user, limit); },
 *   processRecordFromNonBroadcastInput(t, out, ctx) {
 *     const limit = ctx.stateManager.getState(RULES).get(t.user) ?? Infinity;
 *     if (t.amount > limit) out.collect(`${t.user} over limit`);
 *   },
 * };
 * await using h = await BroadcastHarness.forFunction(check, { keySelector: (t) => t.user });
 * h.processBroadcastRecord(["a", 10]);
 * h.processRecord({ user: "a", amount: 20 });
 * assert.deepEqual(h.output(), ["a over limit"]);
 * ```
 * @public
 */
export class BroadcastHarness<IN1, IN2, OUT, K extends KeyValue = KeyValue> extends ProcessFunctionHarness {
  readonly #out: CollectingOutput;
  readonly #operator: BroadcastProcessOperator;

  private constructor(
    fn: TwoInputBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    options: OneInputHarnessOptions<IN1, K>,
    restoreFrom: readonly OperatorSnapshot[] | undefined,
  ) {
    const out = new CollectingOutput();
    let operator: BroadcastProcessOperator | undefined;
    const setup: HarnessSetup = {
      fn,
      options,
      fallbackName: "BroadcastProcess",
      inputs: 2,
      keyed: options.keySelector !== undefined,
      allowBroadcastState: true,
      restoreFrom,
    };
    super(setup, (common) => {
      operator = new BroadcastProcessOperator({
        ...common,
        fn: fn as unknown as TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>,
        keySelector: options.keySelector as KeySelector<unknown, KeyValue> | undefined,
        output: out,
      });
      return operator;
    });
    this.#out = out;
    this.#operator = operator!;
  }

  /**
   * A harness for `fn`, opened and ready for records. The non-broadcast side is keyed when
   * `options.keySelector` is given.
   *
   * @example
   * ```ts
   * const h = await BroadcastHarness.forFunction(fn, { keySelector: (t) => t.user });
   * ```
   */
  static async forFunction<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: TwoInputBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    options: OneInputHarnessOptions<IN1, K> = {},
  ): Promise<BroadcastHarness<IN1, IN2, OUT, K>> {
    const harness = new BroadcastHarness(fn, options, undefined);
    await harness.start();
    return harness;
  }

  /**
   * A harness restored from one snapshot or the snapshots of every old subtask, then opened; see
   * {@link OneInputHarness.restore}.
   *
   * @example
   * ```ts
   * const h2 = await BroadcastHarness.restore(fn, h.snapshot(), { keySelector: (t) => t.user, parallelism: 3 });
   * ```
   */
  static async restore<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: TwoInputBroadcastStreamProcessFunction<IN1, IN2, OUT, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options: OneInputHarnessOptions<IN1, K> = {},
  ): Promise<BroadcastHarness<IN1, IN2, OUT, K>> {
    const harness = new BroadcastHarness(fn, options, snapshotList(snapshot));
    await harness.start();
    return harness;
  }

  /** Processes one record of the non-broadcast input (input 0), then fires any due timer. */
  processRecord(record: IN1, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(0, "processRecord", () => this.#operator.processRecord1(record, timestamp));
  }

  /** Processes one record of the broadcast input (input 1): the only place broadcast state is writable. */
  processBroadcastRecord(record: IN2, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(1, "processBroadcastRecord", () => this.#operator.processRecord2(record, timestamp));
  }

  /** Ends input 0 (`endNonBroadcastInput`) or 1 (`endBroadcastInput`). */
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
