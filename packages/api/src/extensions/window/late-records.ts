/**
 * Late records: what a window does with a record that comes after its windows' allowed lateness.
 * By default nothing; a {@link LateRecordHandler} (`onLateRecord`) sees each one and may emit.
 *
 * As a second output: the event-time extension wraps one- and two-input functions only (a
 * two-output function cannot get event timers without a runtime change), so a windowed function
 * has one output; to route late records elsewhere it emits a tagged union
 * ({@link WindowOutput}) and {@link splitLateRecords} — a two-output function chained right after
 * it, with no exchange in between — splits the union into the results stream and the late stream.
 *
 * Invariant: every item of the union goes to exactly one of the two outputs, unchanged, with the
 * timestamp it was emitted with (window results: `window.end - 1`; late records: their own).
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { TwoOutputStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import type { ProcessWindowFunction, WindowFunction } from "./window-functions.ts";

/**
 * What happens to a late record: called with the record, the window function's output and the
 * record's context (the record's timestamp is stamped on what it collects).
 *
 * @example
 * ```ts
 * // Window results are counts; a late click is reported as -1 (with the click's timestamp).
 * const markLate: LateRecordHandler<Click, number, string> = (_click, out) => out.collect(-1);
 * const logLate: LateRecordHandler<Click, number, string> = (click, _out, ctx) =>
 *   console.warn(`late click of ${ctx.stateManager.getCurrentKey()} at ${click.at}`);
 * ```
 * @public
 */
export type LateRecordHandler<IN, OUT, K extends KeyValue = KeyValue> = (
  record: IN,
  output: Collector<OUT>,
  ctx: PartitionedContext<OUT, K>,
) => void;

/**
 * A window result or a late record, as emitted by `Windows.windowWithLateRecords`.
 *
 * @example
 * ```ts
 * const item: WindowOutput<number, Click> = { kind: "late", record: { user: "a", at: 3 } };
 * if (item.kind === "result") use(item.value);
 * ```
 * @public
 */
export type WindowOutput<OUT, IN> =
  | { readonly kind: "result"; readonly value: OUT }
  | { readonly kind: "late"; readonly record: IN };

/**
 * Splits {@link WindowOutput}s: results to the first output, late records to the second.
 *
 * @example
 * ```ts
 * const { first: counts, second: late } = clicks
 *   .keyBy((c) => c.user)
 *   .process(Windows.windowWithLateRecords(WindowStrategy.tumbling(60_000), WindowFunctions.aggregate(COUNT)))
 *   .processTwoOutput(splitLateRecords<number, Click>());
 * ```
 * @public
 */
export function splitLateRecords<OUT, IN>(): TwoOutputStreamProcessFunction<
  WindowOutput<OUT, IN>,
  OUT,
  IN,
  never
> {
  return {
    processRecord(item, results, late) {
      if (item.kind === "result") results.collect(item.value);
      else late.collect(item.record);
    },
  };
}

/** Tags what a window function collects as results; reused across firings. */
class ResultTagger<OUT, IN> implements Collector<OUT> {
  target: Collector<WindowOutput<OUT, IN>> | undefined;

  collect(value: OUT): void {
    this.target!.collect({ kind: "result", value });
  }

  collectAndOverwriteTimestamp(value: OUT, timestamp: number): void {
    this.target!.collectAndOverwriteTimestamp({ kind: "result", value }, timestamp);
  }
}

/**
 * `fn` with its results wrapped as `{ kind: "result", value }`.
 *
 * @example
 * ```ts
 * const tagged: WindowFunction<Click, WindowOutput<number, Click>> = tagResults(WindowFunctions.aggregate(COUNT));
 * ```
 * @public
 */
export function tagResults<IN, OUT, K extends KeyValue>(
  fn: WindowFunction<IN, OUT, K>,
): WindowFunction<IN, WindowOutput<OUT, IN>, K> {
  switch (fn.kind) {
    case "aggregate":
      return Object.freeze({
        kind: "aggregate-process",
        aggregate: fn.aggregate,
        process: {
          process(_key, _window, [value], output) {
            output.collect({ kind: "result", value: value as OUT });
          },
        },
      });
    case "aggregate-process":
    case "process": {
      // A combined aggregate's function sees `[result]`: a full-window function over results.
      const inner = fn.process as unknown as ProcessWindowFunction<unknown, OUT, K>;
      const tagger = new ResultTagger<OUT, IN>();
      const process: ProcessWindowFunction<unknown, WindowOutput<OUT, IN>, K> = {
        process(key, window, records, output, ctx) {
          tagger.target = output;
          try {
            inner.process(key, window, records, tagger, ctx as unknown as PartitionedContext<OUT, K>);
          } finally {
            tagger.target = undefined;
          }
        },
      };
      return fn.kind === "process"
        ? (Object.freeze({ kind: "process", process }) as WindowFunction<IN, WindowOutput<OUT, IN>, K>)
        : Object.freeze({ kind: "aggregate-process", aggregate: fn.aggregate, process });
    }
  }
}
