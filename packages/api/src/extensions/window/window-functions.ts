/**
 * Window functions: what a window computes when it fires. Three shapes, as Flink's
 * `WindowedStream.aggregate(agg)`, `.process(fn)` and `.aggregate(agg, fn)`:
 * - incremental pre-aggregation: each record is folded into an accumulator as it arrives, so a
 *   window's state is one accumulator whatever its size;
 * - full-window processing: the window keeps every record and the function sees them all at once;
 * - both: the accumulator's single result is handed to a full-window function, which adds the key
 *   and the window (e.g. to emit `{ user, start, end, count }`).
 *
 * Invariant: a {@link WindowFunction} is a frozen descriptor checked when it is built; merging
 * (session) windows need `AggregateFunction.merge`, which `Windows.window` checks up front.
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { KeyValue } from "../../key.ts";
import type { AggregateFunction } from "../../state.ts";
import type { TimeWindow } from "./time-window.ts";

/**
 * A full-window function: called once per firing with every record of the window, in arrival order
 * (for merged sessions: the records of the earlier session first). Records collected through
 * `output.collect` carry the window's last timestamp (`window.end - 1`).
 *
 * On non-keyed streams (global strategy only) `key` is `undefined`.
 *
 * @example
 * ```ts
 * const summary: ProcessWindowFunction<Click, { user: string; clicks: number; from: number }, string> = {
 *   process(user, window, clicks, out) {
 *     out.collect({ user, clicks: clicks.length, from: window.start });
 *   },
 * };
 * ```
 * @public
 */
export interface ProcessWindowFunction<IN, OUT, K extends KeyValue = KeyValue> {
  process(
    key: K,
    window: TimeWindow,
    records: readonly IN[],
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
  ): void;
}

/**
 * The full-window function of a combined aggregate: called once per firing with the aggregate's
 * single result (`results` is `[result]`, so any {@link ProcessWindowFunction} over results fits).
 *
 * @example
 * ```ts
 * const label: AggregateWindowFunction<number, string, string> = {
 *   process(user, window, [count], out) {
 *     out.collect(`${user} clicked ${count} times in [${window.start}, ${window.end})`);
 *   },
 * };
 * ```
 * @public
 */
export interface AggregateWindowFunction<R, OUT, K extends KeyValue = KeyValue> {
  process(
    key: K,
    window: TimeWindow,
    results: readonly [R],
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
  ): void;
}

/**
 * What a window computes: build it with {@link WindowFunctions}.
 *
 * @example
 * ```ts
 * const count: WindowFunction<Click, number> = WindowFunctions.aggregate(COUNT);
 * ```
 * @public
 */
export type WindowFunction<IN, OUT, K extends KeyValue = KeyValue> =
  | {
      /** Incremental aggregation; emits `aggregate.getResult(accumulator)` per firing. */
      readonly kind: "aggregate";
      readonly aggregate: AggregateFunction<IN, unknown, OUT>;
    }
  | {
      /** Incremental aggregation whose result goes through a full-window function. */
      readonly kind: "aggregate-process";
      readonly aggregate: AggregateFunction<IN, unknown, unknown>;
      readonly process: AggregateWindowFunction<unknown, OUT, K>;
    }
  | {
      /** Every record of the window, kept in state until the window fires. */
      readonly kind: "process";
      readonly process: ProcessWindowFunction<IN, OUT, K>;
    };

function checkAggregate(aggregate: AggregateFunction<unknown, unknown, unknown>): void {
  if (
    aggregate === null ||
    typeof aggregate !== "object" ||
    typeof aggregate.createAccumulator !== "function" ||
    typeof aggregate.add !== "function" ||
    typeof aggregate.getResult !== "function"
  ) {
    throw new TypeError("a window aggregate needs createAccumulator(), add() and getResult()");
  }
}

function checkProcess(fn: ProcessWindowFunction<never, unknown, never>): void {
  if (fn === null || typeof fn !== "object" || typeof fn.process !== "function") {
    throw new TypeError(
      "a process window function needs a process(key, window, records, output, ctx) method",
    );
  }
}

function aggregate<IN, ACC, R>(aggregate: AggregateFunction<IN, ACC, R>): WindowFunction<IN, R, never>;
function aggregate<IN, ACC, R, OUT, K extends KeyValue>(
  aggregate: AggregateFunction<IN, ACC, R>,
  process: AggregateWindowFunction<R, OUT, K>,
): WindowFunction<IN, OUT, K>;
function aggregate(
  aggregate: AggregateFunction<unknown, unknown, unknown>,
  process?: AggregateWindowFunction<unknown, unknown, KeyValue>,
): WindowFunction<unknown, unknown, KeyValue> {
  checkAggregate(aggregate);
  if (process === undefined) return Object.freeze({ kind: "aggregate", aggregate });
  checkProcess(process as unknown as ProcessWindowFunction<never, unknown, never>);
  return Object.freeze({ kind: "aggregate-process", aggregate, process });
}

/**
 * Factories for window functions.
 *
 * @example
 * ```ts
 * const COUNT: AggregateFunction<unknown, number, number> = {
 *   createAccumulator: () => 0,
 *   add: (_click, n) => n + 1,
 *   getResult: (n) => n,
 *   merge: (a, b) => a + b,
 * };
 * WindowFunctions.aggregate(COUNT);                      // emits the count of each window
 * WindowFunctions.aggregate(COUNT, {                      // ... with the key and the window
 *   process(user: string, window, [count], out) {
 *     out.collect({ user, start: window.start, count });
 *   },
 * });
 * WindowFunctions.process<Click, string, string>({       // every record of the window
 *   process(user, window, clicks, out) {
 *     out.collect(`${user}: ${clicks.map((c) => c.page).join(" -> ")}`);
 *   },
 * });
 * ```
 * @public
 */
export const WindowFunctions = {
  /**
   * Incremental aggregation; with a `process` function the single result of each firing is passed
   * to it (as `results: [result]`) together with the key and the window.
   */
  aggregate,
  /** A full-window function over every record of the window. */
  process<IN, OUT, K extends KeyValue>(
    process: ProcessWindowFunction<IN, OUT, K>,
  ): WindowFunction<IN, OUT, K> {
    checkProcess(process as ProcessWindowFunction<never, unknown, never>);
    return Object.freeze({ kind: "process", process });
  },
} as const;
