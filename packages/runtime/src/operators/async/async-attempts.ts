/**
 * Attempts of an async request: issuing a call, its timeout, retries with back-off, the
 * `onTimeout` fallback, and the final {@link AsyncProcessingError}.
 *
 * Invariant: nothing here reacts to a call inside its promise callback or timer. Every settlement
 * (result, rejection, timeout, end of back-off) goes to the operator's `settle`, which queues it for
 * the mailbox; `handle` then acts on it between records. Timeouts and back-off use the clock
 * directly (`env.clock.schedule`, which can be cancelled when the attempt settles).
 * @module
 */

import type { AsyncContext, AsyncProcessFunction, ResolvedAsyncProcessOptions, TaskInfo } from "@weir/api";
import { misuse, UserCodeError, wrapUserError } from "../../user-code-error.ts";
import type { OperatorEnvironment } from "../operator-environment.ts";
import { BACKOFF, type Entry, RUNNING } from "./async-queue.ts";

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

export const OK = 0;
export const FAILED = 1;
export const TIMEOUT = 2;
export const RETRY = 3;

/** Something that happened to an attempt outside the mailbox; handled by the next drain. */
export interface Settlement {
  readonly entry: Entry;
  readonly attempt: number;
  readonly kind: typeof OK | typeof FAILED | typeof TIMEOUT | typeof RETRY;
  readonly value: unknown;
}

export class AsyncAttempts {
  readonly #name: string;
  readonly #env: OperatorEnvironment;
  readonly #fn: AsyncProcessFunction<unknown, unknown>;
  readonly #options: ResolvedAsyncProcessOptions;
  readonly #taskInfo: TaskInfo;
  /** Queues a settlement for the mailbox; the only thing a callback may do. */
  readonly #settle: (entry: Entry, attempt: number, kind: Settlement["kind"], value: unknown) => void;
  /** One frozen context per attempt number, so no context is allocated per record. */
  readonly #contexts: AsyncContext[] = [];

  constructor(options: {
    name: string;
    env: OperatorEnvironment;
    fn: AsyncProcessFunction<unknown, unknown>;
    options: ResolvedAsyncProcessOptions;
    taskInfo: TaskInfo;
    settle: (entry: Entry, attempt: number, kind: Settlement["kind"], value: unknown) => void;
  }) {
    this.#name = options.name;
    this.#env = options.env;
    this.#fn = options.fn;
    this.#options = options.options;
    this.#taskInfo = options.taskInfo;
    this.#settle = options.settle;
  }

  /** Starts the next attempt of `entry`. */
  issue(entry: Entry): void {
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
        this.#name,
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

  /** Runs in the mailbox: completes, retries or fails the entry the settlement is about. */
  handle(settlement: Settlement): void {
    const { entry, attempt, kind } = settlement;
    // Stale: a late settlement of an attempt that already timed out, or of an emitted entry.
    if (entry.attempt !== attempt) return;
    if (kind === RETRY) {
      if (entry.status === BACKOFF) this.issue(entry);
      return;
    }
    if (entry.status !== RUNNING) return;
    entry.cancelTimer?.();
    entry.cancelTimer = undefined;
    if (kind === OK) {
      entry.complete(outputsOf(this.#name, "processRecordAsync", settlement.value));
      return;
    }
    const { maxAttempts, backoffMs, timeoutMs } = this.#options;
    if (attempt < maxAttempts) {
      if (backoffMs === 0) {
        this.issue(entry);
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
          wrapUserError(`${this.#name} (onTimeout)`, error);
        }
        entry.complete(outputsOf(this.#name, "onTimeout", outputs));
        return;
      }
      const timeout = new Error(`attempt ${attempt} got no result within ${timeoutMs} ms`);
      timeout.name = "TimeoutError";
      throw new AsyncProcessingError(
        this.#name,
        `async request timed out after ${plural(attempt, "attempt")} of ${timeoutMs} ms each ` +
          "(processAsync timeoutMs); give the function an onTimeout fallback, or raise timeoutMs or retry.maxAttempts",
        attempt,
        timeout,
      );
    }
    const cause = settlement.value;
    throw new AsyncProcessingError(
      this.#name,
      `async request failed after ${plural(attempt, "attempt")}: ${cause instanceof Error ? cause.message : String(cause)}`,
      attempt,
      cause,
    );
  }

  #context(attempt: number): AsyncContext {
    let context = this.#contexts[attempt];
    if (context === undefined) {
      context = Object.freeze({ jobInfo: this.#env.jobInfo, taskInfo: this.#taskInfo, attempt });
      this.#contexts[attempt] = context;
    }
    return context;
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
