/**
 * Async processing (DESIGN.md §3, seed 002 "Async Processing"): a process function whose work
 * finishes later, e.g. a lookup in a database or a call to a service. Many records are in flight at
 * once; the framework bounds how many, keeps or relaxes their order, times them out, retries them,
 * and delivers every result back through the task's mailbox, so the rest of the job never sees
 * concurrency. A stream gets one with `processAsync(fn, options)`.
 *
 * Contract, per subtask:
 * - Each input record starts one call of `processRecordAsync`. Its promise's settlement is handed
 *   to the task's mailbox; outputs are emitted from there, one record at a time like everything
 *   else, with the input record's timestamp.
 * - `ordered` (default): outputs leave in input order. Unordered: outputs leave as their requests
 *   complete, but never across a watermark: a watermark leaves after the outputs of every record
 *   that arrived before it, and outputs of records that arrived after it leave after it.
 * - At most `capacity` records are in flight (started and not yet emitted). When the operator is
 *   full it pauses the task's input, which backpressures everything upstream.
 * - A request that has not settled after `timeoutMs`, or that rejects, is retried (a new call,
 *   `ctx.attempt` one higher) after `retry.backoffMs`, up to `retry.maxAttempts` calls in all. When
 *   the last attempt times out, `onTimeout` supplies the outputs, or the job fails naming the
 *   operator; when it rejects, the job fails with the rejection as the error's cause.
 * - At the end of a bounded input the operator waits for every request in flight and emits it.
 * - Records in flight are part of the operator's snapshot; a restore issues them again. So a
 *   request may run more than once (retries, restarts): make it idempotent (a lookup is).
 *
 * Sequence, ordered, capacity 2, over `r1 r2 W r3` where r2 completes first:
 * ```text
 * r1 -> call 1        r2 -> call 2 (now full: input paused)
 * call 2 resolves     -> nothing yet (r1 is first)
 * call 1 resolves     -> emit out(r1), out(r2); input resumes
 * W                   -> emitted at once (nothing is in flight)
 * r3 -> call 3 ...
 * ```
 * @module
 */

import type { RuntimeContext } from "./contexts.ts";
import type { ProcessFunction } from "./functions.ts";

/**
 * What async code may see: job and task facts, and which attempt this call is (1 for the first).
 *
 * There is deliberately no state and no timer service here. The promise settles later, while the
 * task has moved on to other records (on a keyed stream, another key is current), so state read or
 * written from async code would belong to the wrong key, and the task cannot wait for it. Read what
 * the request needs from the record, and keep stateful logic in a `process` step before or after
 * the async step.
 * @public
 */
export interface AsyncContext extends RuntimeContext {
  /** 1 for the first call of a record, 2 for its first retry, and so on. */
  readonly attempt: number;
}

/**
 * A one-input function whose result arrives later (see the module documentation for the contract).
 * `open(ctx)` (e.g. to create a client) sees job and task facts; that context's state manager,
 * `applyToAllPartitions` and watermark manager throw. `close()` runs after the last result, or
 * when the task fails or is cancelled (results still pending are then dropped).
 *
 * @example
 * ```ts
 * const enrich: AsyncProcessFunction<Order, EnrichedOrder> = {
 *   async processRecordAsync(order) {
 *     const customer = await customers.lookup(order.customerId);
 *     return [{ ...order, customerName: customer.name }];
 *   },
 *   onTimeout: (order) => [{ ...order, customerName: "unknown" }],
 * };
 * orders.processAsync(enrich, { capacity: 100, timeoutMs: 1_000, retry: { maxAttempts: 3, backoffMs: 50 } });
 * ```
 * @public
 */
export interface AsyncProcessFunction<IN, OUT> extends ProcessFunction {
  /** Async functions cannot use state (see {@link AsyncContext}); declaring any fails the job. */
  usesStates?(): readonly never[];
  /**
   * Starts the work for one record. The promise resolves to the outputs of the record (an empty
   * iterable for none; a string is refused, wrap it in an array). A throw counts as a rejection.
   * Never called concurrently with other hooks of the function; many calls may be pending at once.
   */
  processRecordAsync(record: IN, ctx: AsyncContext): Promise<Iterable<OUT>>;
  /**
   * Called when the last attempt for `record` timed out; returns the outputs to emit in its place.
   * Default: the job fails with an error naming the operator, the attempts and the timeout.
   */
  onTimeout?(record: IN, ctx: AsyncContext): Iterable<OUT>;
}

/** Retrying of failed or timed-out requests. @public */
export interface AsyncRetryOptions {
  /** Calls per record in all, including the first (a positive integer; 1 means no retry). */
  readonly maxAttempts: number;
  /** Milliseconds of processing time between a failed attempt and the next (non-negative). */
  readonly backoffMs: number;
}

/** Options of `processAsync`. Every field is optional. @public */
export interface AsyncProcessOptions {
  /** Emit outputs in input order (default true); false emits them as requests complete. */
  readonly ordered?: boolean | undefined;
  /** Records in flight per subtask before input is paused (a positive integer; default 100). */
  readonly capacity?: number | undefined;
  /** Milliseconds of processing time an attempt may take (positive; default: no timeout). */
  readonly timeoutMs?: number | undefined;
  /** Retries of rejected and timed-out attempts (default: none). */
  readonly retry?: AsyncRetryOptions | undefined;
}

/** {@link AsyncProcessOptions} with every default applied and every value checked. @public */
export interface ResolvedAsyncProcessOptions {
  readonly ordered: boolean;
  readonly capacity: number;
  /** `undefined`: attempts never time out. */
  readonly timeoutMs: number | undefined;
  readonly maxAttempts: number;
  readonly backoffMs: number;
}

/** The defaults of {@link AsyncProcessOptions}. @public */
export const ASYNC_PROCESS_DEFAULTS: ResolvedAsyncProcessOptions = Object.freeze({
  ordered: true,
  capacity: 100,
  timeoutMs: undefined,
  maxAttempts: 1,
  backoffMs: 0,
});

const KNOWN_OPTIONS = ["ordered", "capacity", "timeoutMs", "retry"];
const KNOWN_RETRY_OPTIONS = ["maxAttempts", "backoffMs"];

function checkKeys(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`processAsync: unknown ${what} "${key}" (known: ${known.join(", ")})`);
    }
  }
}

/**
 * Applies the defaults to `options` and checks them, throwing a TypeError or RangeError that names
 * the offending option. `processAsync` calls it when the job is built.
 *
 * @example
 * ```ts
 * resolveAsyncProcessOptions({ timeoutMs: 500 });
 * // { ordered: true, capacity: 100, timeoutMs: 500, maxAttempts: 1, backoffMs: 0 }
 * ```
 * @public
 */
export function resolveAsyncProcessOptions(options?: AsyncProcessOptions): ResolvedAsyncProcessOptions {
  if (options === undefined) return ASYNC_PROCESS_DEFAULTS;
  if (options === null || typeof options !== "object") {
    throw new TypeError(`processAsync: options must be an object, got ${String(options)}`);
  }
  checkKeys("option", options, KNOWN_OPTIONS);
  const { ordered, capacity, timeoutMs, retry } = options;
  if (ordered !== undefined && typeof ordered !== "boolean") {
    throw new TypeError(`processAsync: ordered must be a boolean, got ${String(ordered)}`);
  }
  if (
    capacity !== undefined &&
    (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1)
  ) {
    throw new RangeError(`processAsync: capacity must be a positive integer, got ${String(capacity)}`);
  }
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0)
  ) {
    throw new RangeError(
      `processAsync: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`,
    );
  }
  let maxAttempts = ASYNC_PROCESS_DEFAULTS.maxAttempts;
  let backoffMs = ASYNC_PROCESS_DEFAULTS.backoffMs;
  if (retry !== undefined) {
    if (retry === null || typeof retry !== "object") {
      throw new TypeError(
        `processAsync: retry must be an object { maxAttempts, backoffMs }, got ${String(retry)}`,
      );
    }
    checkKeys("retry option", retry, KNOWN_RETRY_OPTIONS);
    maxAttempts = retry.maxAttempts;
    backoffMs = retry.backoffMs;
    if (typeof maxAttempts !== "number" || !Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(
        `processAsync: retry.maxAttempts must be a positive integer (calls in all, 1 = no retry), got ${String(maxAttempts)}`,
      );
    }
    if (typeof backoffMs !== "number" || !Number.isFinite(backoffMs) || backoffMs < 0) {
      throw new RangeError(
        `processAsync: retry.backoffMs must be a non-negative number of milliseconds, got ${String(backoffMs)}`,
      );
    }
  }
  return Object.freeze({
    ordered: ordered ?? ASYNC_PROCESS_DEFAULTS.ordered,
    capacity: capacity ?? ASYNC_PROCESS_DEFAULTS.capacity,
    timeoutMs,
    maxAttempts,
    backoffMs,
  });
}
