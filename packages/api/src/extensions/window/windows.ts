/**
 * `Windows`: the entry point of the window extension, as Flink 2.0's
 * `BuiltinFuncs.window(windowStrategy, windowProcessFunction)`. It turns a strategy and a window
 * function into an ordinary process function for a keyed stream, built only from primitives: keyed
 * state declared up front, processing-time timers, and the event-time extension's event timers.
 *
 * Invariants: the strategy is re-validated here (hand-built strategy objects get the factories'
 * checks); every call returns a fresh function object, since each parallel instance keeps its own
 * event-time manager; window results carry the timestamp `window.end - 1`.
 *
 * Late records (event time only): by default dropped; `onLateRecord` sees each one and may emit
 * into the window output. To get them as a separate stream, use `windowWithLateRecords`, which emits
 * a {@link WindowOutput} union, and split it with `splitLateRecords()` (see late-records.ts for why
 * this is a union and not a two-output function).
 * @module
 */

import type { OneInputStreamProcessFunction, TwoOutputStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import { alignedWindows } from "./aligned-windows.ts";
import { globalWindow } from "./global-window.ts";
import { type LateRecordHandler, splitLateRecords, tagResults, type WindowOutput } from "./late-records.ts";
import { sessionWindows } from "./session-windows.ts";
import { keyedWindowFunction } from "./window-clock.ts";
import { windowContents } from "./window-contents.ts";
import type { WindowFunction } from "./window-functions.ts";
import { WindowStrategy } from "./window-strategy.ts";

/**
 * Options of `Windows.window`.
 *
 * @example
 * ```ts
 * const options: WindowOptions<Click, number, string> = {
 *   onLateRecord: (click) => console.warn(`late click of ${click.user} at ${click.at}`),
 * };
 * ```
 * @public
 */
export interface WindowOptions<IN, OUT, K extends KeyValue = KeyValue> {
  /**
   * Called for every late record (event time: all its windows are past `end - 1 + allowedLateness`).
   * It may emit into the window's output. Default: late records are dropped.
   */
  readonly onLateRecord?: LateRecordHandler<IN, OUT, K> | undefined;
}

/** The strategy rebuilt by its factory, so hand-made strategy objects are validated too. */
function normalize(strategy: WindowStrategy): WindowStrategy {
  switch (strategy?.kind) {
    case "tumbling":
      return WindowStrategy.tumbling(strategy.sizeMs, strategy);
    case "sliding":
      return WindowStrategy.sliding(strategy.sizeMs, strategy.slideMs, strategy);
    case "session":
      return WindowStrategy.session(strategy.gapMs, strategy);
    case "global":
      return WindowStrategy.global();
    default:
      throw new TypeError(
        `expected a window strategy (WindowStrategy.tumbling/sliding/session/global), got ${JSON.stringify(strategy)}`,
      );
  }
}

function window<IN, OUT, K extends KeyValue>(
  strategy: WindowStrategy,
  fn: WindowFunction<IN, OUT, K>,
  options: WindowOptions<IN, OUT, K> = {},
): OneInputStreamProcessFunction<IN, OUT, K> {
  const checked = normalize(strategy);
  const onLateRecord = options.onLateRecord;
  if (onLateRecord !== undefined && typeof onLateRecord !== "function") {
    throw new TypeError("onLateRecord must be a function (record, output, ctx) => void");
  }
  if (
    fn === null ||
    typeof fn !== "object" ||
    !["aggregate", "aggregate-process", "process"].includes(fn.kind)
  ) {
    throw new TypeError(
      "expected a window function built by WindowFunctions.aggregate or WindowFunctions.process",
    );
  }
  const contents = windowContents(fn);
  switch (checked.kind) {
    case "global":
      return globalWindow(contents);
    case "tumbling":
    case "sliding":
      return keyedWindowFunction(alignedWindows(checked, contents, onLateRecord), checked.timeType);
    case "session":
      return keyedWindowFunction(sessionWindows(checked, contents, onLateRecord), checked.timeType);
  }
}

/**
 * Window functions on keyed streams.
 *
 * @example
 * ```ts
 * const COUNT: AggregateFunction<Click, number, number> = {
 *   createAccumulator: () => 0,
 *   add: (_c, n) => n + 1,
 *   getResult: (n) => n,
 *   merge: (a, b) => a + b,
 * };
 * // Clicks per user and minute of event time, updated for records up to 10 s late.
 * const perMinute = stamped
 *   .keyBy((c) => c.user)
 *   .process(
 *     Windows.window(
 *       WindowStrategy.tumbling(60_000, { allowedLatenessMs: 10_000 }),
 *       WindowFunctions.aggregate(COUNT, {
 *         process: (user: string, window, [count], out) => out.collect({ user, start: window.start, count }),
 *       }),
 *     ),
 *   );
 * // The same with records later than that as a second stream.
 * const { first: counts, second: late } = stamped
 *   .keyBy((c) => c.user)
 *   .process(Windows.windowWithLateRecords(WindowStrategy.tumbling(60_000), WindowFunctions.aggregate(COUNT)))
 *   .processTwoOutput(Windows.splitLateRecords<number, Click>());
 * ```
 * @public
 */
export const Windows = {
  /**
   * An ordinary process function that runs `fn` on the windows of `strategy`. Time windows and
   * sessions need a keyed stream (for a non-keyed stream, key by a constant); the global window
   * works on any stream. Event-time windows need records stamped by a watermark generator.
   */
  window,
  /**
   * Like `window`, but results come out as `{ kind: "result", value }` and late records as
   * `{ kind: "late", record }` on the same output; split them with `splitLateRecords()`.
   */
  windowWithLateRecords<IN, OUT, K extends KeyValue>(
    strategy: WindowStrategy,
    fn: WindowFunction<IN, OUT, K>,
  ): OneInputStreamProcessFunction<IN, WindowOutput<OUT, IN>, K> {
    return window(strategy, tagResults(fn), {
      onLateRecord: (record, output) => output.collect({ kind: "late", record }),
    });
  },
  /** Splits `windowWithLateRecords`' output: results first, late records second. */
  splitLateRecords<OUT, IN>(): TwoOutputStreamProcessFunction<WindowOutput<OUT, IN>, OUT, IN, never> {
    return splitLateRecords<OUT, IN>();
  },
} as const;
