/**
 * The harness for an {@link AsyncProcessFunction} (`processAsync`). It runs the runtime's own
 * `AsyncProcessOperator` with a manual clock, so a test decides when each request settles, when
 * processing time (timeouts, retry back-off) moves, and when the mailbox runs:
 *
 * - Settled promises reach the operator through the mailbox. Their callbacks run as microtasks;
 *   `await h.settle()` lets them run and then runs the mails they posted (repeatedly, until
 *   nothing more arrives). `h.drain()` runs only the mails already posted. Every input call and
 *   clock move also runs pending mails before and after itself.
 * - A full operator pauses its input, as in a task: `h.inputPaused` is true and input calls throw
 *   until a request completes and `settle()` ran. `processBatch` hands over several records in one
 *   step, as a task hands over an input batch, which the operator must accept even when it fills up.
 * - `endInput()` starts the operator's finish, which waits for the requests in flight; resolve
 *   them, then `await h.finished()`.
 *
 * {@link ManualAsyncFunction} is an async function whose calls the test settles by hand.
 * @module
 */

import type { AsyncContext, AsyncProcessFunction, AsyncProcessOptions, Watermark } from "@weir/api";
import { resolveAsyncProcessOptions } from "@weir/api";
import {
  AsyncProcessOperator,
  NO_TIMESTAMP,
  type OperatorSnapshot,
  type Output,
} from "@weir/runtime/testing";
import {
  type HarnessOptions,
  type HarnessSetup,
  ProcessFunctionHarness,
  type TimestampedValue,
} from "./harness-core.ts";
import { snapshotList } from "./snapshot-redistribution.ts";

/**
 * Options of {@link AsyncHarness}: the harness options plus the `processAsync` options.
 *
 * @example
 * ```ts
 * const options: AsyncHarnessOptions = { capacity: 2, ordered: false, timeoutMs: 100 };
 * ```
 * @public
 */
export interface AsyncHarnessOptions extends HarnessOptions, AsyncProcessOptions {}

/**
 * What the operator emitted, records and watermarks in one sequence, in emission order.
 *
 * @example
 * ```ts
 * assert.deepEqual(h.outputElements(), [{ record: "a", timestamp: 1 }, { watermark: W }]);
 * ```
 * @public
 */
export type AsyncOutputElement<OUT> =
  | { readonly record: OUT; readonly timestamp: number }
  | { readonly watermark: Watermark };

/** Collects records and watermarks in one list, to check their interleaving. */
class SequenceOutput implements Output {
  elements: AsyncOutputElement<unknown>[] = [];

  collect(record: unknown, timestamp: number): void {
    this.elements.push({ record, timestamp });
  }

  emitWatermark(watermark: Watermark): void {
    this.elements.push({ watermark });
  }
}

/** Turns of the event loop `settle()` waits for new mail before it gives up. */
const SETTLE_LIMIT = 10_000;

/**
 * Drives one {@link AsyncProcessFunction} without a job, a worker or real time.
 *
 * @example
 * ```ts
 * const lookup = new ManualAsyncFunction<number, string>();
 * await using h = await AsyncHarness.forFunction(lookup, { ordered: true, capacity: 10 });
 * h.processRecord(1, 1_000);
 * h.processRecord(2, 2_000);
 * lookup.callFor(2).resolve(["two"]);
 * await h.settle();
 * assert.deepEqual(h.output(), []);            // ordered: record 1 comes first
 * lookup.callFor(1).resolve(["one"]);
 * await h.settle();
 * assert.deepEqual(h.output(), ["one", "two"]);
 * ```
 * @public
 */
export class AsyncHarness<IN, OUT> extends ProcessFunctionHarness {
  readonly #out: SequenceOutput;
  readonly #operator: AsyncProcessOperator;
  #finishState: "none" | "pending" | "done" | "failed" = "none";
  #finishError: unknown;
  #finishErrorSeen = false;

  private constructor(
    fn: AsyncProcessFunction<IN, OUT>,
    options: AsyncHarnessOptions,
    restoreFrom: readonly OperatorSnapshot[] | undefined,
  ) {
    const { ordered, capacity, timeoutMs, retry, ...harnessOptions } = options;
    const resolved = resolveAsyncProcessOptions({ ordered, capacity, timeoutMs, retry });
    if (fn === null || typeof fn !== "object" || typeof fn.processRecordAsync !== "function") {
      throw new TypeError("AsyncHarness expects a function object with a processRecordAsync() method");
    }
    const out = new SequenceOutput();
    let operator: AsyncProcessOperator | undefined;
    const setup: HarnessSetup = {
      fn,
      options: harnessOptions,
      fallbackName: "AsyncProcess",
      inputs: 1,
      keyed: false,
      allowBroadcastState: false,
      restoreFrom,
    };
    super(setup, (common) => {
      if (common.states.length > 0) {
        throw new TypeError(`"${common.name}": an async process function cannot use state`);
      }
      operator = new AsyncProcessOperator({
        name: common.name,
        operatorId: common.operatorId,
        env: common.env,
        fn: fn as unknown as AsyncProcessFunction<unknown, unknown>,
        options: resolved,
        output: out,
      });
      return operator;
    });
    this.#out = out;
    this.#operator = operator!;
  }

  /**
   * A harness for `fn`, opened and ready for records.
   *
   * @example
   * ```ts
   * const h = await AsyncHarness.forFunction(fn, { capacity: 2, timeoutMs: 100 });
   * ```
   */
  static async forFunction<IN, OUT>(
    fn: AsyncProcessFunction<IN, OUT>,
    options: AsyncHarnessOptions = {},
  ): Promise<AsyncHarness<IN, OUT>> {
    const harness = new AsyncHarness(fn, options, undefined);
    await harness.start();
    return harness;
  }

  /**
   * A harness restored from `snapshot` (one snapshot, or every subtask's in subtask order), then
   * opened: the records that were in flight are issued again, in their order.
   *
   * @example
   * ```ts
   * const restored = await AsyncHarness.restore(fn, h.snapshot(), { capacity: 2 });
   * ```
   */
  static async restore<IN, OUT>(
    fn: AsyncProcessFunction<IN, OUT>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options: AsyncHarnessOptions = {},
  ): Promise<AsyncHarness<IN, OUT>> {
    const harness = new AsyncHarness(fn, options, snapshotList(snapshot));
    await harness.start();
    return harness;
  }

  /**
   * Hands one record to the operator (starting its request, or queueing it when the operator is
   * full). Throws while the operator has paused its input ({@link ProcessFunctionHarness.inputPaused}).
   */
  processRecord(record: IN, timestamp: number = NO_TIMESTAMP): void {
    this.processInput(0, "processRecord", () => this.#operator.processRecord1(record, timestamp));
  }

  /**
   * Hands several records over in one step, as a task hands over an input batch: a pause the
   * operator requests takes effect after the batch. `timestamps[i]` belongs to `records[i]`.
   */
  processBatch(records: readonly IN[], timestamps?: readonly number[]): void {
    if (timestamps !== undefined && timestamps.length !== records.length) {
      throw new RangeError(`processBatch: ${records.length} records but ${timestamps.length} timestamps`);
    }
    this.processInput(0, "processBatch", () => {
      for (let i = 0; i < records.length; i++) {
        this.#operator.processRecord1(records[i], timestamps?.[i] ?? NO_TIMESTAMP);
      }
    });
  }

  /** Delivers a (combined) watermark to the input. */
  processWatermark(watermark: Watermark): void {
    this.watermarkInput(0, watermark);
  }

  /**
   * Ends the input; the operator starts finishing: it waits for every request in flight and emits
   * it. Await {@link AsyncHarness.finished} for the end.
   */
  endInput(): void {
    this.endInputOf(0);
    const finishing = this.finishing;
    if (finishing === undefined) return;
    this.#finishState = "pending";
    finishing.then(
      () => {
        this.#finishState = "done";
      },
      (error: unknown) => {
        this.#finishState = "failed";
        this.#finishError = error;
      },
    );
  }

  /** Resolves once the operator finished after `endInput()`; rejects with its failure. */
  async finished(): Promise<void> {
    const finishing = this.finishing;
    if (finishing === undefined) throw new Error(`${this.operatorName}: finished() before endInput()`);
    try {
      await finishing;
    } catch (error) {
      this.#finishErrorSeen = true;
      throw error;
    }
  }

  /** Whether the operator finished after `endInput()` (false while it still waits). */
  get isFinished(): boolean {
    return this.#finishState === "done";
  }

  /** Runs the mails already posted (settlements that reached the mailbox), like a task step. */
  drain(): void {
    this.runMailbox("drain");
  }

  /**
   * Lets settled promises and ended pauses take effect: waits a turn of the event loop (so
   * promise callbacks run), runs the mails they posted, and repeats until no new mail arrives.
   * Requests nobody settled stay pending. Rejects with the operator's failure, if it fails.
   */
  async settle(): Promise<void> {
    for (let turn = 0; turn < SETTLE_LIMIT; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.hasMail) return;
      this.drain();
    }
    throw new Error(
      `${this.operatorName}: settle() saw new mail after ${SETTLE_LIMIT} turns; is a request looping?`,
    );
  }

  /** Records the operator holds: in flight, completed but held back, or waiting for a slot. */
  get queuedRecords(): number {
    return this.#operator.queuedRecords;
  }

  /** Calls currently running (not waiting for a slot, backing off, or done). */
  get runningRequests(): number {
    return this.#operator.runningRequests;
  }

  /** The records emitted so far, in emission order. */
  output(): OUT[] {
    const records: OUT[] = [];
    for (const element of this.#out.elements) if ("record" in element) records.push(element.record as OUT);
    return records;
  }

  /** The records emitted so far with their timestamps (the input records' timestamps). */
  outputWithTimestamps(): TimestampedValue<OUT>[] {
    const records: TimestampedValue<OUT>[] = [];
    for (const element of this.#out.elements) {
      if ("record" in element) records.push({ value: element.record as OUT, timestamp: element.timestamp });
    }
    return records;
  }

  /** The watermarks emitted so far, in order. */
  outputWatermarks(): Watermark[] {
    const watermarks: Watermark[] = [];
    for (const element of this.#out.elements) if ("watermark" in element) watermarks.push(element.watermark);
    return watermarks;
  }

  /** Records and watermarks emitted so far, interleaved in emission order. */
  outputElements(): AsyncOutputElement<OUT>[] {
    return [...this.#out.elements] as AsyncOutputElement<OUT>[];
  }

  /** Forgets what was emitted so far. */
  clearOutput(): void {
    this.#out.elements = [];
  }

  /**
   * Closes the function. Requests still in flight are abandoned (their outputs dropped), as when a
   * task is cancelled. A failure of the finish that `finished()` already reported is not rethrown.
   */
  override async close(): Promise<void> {
    if (this.#finishState === "pending") this.#operator.abandonInFlight();
    try {
      await super.close();
    } catch (error) {
      if (this.#finishState === "failed" && this.#finishErrorSeen && error === this.#finishError) return;
      throw error;
    }
  }
}

/**
 * One call of a {@link ManualAsyncFunction}: the record, the attempt, and the handles that settle
 * the promise the call returned.
 * @public
 */
export interface ManualAsyncCall<IN, OUT> {
  readonly record: IN;
  readonly attempt: number;
  /** Whether `resolve` or `reject` was called. */
  readonly settled: boolean;
  resolve(outputs: Iterable<OUT>): void;
  reject(error: unknown): void;
}

/**
 * An async function whose calls wait until the test settles them: each call is recorded in
 * {@link ManualAsyncFunction.calls} with `resolve` and `reject` handles. An `onTimeout` fallback
 * can be given to the constructor.
 *
 * @example
 * ```ts
 * const fn = new ManualAsyncFunction<string, string>({ onTimeout: (r) => [`${r}?`] });
 * await using h = await AsyncHarness.forFunction(fn, { timeoutMs: 50 });
 * h.processRecord("a");
 * fn.callFor("a").resolve(["A"]);
 * await h.settle();
 * ```
 * @public
 */
export class ManualAsyncFunction<IN, OUT> implements AsyncProcessFunction<IN, OUT> {
  /** Every call so far, in call order (retries are new calls). */
  readonly calls: ManualAsyncCall<IN, OUT>[] = [];
  onTimeout?: (record: IN, ctx: AsyncContext) => Iterable<OUT>;

  constructor(options: { readonly onTimeout?: (record: IN, ctx: AsyncContext) => Iterable<OUT> } = {}) {
    if (options.onTimeout !== undefined) this.onTimeout = options.onTimeout;
  }

  processRecordAsync(record: IN, ctx: AsyncContext): Promise<Iterable<OUT>> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (): void => {
        if (settled)
          throw new Error(`the call for ${String(record)} (attempt ${ctx.attempt}) was already settled`);
        settled = true;
      };
      this.calls.push({
        record,
        attempt: ctx.attempt,
        get settled() {
          return settled;
        },
        resolve(outputs) {
          settle();
          resolve(outputs);
        },
        reject(error) {
          settle();
          reject(error);
        },
      });
    });
  }

  /** The calls not settled yet, in call order. */
  pending(): ManualAsyncCall<IN, OUT>[] {
    return this.calls.filter((call) => !call.settled);
  }

  /** The latest call for `record` (compared with `===`); throws when there is none. */
  callFor(record: IN): ManualAsyncCall<IN, OUT> {
    for (let i = this.calls.length - 1; i >= 0; i--)
      if (this.calls[i]!.record === record) return this.calls[i]!;
    throw new Error(
      `no call for ${String(record)} (calls: ${this.calls.map((c) => String(c.record)).join(", ")})`,
    );
  }
}
