/**
 * Runs an {@link AsyncProcessFunction} (`processAsync`): each input record starts a call whose
 * promise settles later; the settlement is queued inside the operator and handled through the
 * task's mailbox (`env.post`), never in the promise callback itself, so outputs, retries and
 * failures happen between records like everything else the task does.
 *
 * Queue model (Flink's AsyncWaitOperator):
 * - Every record not yet emitted is an entry, in input order. At most `capacity` entries are
 *   *started* (their call is running, backing off before a retry, or done but not yet emitted);
 *   entries beyond that wait, unstarted, and start in input order as slots free. A task hands over
 *   a whole input batch at once, so up to one batch (plus what chained producers fan out) can wait.
 * - While `capacity` or more entries are queued the operator pauses its task's input
 *   (`env.blockOn`); the pause ends as soon as the queue drops below `capacity`. That is the
 *   backpressure: the upstream stops, and so do the sources behind it.
 * - Ordered: entries and watermarks form one queue, emitted from its head as entries complete.
 *   Unordered: watermarks cut the queue into segments; entries of the first segment are emitted as
 *   they complete; a watermark is emitted once its segment is empty, then the next segment's
 *   completed entries follow. So no output crosses a watermark.
 * - Timeouts and retry back-off use the clock directly (`env.clock.schedule`, which can be
 *   cancelled when the attempt settles), and their firing goes through the same queue and mailbox.
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
  type AsyncContext,
  type AsyncProcessFunction,
  type NonPartitionedContext,
  RedistributionMode,
  type ResolvedAsyncProcessOptions,
  type StateManager,
  type TaskInfo,
  type Watermark,
} from "@weir/api";
import { misuse, UserCodeError, wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import type { OperatorSnapshot, StreamOperator } from "./stream-operator.ts";

/** Name of the operator state holding the in-flight elements. */
export const ASYNC_IN_FLIGHT_STATE = "weir.async.in-flight";

/** One element of the in-flight state: a record to issue again, or a watermark still held back. */
export type AsyncInFlightElement =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: Watermark };

/**
 * The final failure of an async request: its last attempt rejected (`cause` is the rejection) or
 * timed out without an `onTimeout` fallback (`cause` is a TimeoutError).
 */
export class AsyncProcessingError extends UserCodeError {
  override name = "AsyncProcessingError";
  /** Calls made for the record, in all. */
  readonly attempts: number;

  constructor(operatorName: string, message: string, attempts: number, cause: unknown) {
    super(operatorName, cause);
    this.message = `${operatorName}: ${message}`;
    this.attempts = attempts;
    const causeStack = cause instanceof Error ? cause.stack : undefined;
    this.stack = `${this.name}: ${this.message}${causeStack !== undefined ? `\n  caused by ${causeStack}` : ""}`;
  }
}

const WAITING = 0;
const RUNNING = 1;
const BACKOFF = 2;
const DONE = 3;

/** A record between input and output. */
class Entry {
  readonly record: unknown;
  readonly timestamp: number;
  /** The unordered segment the entry belongs to. */
  readonly segment: Segment | undefined;
  status = WAITING;
  /** Number of the current (or last) attempt; 0 before the first. */
  attempt = 0;
  /** The outputs, once done. */
  result: readonly unknown[] | undefined = undefined;
  /** Cancels the pending timeout or back-off timer. */
  cancelTimer: (() => void) | undefined = undefined;

  constructor(record: unknown, timestamp: number, segment: Segment | undefined) {
    this.record = record;
    this.timestamp = timestamp;
    this.segment = segment;
  }
}

/** Unordered mode: the entries between two watermarks. */
class Segment {
  /** Entries not yet emitted, in input order. */
  readonly entries = new Set<Entry>();
  /** Done entries not yet emitted, in completion order. */
  ready: Entry[] = [];
  /** The watermark that closes the segment; undefined for the last (open) segment. */
  watermark: Watermark | undefined = undefined;
}

/** A first-in first-out queue without the O(n) cost of `Array.shift`. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const items = this.#items;
    if (this.#head === items.length) return undefined;
    const item = items[this.#head];
    items[this.#head++] = undefined;
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i]!;
  }
}

const OK = 0;
const FAILED = 1;
const TIMEOUT = 2;
const RETRY = 3;

/** Something that happened to an attempt outside the mailbox; handled by the next drain. */
interface Settlement {
  readonly entry: Entry;
  readonly attempt: number;
  readonly kind: typeof OK | typeof FAILED | typeof TIMEOUT | typeof RETRY;
  readonly value: unknown;
}

type Mode = "created" | "running" | "finishing" | "closed";

export class AsyncProcessOperator implements StreamOperator {
  readonly name: string;
  readonly operatorId: string;
  readonly #env: OperatorEnvironment;
  readonly #fn: AsyncProcessFunction<unknown, unknown>;
  readonly #options: ResolvedAsyncProcessOptions;
  readonly #output: Output;
  readonly #taskInfo: TaskInfo;
  /** One frozen context per attempt number, so no context is allocated per record. */
  readonly #contexts: AsyncContext[] = [];
  /** Ordered mode: entries and held-back watermarks, in input order. */
  readonly #queue: Fifo<Entry | Watermark> | undefined;
  /** Unordered mode: segments in input order; the last one is open. */
  readonly #segments: Fifo<Segment> | undefined;
  #openSegment: Segment | undefined;
  /** Entries waiting for a free slot, in input order. */
  readonly #waiting = new Fifo<Entry>();
  readonly #settlements = new Fifo<Settlement>();
  /** Entries started and not yet emitted. */
  #started = 0;
  /** Entries not yet emitted (started or waiting). */
  #queued = 0;
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
    this.#output = options.output;
    this.#taskInfo = Object.freeze({ ...options.env.taskInfo, taskName: options.name });
    if (this.#options.ordered) {
      this.#queue = new Fifo();
      this.#segments = undefined;
    } else {
      this.#queue = undefined;
      this.#segments = new Fifo();
      this.#openSegment = new Segment();
      this.#segments.push(this.#openSegment);
    }
  }

  /** Records queued (in flight, completed but held back, or waiting for a slot). For tests. */
  get queuedRecords(): number {
    return this.#queued;
  }

  /** Calls currently running (not waiting, backing off or done). For tests. */
  get runningRequests(): number {
    let running = 0;
    for (const entry of this.#entries()) if (entry.status === RUNNING) running++;
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
      if ("watermark" in element) this.#acceptWatermark(element.watermark);
      else this.processRecord1(element.record, element.timestamp);
    }
  }

  processRecord1(record: unknown, timestamp: number): void {
    const segment = this.#openSegment;
    const entry = new Entry(record, timestamp, segment);
    if (segment === undefined) this.#queue!.push(entry);
    else segment.entries.add(entry);
    this.#queued++;
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
    this.#acceptWatermark(watermark);
  }

  /** Emits `watermark` now if nothing precedes it, otherwise holds it back behind the queue. */
  #acceptWatermark(watermark: Watermark): void {
    const queue = this.#queue;
    if (queue !== undefined) {
      if (queue.size === 0) this.#output.emitWatermark(watermark);
      else queue.push(watermark);
      return;
    }
    const open = this.#openSegment!;
    if (this.#segments!.size === 1 && open.entries.size === 0) {
      this.#output.emitWatermark(watermark);
      return;
    }
    open.watermark = watermark;
    this.#openSegment = new Segment();
    this.#segments!.push(this.#openSegment);
  }

  endInput(): void {}

  async finish(): Promise<void> {
    if (this.#mode !== "running") return;
    this.#mode = "finishing";
    this.#drainPosted = false;
    for (;;) {
      this.#drain();
      if (this.#isEmpty()) break;
      await new Promise<void>((resolve) => {
        this.#finishWake = resolve;
        // A settlement queued by the drain itself (a call that threw at once) needs no wake-up.
        if (this.#settlements.size > 0) resolve();
      });
      this.#finishWake = undefined;
      if (this.#abandoned) return;
      // Closed meanwhile (the task was cancelled): the mode changed during the await.
      if ((this.#mode as Mode) === "closed") {
        throw new Error(`${this.name}: closed while ${this.#queued} async request(s) were in flight`);
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
    for (const entry of this.#entries()) {
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
    const elements: AsyncInFlightElement[] = [];
    const queue = this.#queue;
    if (queue !== undefined) {
      for (const item of queue) {
        elements.push(
          item instanceof Entry ? { record: item.record, timestamp: item.timestamp } : { watermark: item },
        );
      }
    } else {
      for (const segment of this.#segments!) {
        for (const entry of segment.entries)
          elements.push({ record: entry.record, timestamp: entry.timestamp });
        if (segment.watermark !== undefined) elements.push({ watermark: segment.watermark });
      }
    }
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
    this.#issue(entry);
  }

  /** Starts the next attempt of `entry`. */
  #issue(entry: Entry): void {
    const attempt = ++entry.attempt;
    entry.status = RUNNING;
    let promise: unknown;
    try {
      promise = this.#fn.processRecordAsync(entry.record, this.#context(attempt));
    } catch (error) {
      // A synchronous throw is a failed attempt like a rejection (and retried like one).
      this.#settle(entry, attempt, FAILED, error);
      return;
    }
    if (
      promise === null ||
      (typeof promise !== "object" && typeof promise !== "function") ||
      typeof (promise as PromiseLike<unknown>).then !== "function"
    ) {
      throw misuse(
        this.name,
        `processRecordAsync must return a promise of the outputs (declare it async), got ${describe(promise)}`,
      );
    }
    (promise as PromiseLike<unknown>).then(
      (value) => this.#settle(entry, attempt, OK, value),
      (error: unknown) => this.#settle(entry, attempt, FAILED, error),
    );
    const timeoutMs = this.#options.timeoutMs;
    if (timeoutMs !== undefined) {
      const clock = this.#env.clock;
      entry.cancelTimer = clock.schedule(clock.now() + timeoutMs, () =>
        this.#settle(entry, attempt, TIMEOUT, undefined),
      );
    }
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
    for (let s = settlements.shift(); s !== undefined; s = settlements.shift()) this.#handle(s);
    this.#emitReady();
    const capacity = this.#options.capacity;
    while (this.#started < capacity && this.#waiting.size > 0) this.#start(this.#waiting.shift()!);
    if (this.#queued < capacity) this.#resume();
  }

  #handle(settlement: Settlement): void {
    const { entry, attempt, kind } = settlement;
    // Stale: a late settlement of an attempt that already timed out, or of an emitted entry.
    if (entry.attempt !== attempt) return;
    if (kind === RETRY) {
      if (entry.status === BACKOFF) this.#issue(entry);
      return;
    }
    if (entry.status !== RUNNING) return;
    entry.cancelTimer?.();
    entry.cancelTimer = undefined;
    if (kind === OK) {
      this.#complete(entry, outputsOf(this.name, "processRecordAsync", settlement.value));
      return;
    }
    const { maxAttempts, backoffMs, timeoutMs } = this.#options;
    if (attempt < maxAttempts) {
      if (backoffMs === 0) {
        this.#issue(entry);
      } else {
        entry.status = BACKOFF;
        const clock = this.#env.clock;
        entry.cancelTimer = clock.schedule(clock.now() + backoffMs, () =>
          this.#settle(entry, attempt, RETRY, undefined),
        );
      }
      return;
    }
    if (kind === TIMEOUT) {
      const onTimeout = this.#fn.onTimeout;
      if (onTimeout !== undefined) {
        let outputs: unknown;
        try {
          outputs = onTimeout.call(this.#fn, entry.record, this.#context(attempt));
        } catch (error) {
          wrapUserError(`${this.name} (onTimeout)`, error);
        }
        this.#complete(entry, outputsOf(this.name, "onTimeout", outputs));
        return;
      }
      const timeout = new Error(`attempt ${attempt} got no result within ${timeoutMs} ms`);
      timeout.name = "TimeoutError";
      throw new AsyncProcessingError(
        this.name,
        `async request timed out after ${plural(attempt, "attempt")} of ${timeoutMs} ms each ` +
          "(processAsync timeoutMs); give the function an onTimeout fallback, or raise timeoutMs or retry.maxAttempts",
        attempt,
        timeout,
      );
    }
    const cause = settlement.value;
    throw new AsyncProcessingError(
      this.name,
      `async request failed after ${plural(attempt, "attempt")}: ${cause instanceof Error ? cause.message : String(cause)}`,
      attempt,
      cause,
    );
  }

  #complete(entry: Entry, outputs: readonly unknown[]): void {
    entry.status = DONE;
    entry.result = outputs;
    entry.segment?.ready.push(entry);
  }

  #emitReady(): void {
    const queue = this.#queue;
    const output = this.#output;
    if (queue !== undefined) {
      for (let head = queue.peek(); head !== undefined; head = queue.peek()) {
        if (head instanceof Entry) {
          if (head.status !== DONE) return;
          queue.shift();
          this.#emit(head);
        } else {
          queue.shift();
          output.emitWatermark(head);
        }
      }
      return;
    }
    const segments = this.#segments!;
    for (;;) {
      const segment = segments.peek()!;
      const ready = segment.ready;
      if (ready.length > 0) {
        segment.ready = [];
        for (let i = 0; i < ready.length; i++) {
          segment.entries.delete(ready[i]!);
          this.#emit(ready[i]!);
        }
      }
      if (segment.watermark === undefined || segment.entries.size > 0) return;
      segments.shift();
      output.emitWatermark(segment.watermark);
    }
  }

  #emit(entry: Entry): void {
    this.#started--;
    this.#queued--;
    const outputs = entry.result!;
    entry.result = undefined;
    const output = this.#output;
    const timestamp = entry.timestamp;
    for (let i = 0; i < outputs.length; i++) output.collect(outputs[i], timestamp);
  }

  #isEmpty(): boolean {
    return this.#queued === 0 && (this.#queue === undefined || this.#queue.size === 0);
  }

  // --- backpressure ---------------------------------------------------------------------------

  #pauseIfFull(): void {
    const capacity = this.#options.capacity;
    if (this.#unblock !== undefined || this.#queued < capacity || this.#mode !== "running") return;
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

  /** Every entry not yet emitted. */
  *#entries(): IterableIterator<Entry> {
    if (this.#queue !== undefined) {
      for (const item of this.#queue) if (item instanceof Entry) yield item;
    } else {
      for (const segment of this.#segments!) yield* segment.entries;
    }
  }

  #context(attempt: number): AsyncContext {
    let context = this.#contexts[attempt];
    if (context === undefined) {
      context = Object.freeze({ jobInfo: this.#env.jobInfo, taskInfo: this.#taskInfo, attempt });
      this.#contexts[attempt] = context;
    }
    return context;
  }

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

/** The outputs a call resolved to, as an array; anything but a non-string iterable is refused. */
function outputsOf(operatorName: string, what: string, value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (
    value === null ||
    value === undefined ||
    typeof value === "string" ||
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw misuse(
      operatorName,
      `${what} must ${what === "onTimeout" ? "return" : "resolve to"} an iterable of outputs ` +
        `(e.g. [output], or [] for none), got ${describe(value)}`,
    );
  }
  try {
    return Array.from(value as Iterable<unknown>);
  } catch (error) {
    wrapUserError(`${operatorName} (${what} outputs)`, error);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === null || typeof value !== "object") return String(value);
  return `an object (${Object.prototype.toString.call(value)})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
