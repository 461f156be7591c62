/**
 * What every operator harness shares: it builds the runtime's own process operator for a function,
 * with an {@link OperatorEnvironment} whose clock is a {@link ManualClock}, and drives it the way a
 * task would: restore, open, records and timers one at a time, end of input, finish, close.
 *
 * Invariants the harness keeps:
 * - Processing time moves only when the test says so (`advanceProcessingTime` / `advanceBy`); no
 *   real timer, sleep or worker thread is involved, so a run is fully deterministic.
 * - Timers run between inputs, never inside one, like the task mailbox: a timer that is already
 *   due when a record call returns (e.g. registered for `now`) fires right after that call.
 * - The operator sees the StreamOperator call sequence of a real task. Once every input has ended
 *   the task is finished: later clock moves fire no timers (the runtime drops them too). Once the
 *   operator has thrown, it is failed: only `close()` is allowed, as a failed task only closes.
 * - Snapshots are deep copies (`structuredClone`), as a serialized checkpoint would be: processing
 *   after `snapshot()` cannot change a snapshot already taken, and restored harnesses share nothing.
 * - Mails an operator posts (`env.post`: work coming back from outside, e.g. a settled async
 *   request) queue up and run at the next step, before and after its action, never inside an
 *   operator call. While the operator has paused its input (`env.blockOn`), input calls throw, as a
 *   task would deliver nothing; the pause ends when the promise settles (after a microtask).
 * @module
 */

import {
  ExecutionMode,
  type KeyValue,
  type ProcessFunction,
  type StateDeclaration,
  type TaskInfo,
  type Watermark,
} from "@weir/api";
import {
  assertParallelism,
  buildWatermarkRegistry,
  defaultMaxParallelism,
  InvalidJobError,
  keyGroupForKey,
  keyGroupRangeForOperator,
  ManualClock,
  type OperatorEnvironment,
  type OperatorSnapshot,
  operatorIndexForKeyGroup,
  NO_TIMESTAMP as RUNTIME_NO_TIMESTAMP,
  type StreamOperator,
} from "@weir/runtime/testing";
import { cloneState, stateForSubtask } from "./snapshot-redistribution.ts";
import { declaredStates } from "./state-declarations.ts";

/**
 * Options every harness accepts. Everything is optional; the defaults describe subtask 0 of a job
 * with parallelism 1, started at processing time 0.
 *
 * @example
 * ```ts
 * const options: HarnessOptions = { parallelism: 2, subtask: 1, maxParallelism: 128, startTime: 1_000 };
 * ```
 * @public
 */
export interface HarnessOptions {
  /** Parallelism of the simulated job vertex. Default 1. */
  readonly parallelism?: number | undefined;
  /** 0-based index of the simulated subtask, below `parallelism`. Default 0. */
  readonly subtask?: number | undefined;
  /**
   * Number of key groups. Default: the runtime's default for `parallelism` (128 up to
   * parallelism 85). Pass the same value to `restore` as to the harness that took the snapshot.
   */
  readonly maxParallelism?: number | undefined;
  /** Processing time (ms) the manual clock starts at. Default 0. */
  readonly startTime?: number | undefined;
  /** Operator name used in errors and `taskInfo.taskName`. Default: the class name of `fn`, else a verb name. */
  readonly name?: string | undefined;
  /** Operator id stamped on snapshots. Default: the restored snapshot's id, else the operator name. */
  readonly operatorId?: string | undefined;
  /** `jobInfo.jobName`. Default `"harness"`. */
  readonly jobName?: string | undefined;
  /** `jobInfo.executionMode`. Default `STREAMING`. */
  readonly executionMode?: ExecutionMode | undefined;
  /** `taskInfo.attemptNumber`. Default 0. */
  readonly attemptNumber?: number | undefined;
}

/**
 * One collected record and the timestamp it was emitted with. `timestamp` is {@link NO_TIMESTAMP}
 * for records emitted without one (from timers, `endInput`, or inputs processed without a timestamp).
 *
 * @example
 * ```ts
 * h.processRecord("a", 1_000);
 * assert.deepEqual(h.outputWithTimestamps(), [{ value: "A", timestamp: 1_000 }]);
 * ```
 * @public
 */
export interface TimestampedValue<T> {
  readonly value: T;
  readonly timestamp: number;
}

/**
 * The subtask that owns `key` at `parallelism`: where a keyBy exchange sends its records, and which
 * restored harness holds its state after a rescale.
 *
 * @example
 * ```ts
 * const owner = subtaskForKey("alice", { parallelism: 2 });
 * restored[owner].processRecord({ user: "alice" });
 * ```
 * @public
 */
export function subtaskForKey(
  key: KeyValue,
  options: { readonly parallelism: number; readonly maxParallelism?: number | undefined },
): number {
  const max = options.maxParallelism ?? defaultMaxParallelism(options.parallelism);
  assertParallelism(max, options.parallelism);
  return operatorIndexForKeyGroup(max, options.parallelism, keyGroupForKey(key, max));
}

/**
 * The harness's manual clock: after each callback it runs the mails posted so far, as a task's
 * mailbox runs between timers, so work a timer hands to the mailbox (e.g. an async timeout and the
 * retry back-off it schedules) happens at the timer's time even within one long clock move.
 * @internal
 */
class MailboxClock extends ManualClock {
  readonly #afterCallback: () => void;

  constructor(start: number, afterCallback: () => void) {
    super(start);
    this.#afterCallback = afterCallback;
  }

  override schedule(at: number, callback: () => void): () => void {
    return super.schedule(at, () => {
      callback();
      this.#afterCallback();
    });
  }
}

/** What a concrete harness hands the operator constructor, besides its function and outputs. @internal */
export interface OperatorCommon {
  readonly name: string;
  readonly operatorId: string;
  readonly env: OperatorEnvironment;
  readonly states: readonly StateDeclaration[];
  readonly maxParallelism: number;
}

/** Everything resolved from the options before the operator exists. @internal */
export interface HarnessSetup {
  readonly fn: ProcessFunction;
  readonly options: HarnessOptions;
  readonly fallbackName: string;
  readonly inputs: 1 | 2;
  readonly keyed: boolean;
  readonly allowBroadcastState: boolean;
  /** Snapshots to restore from (all subtasks of the old job), or undefined for a fresh start. */
  readonly restoreFrom: readonly OperatorSnapshot[] | undefined;
}

type Lifecycle = "created" | "open" | "failed" | "closed";

/**
 * The part every harness shares: the manual clock, lifecycle, snapshots. Concrete harnesses
 * ({@link OneInputHarness}, {@link TwoOutputHarness}, {@link TwoInputHarness},
 * {@link BroadcastHarness}) add the inputs and outputs of their function shape.
 *
 * @example
 * ```ts
 * const h: ProcessFunctionHarness = await OneInputHarness.forFunction(fn, { keySelector: (r) => r.id });
 * h.advanceBy(1_000);           // fires timers due within the next second, in timestamp order
 * const snap = h.snapshot();    // deep copy of the operator's state
 * await h.close();
 * ```
 * @public
 */
export abstract class ProcessFunctionHarness {
  /** The operator name used in error messages and `taskInfo.taskName`. */
  readonly operatorName: string;
  /** The id stamped on snapshots. */
  readonly operatorId: string;
  /** The task facts the function sees. */
  readonly taskInfo: TaskInfo;
  /** Whether state and timers are per key (a key selector was given). */
  readonly keyed: boolean;
  /** This subtask's inclusive key-group range, from `keyGroupRangeForOperator`. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  readonly #clock: ManualClock;
  readonly #operator: StreamOperator;
  readonly #setup: HarnessSetup;
  readonly #ended: boolean[];
  #lifecycle: Lifecycle = "created";
  #failure: unknown;
  #finishing: Promise<void> | undefined;
  /** Mails posted through `env.post`, run between inputs (see `runMail`). */
  readonly #mailbox: (() => void)[] = [];
  /** Promises the operator paused its input on (`env.blockOn`), with what it waits for. */
  readonly #pauses = new Set<{ readonly what: string }>();
  /** A rejected `blockOn` promise: like a task, the harness fails with it at the next step. */
  #pauseFailure: { readonly error: unknown } | undefined;
  /** Checkpoint ids handed to `snapshotState`, counting from 1. */
  #checkpointId = 0;

  protected constructor(setup: HarnessSetup, createOperator: (common: OperatorCommon) => StreamOperator) {
    const { fn, options } = setup;
    this.#setup = setup;
    const parallelism = options.parallelism ?? 1;
    const subtask = options.subtask ?? 0;
    const maxParallelism = options.maxParallelism ?? defaultMaxParallelism(parallelism);
    this.keyGroupRange = keyGroupRangeForOperator(maxParallelism, parallelism, subtask);
    const name = options.name ?? defaultName(fn, setup.fallbackName);
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("harness name must be a non-empty string");
    }
    this.operatorName = name;
    this.operatorId = options.operatorId ?? setup.restoreFrom?.[0]?.operatorId ?? name;
    this.keyed = setup.keyed;
    this.#ended = setup.inputs === 1 ? [false] : [false, false];
    const clock = new MailboxClock(options.startTime ?? 0, () => this.#runMail());
    this.#clock = clock;
    this.taskInfo = {
      taskName: name,
      parallelism,
      maxParallelism,
      indexOfThisSubtask: subtask,
      attemptNumber: options.attemptNumber ?? 0,
    };
    const unsupported = (what: string) => (): never => {
      throw new Error(`${name}: ${what} is not supported in the operator harness`);
    };
    const env: OperatorEnvironment = {
      jobInfo: {
        jobName: options.jobName ?? "harness",
        executionMode: options.executionMode ?? ExecutionMode.STREAMING,
      },
      taskInfo: this.taskInfo,
      clock,
      keyGroupRange: this.keyGroupRange,
      // Input calls throw while a pause is pending; it ends when the promise settles (settle()).
      blockOn: (promise, what) => {
        const pause = { what };
        this.#pauses.add(pause);
        promise.then(
          () => this.#pauses.delete(pause),
          (error: unknown) => {
            this.#pauses.delete(pause);
            this.#pauseFailure ??= { error };
          },
        );
      },
      // Mails queue here and run at the next step (before and after each input, clock move or
      // drain), never inside an operator call: the harness's version of the task mailbox.
      post: (mail) => {
        this.#mailbox.push(mail);
      },
      // Wake-ups run inside clock.advanceTo, which the harness calls only between inputs (the mailbox).
      scheduleTimer: (at, fire) => {
        clock.schedule(at, () => {
          if (this.#lifecycle === "open" && this.#finishing === undefined) fire(clock.now());
        });
      },
      // Alignment reports are recorded; announcements come from the test (announceAlignment).
      alignment: {
        report: (group, _maxDriftMs, watermark) => {
          this.alignmentReports.push({ group, watermark });
        },
        subscribe: (group, onAllowed) => {
          const list = this.#alignmentSubscribers.get(group) ?? [];
          list.push(onAllowed);
          this.#alignmentSubscribers.set(group, list);
        },
      },
      sendCollected: unsupported("sendCollected (collect sinks)"),
      requestSplit: unsupported("requestSplit (sources)"),
      batchSize: 1024,
      watermarks: buildWatermarkRegistry(
        [{ owner: name, declarations: setup.fn.declareWatermarks?.() ?? [] }],
        (m) => {
          throw new InvalidJobError(m);
        },
      ),
    };
    this.#operator = createOperator({
      name,
      operatorId: this.operatorId,
      env,
      states: declaredStates(fn, name, setup.allowBroadcastState),
      maxParallelism,
    });
  }

  /** Restores (when asked to) and opens the operator; the factories call this before returning. */
  protected async start(): Promise<void> {
    try {
      this.#restore();
      await this.#operator.open();
    } catch (error) {
      // Like a task that fails while starting: the function is still closed, the first error wins.
      this.#lifecycle = "closed";
      await Promise.resolve(this.#operator.close()).catch(() => {});
      throw error;
    }
    this.#lifecycle = "open";
  }

  #restore(): void {
    const restoreFrom = this.#setup.restoreFrom;
    if (restoreFrom !== undefined) {
      const { parallelism, indexOfThisSubtask } = this.taskInfo;
      const state = stateForSubtask(restoreFrom, parallelism, indexOfThisSubtask, this.operatorName);
      if (!this.keyed && Object.values(state.keyed).some((entries) => entries.length > 0)) {
        throw new Error(
          `${this.operatorName}: the snapshot holds keyed state, but this harness is not keyed (pass a key selector)`,
        );
      }
      this.#operator.restoreState(cloneState(state, this.operatorName));
    }
  }

  /** The manual clock's current processing time (ms). */
  currentProcessingTime(): number {
    return this.#clock.now();
  }

  /**
   * Moves processing time to `toMs` and fires every timer due by then through the operator, in
   * timestamp order (timers a timer registers fire too if they are due). Throws a RangeError when
   * `toMs` is before the current time.
   */
  advanceProcessingTime(toMs: number): void {
    const now = this.#clock.now();
    if (typeof toMs !== "number" || Number.isNaN(toMs) || toMs < now) {
      throw new RangeError(`${this.operatorName}: processing time cannot go backwards (${now} -> ${toMs})`);
    }
    this.#drive("advanceProcessingTime", () => this.#clock.advanceTo(toMs));
  }

  /** Moves processing time forward by `ms`; see {@link ProcessFunctionHarness.advanceProcessingTime}. */
  advanceBy(ms: number): void {
    this.advanceProcessingTime(this.#clock.now() + ms);
  }

  /**
   * The operator's snapshot, as a checkpoint would store it: keyed state as `[key, value]` pairs
   * per state name, non-keyed state per state name. A deep copy, so later processing does not
   * change it. Keyed processing-time timers are part of it, as [timestamp, key] pairs.
   */
  snapshot(): OperatorSnapshot {
    this.#assertUsable("snapshot");
    this.#checkpointId++;
    return cloneState(this.#operator.snapshotState(this.#checkpointId), this.operatorName);
  }

  /**
   * Closes the function (calls its `close` hook once). Allowed in any state, also after a failure;
   * a second call does nothing. Call it, or declare the harness with `await using`.
   */
  async close(): Promise<void> {
    if (this.#lifecycle === "closed") return;
    const finishing = this.#finishing;
    this.#lifecycle = "closed";
    try {
      if (finishing !== undefined) await finishing;
    } finally {
      await this.#operator.close();
    }
  }

  /** `await using h = await OneInputHarness.forFunction(...)` closes the harness at scope exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Runs one input call of input `input`, then the timers it made due. */
  protected processInput(input: 0 | 1, what: string, call: () => void): void {
    if (this.#ended[input]) {
      throw new Error(`${this.operatorName}: ${what} after input ${input} ended`);
    }
    if (this.#pauses.size > 0) {
      const reasons = [...this.#pauses].map((pause) => pause.what).join("; ");
      throw new Error(
        `${this.operatorName}: ${what} while the operator has paused its input (${reasons}); ` +
          "a task would not deliver input now: let the pending work complete first",
      );
    }
    this.#drive(what, () => {
      call();
      this.#runDueTimers();
    });
  }

  /**
   * Delivers a watermark to input `input` as its input gate would (already combined over the
   * input's channels), then fires any due timer.
   */
  protected watermarkInput(input: 0 | 1, watermark: Watermark): void {
    this.processInput(input, "processWatermark", () => this.#operator.processWatermark(input, watermark));
  }

  /** Ends input `input`; when every input has ended the operator finishes and timers stop. */
  protected endInputOf(input: 0 | 1): void {
    if (this.#ended[input] === undefined) {
      throw new RangeError(`${this.operatorName}: there is no input ${input}`);
    }
    if (this.#ended[input]) throw new Error(`${this.operatorName}: input ${input} has already ended`);
    this.#drive(`endInput(${input})`, () => {
      this.#operator.endInput(input);
      this.#ended[input] = true;
      if (this.#ended.every(Boolean)) {
        const finishing = Promise.resolve(this.#operator.finish());
        // Awaited (and rethrown) by close(); this only keeps an early rejection from being unhandled.
        finishing.catch(() => {});
        this.#finishing = finishing;
      } else {
        this.#runDueTimers();
      }
    });
  }

  /** The watermark-alignment reports the operator sent, in order (as the coordinator would get them). */
  readonly alignmentReports: { readonly group: string; readonly watermark: number }[] = [];
  readonly #alignmentSubscribers = new Map<string, ((maxAllowed: number) => void)[]>();

  /**
   * Announces, as the coordinator would, the largest watermark alignment group `group` allows;
   * the operator hears it through its mailbox. Await `Promise.resolve()` (or use `settle()`) before
   * checking `inputPaused`: a pause ends when its promise settles.
   */
  announceAlignment(group: string, maxAllowed: number): void {
    for (const onAllowed of this.#alignmentSubscribers.get(group) ?? [])
      this.#mailbox.push(() => onAllowed(maxAllowed));
    this.runMailbox("announceAlignment");
  }

  /**
   * Whether the operator has paused its input (`blockOn`, e.g. a full async operator): input
   * calls throw until the promise it waits on settles.
   */
  get inputPaused(): boolean {
    return this.#pauses.size > 0;
  }

  /** Whether mails posted by the operator are waiting to run. */
  protected get hasMail(): boolean {
    return this.#mailbox.length > 0;
  }

  /** Runs the mails posted so far (and those they post), as a step of the task would. */
  protected runMailbox(what: string): void {
    this.#drive(what, () => {});
  }

  /** The operator's `finish()` once every input ended; undefined before. */
  protected get finishing(): Promise<void> | undefined {
    return this.#finishing;
  }

  #runMail(): void {
    const failure = this.#pauseFailure;
    if (failure !== undefined) {
      this.#pauseFailure = undefined;
      throw failure.error;
    }
    const mailbox = this.#mailbox;
    for (let mail = mailbox.shift(); mail !== undefined; mail = mailbox.shift()) mail();
  }

  #runDueTimers(): void {
    this.#clock.advanceTo(this.#clock.now());
  }

  #drive(what: string, action: () => void): void {
    this.#assertUsable(what);
    try {
      this.#runMail();
      action();
      this.#runMail();
    } catch (error) {
      this.#lifecycle = "failed";
      this.#failure = error;
      throw error;
    }
  }

  #assertUsable(what: string): void {
    switch (this.#lifecycle) {
      case "open":
        return;
      case "failed":
        throw new Error(`${this.operatorName}: ${what} after the operator failed; only close() is allowed`, {
          cause: this.#failure,
        });
      case "closed":
        throw new Error(`${this.operatorName}: ${what} after close()`);
      case "created":
        throw new Error(`${this.operatorName}: ${what} before the operator was opened`);
    }
  }
}

/** A class-based function is named after its class; object literals get the verb's name (as in the graph builder). */
function defaultName(fn: object, fallback: string): string {
  const ctor = (fn as { constructor?: { name?: string } }).constructor;
  const name = ctor?.name;
  return name !== undefined && name !== "Object" && name !== "" ? name : fallback;
}

/**
 * The timestamp of a record that has none (`-Infinity`, the runtime's marker): what
 * `processRecord` uses when no timestamp is given, and what records collected from timers and
 * `endInput` carry.
 *
 * @example
 * ```ts
 * h.endInput();
 * assert.equal(h.outputWithTimestamps()[0]?.timestamp, NO_TIMESTAMP);
 * ```
 * @public
 */
export const NO_TIMESTAMP: number = RUNTIME_NO_TIMESTAMP;
