/**
 * Runs an {@link AsyncProcessFunction} (`processAsync`): each input record starts a call whose
 * promise settles later; the settlement is queued inside the operator and handled through the
 * task's mailbox (`env.post`), never in the promise callback itself, so outputs, retries and
 * failures happen between records like everything else the task does.
 *
 * Queue model (Flink's AsyncWaitOperator):
 * - Every record not yet emitted is an entry of the {@link AsyncQueue}, in input order; the queue
 *   keeps outputs from crossing watermarks, ordered or unordered. At most `capacity` entries are
 *   *started* (their call is running, backing off before a retry, or done but not yet emitted);
 *   entries beyond that wait, unstarted, and start in input order as slots free. A task hands over
 *   a whole input batch at once, so up to one batch (plus what chained producers fan out) can wait.
 * - While `capacity` or more entries are queued the operator pauses its task's input
 *   (`env.blockOn`); the pause ends as soon as the queue drops below `capacity`. That is the
 *   backpressure: the upstream stops, and so do the sources behind it.
 * - Timeouts and retry back-off ({@link AsyncAttempts}) settle through the same queue of
 *   settlements and the same mailbox as results do.
 *
 * End of input: `finish()` waits for every entry and emits it. The task's mailbox no longer runs
 * then (a finishing task takes no mail), so `finish()` handles settlements itself, awaiting the
 * next one; nothing else of the task runs meanwhile, so outputs still never interleave with other
 * work.
 *
 * Snapshot: every entry not yet emitted (input record and timestamp) and every watermark still
 * held back, in order, as REDISTRIBUTABLE operator state (a list, split across subtasks on rescale,
 * like Flink's operator list state). `restoreState` keeps them; `open` issues them again.
 * @module
 */

import {
  type AsyncProcessFunction,
  type NonPartitionedContext,
  RedistributionMode,
  type ResolvedAsyncProcessOptions,
  type StateManager,
  type TaskInfo,
  type Watermark,
} from "@weir/api";
import { misuse, wrapUserError } from "../user-code-error.ts";
import { AsyncAttempts, type Settlement } from "./async/async-attempts.ts";
import { type AsyncInFlightElement, AsyncQueue, type Entry, RUNNING } from "./async/async-queue.ts";
import { Fifo } from "./async/fifo.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

/** Name of the operator state holding the in-flight elements. */
export const ASYNC_IN_FLIGHT_STATE = "weir.async.in-flight";

type Mode = "created" | "running" | "finishing" | "closed";

export class AsyncProcessOperator implements StreamOperator {
  readonly name: string;
  readonly operatorId: string;
  readonly #env: OperatorEnvironment;
  readonly #fn: AsyncProcessFunction<unknown, unknown>;
  readonly #options: ResolvedAsyncProcessOptions;
  readonly #taskInfo: TaskInfo;
  readonly #queue: AsyncQueue;
  readonly #attempts: AsyncAttempts;
  /** Entries waiting for a free slot, in input order. */
  readonly #waiting = new Fifo<Entry>();
  readonly #settlements = new Fifo<Settlement>();
  /** Entries started and not yet emitted. */
  #started = 0;
  #mode: Mode = "created";
  #drainPosted = false;
  /** Wakes `finish()` when a settlement arrives while the task is finishing. */
  #finishWake: (() => void) | undefined;
  /** A harness closing before the in-flight requests completed: finish() returns without them. */
  #abandoned = false;
  /** Ends the current input pause. */
  #unblock: (() => void) | undefined;
  #restored: readonly AsyncInFlightElement[] | undefined;
  readonly #drainMail = (): void => {
    this.#drainPosted = false;
    if (this.#mode === "running") this.#drain();
  };

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: AsyncProcessFunction<unknown, unknown>;
    options: ResolvedAsyncProcessOptions;
    output: Output;
  }) {
    this.name = options.name;
    this.operatorId = options.operatorId;
    this.#env = options.env;
    this.#fn = options.fn;
    this.#options = options.options;
    this.#taskInfo = Object.freeze({ ...options.env.taskInfo, taskName: options.name });
    this.#queue = new AsyncQueue(this.#options.ordered, options.output, () => {
      this.#started--;
    });
    this.#attempts = new AsyncAttempts({
      name: options.name,
      env: options.env,
      fn: options.fn,
      options: options.options,
      taskInfo: this.#taskInfo,
      settle: (entry, attempt, kind, value) => this.#settle(entry, attempt, kind, value),
    });
  }

  /** Records queued (in flight, completed but held back, or waiting for a slot). For tests. */
  get queuedRecords(): number {
    return this.#queue.queued;
  }

  /** Calls currently running (not waiting, backing off or done). For tests. */
  get runningRequests(): number {
    let running = 0;
    for (const entry of this.#queue.entries()) if (entry.status === RUNNING) running++;
    return running;
  }

  async open(): Promise<void> {
    try {
      await this.#fn.open?.(this.#openContext());
    } catch (error) {
      wrapUserError(`${this.name} (open)`, error);
    }
    if (this.#mode !== "created") return;
    this.#mode = "running";
    const restored = this.#restored;
    this.#restored = undefined;
    if (restored === undefined) return;
    for (const element of restored) {
      if ("watermark" in element) this.#queue.acceptWatermark(element.watermark);
      else this.processRecord1(element.record, element.timestamp);
    }
  }

  processRecord1(record: unknown, timestamp: number): void {
    const entry = this.#queue.add(record, timestamp);
    if (this.#started < this.#options.capacity) this.#start(entry);
    else this.#waiting.push(entry);
    this.#pauseIfFull();
  }

  processRecord2(): void {
    throw new Error(`${this.name}: internal error, an async operator has one input`);
  }

  endOfBatch(): void {}

  processWatermark(_input: 0 | 1, watermark: Watermark): void {
    // There is no onWatermark hook: the framework applies the declared default handling (PEEK).
    if (this.#env.watermarks.get(watermark.identifier)?.defaultHandling === "IGNORE") return;
    this.#queue.acceptWatermark(watermark);
  }

  endInput(): void {}

  async finish(): Promise<void> {
    if (this.#mode !== "running") return;
    this.#mode = "finishing";
    this.#drainPosted = false;
    for (;;) {
      this.#drain();
      if (this.#queue.isEmpty()) break;
      await new Promise<void>((resolve) => {
        this.#finishWake = resolve;
        // A settlement queued by the drain itself (a call that threw at once) needs no wake-up.
        if (this.#settlements.size > 0) resolve();
      });
      this.#finishWake = undefined;
      if (this.#abandoned) return;
      // Closed meanwhile (the task was cancelled): the mode changed during the await.
      if ((this.#mode as Mode) === "closed") {
        throw new Error(`${this.name}: closed while ${this.#queue.queued} async request(s) were in flight`);
      }
    }
    this.#resume();
  }

  /**
   * Makes a pending `finish()` return without waiting for the requests still in flight (their
   * outputs are dropped), as when a harness is closed early. The runtime never calls this: a
   * cancelled task closes its operators, which makes a waiting `finish()` reject.
   */
  abandonInFlight(): void {
    this.#abandoned = true;
    this.#finishWake?.();
  }

  async close(): Promise<void> {
    this.#mode = "closed";
    for (const entry of this.#queue.entries()) {
      entry.cancelTimer?.();
      entry.cancelTimer = undefined;
    }
    this.#resume();
    this.#finishWake?.();
    try {
      await this.#fn.close?.();
    } catch (error) {
      wrapUserError(`${this.name} (close)`, error);
    }
  }

  fireProcessingTimers(): void {}

  snapshotState(): OperatorSnapshot {
    const elements = this.#queue.elements();
    return {
      operatorId: this.operatorId,
      keyed: {},
      operator: {
        [ASYNC_IN_FLIGHT_STATE]: { redistribution: RedistributionMode.REDISTRIBUTABLE, value: elements },
      },
    };
  }

  restoreState(snapshot: OperatorSnapshot): void {
    const value = snapshot.operator[ASYNC_IN_FLIGHT_STATE]?.value;
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      throw new Error(
        `${this.name}: the snapshot's in-flight records ("${ASYNC_IN_FLIGHT_STATE}") are not a list`,
      );
    }
    this.#restored = value as AsyncInFlightElement[];
  }

  // --- requests -------------------------------------------------------------------------------

  #start(entry: Entry): void {
    this.#started++;
    this.#attempts.issue(entry);
  }

  /** Called outside the mailbox (promise callbacks, clock): only queues and asks for a drain. */
  #settle(entry: Entry, attempt: number, kind: Settlement["kind"], value: unknown): void {
    if (this.#mode === "closed") return;
    this.#settlements.push({ entry, attempt, kind, value });
    if (this.#mode === "finishing") {
      this.#finishWake?.();
      return;
    }
    if (this.#drainPosted) return;
    this.#drainPosted = true;
    this.#env.post(this.#drainMail);
  }

  /** Runs in the mailbox (or in `finish`): handles settlements, emits, starts waiting entries. */
  #drain(): void {
    const settlements = this.#settlements;
    for (let s = settlements.shift(); s !== undefined; s = settlements.shift()) this.#attempts.handle(s);
    this.#queue.emitReady();
    const capacity = this.#options.capacity;
    while (this.#started < capacity && this.#waiting.size > 0) this.#start(this.#waiting.shift()!);
    if (this.#queue.queued < capacity) this.#resume();
  }

  // --- backpressure ---------------------------------------------------------------------------

  #pauseIfFull(): void {
    const capacity = this.#options.capacity;
    if (this.#unblock !== undefined || this.#queue.queued < capacity || this.#mode !== "running") return;
    const paused = new Promise<void>((resolve) => {
      this.#unblock = resolve;
    });
    this.#env.blockOn(paused, `${this.name}: ${capacity} async requests in flight (capacity)`);
  }

  #resume(): void {
    const unblock = this.#unblock;
    if (unblock === undefined) return;
    this.#unblock = undefined;
    unblock();
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The context `open` gets: job and task facts; nothing that needs state or a partition. */
  #openContext(): NonPartitionedContext<never> {
    const name = this.name;
    const unavailable = (what: string) => (): never => {
      throw misuse(name, `${what} is not available to an async process function`);
    };
    const stateManager: StateManager<never> = {
      getCurrentKey: unavailable("getCurrentKey"),
      getState: unavailable("state (results arrive when another key is current)"),
    };
    return {
      jobInfo: this.#env.jobInfo,
      taskInfo: this.#taskInfo,
      applyToAllPartitions: unavailable("applyToAllPartitions"),
      stateManager,
      watermarkManager: { emitWatermark: unavailable("emitting watermarks") },
    };
  }
}
