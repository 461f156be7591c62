/**
 * Window contents: the state one window keeps and how it is emitted, derived from a
 * {@link WindowFunction}. For an aggregate it is the accumulator; for a full-window function it is
 * the array of the window's records. The window implementations (aligned, session, global) only
 * create, add, merge and emit contents, so every strategy works with every window function.
 *
 * Invariants: contents are plain data (they live in keyed state, which is snapshotted); every
 * result of a firing is emitted with the window's last timestamp (`window.end - 1`) unless the
 * function overwrites it explicitly; emitting never allocates per record, only per firing.
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { KeyValue } from "../../key.ts";
import type { TimeWindow } from "./time-window.ts";
import type { AggregateWindowFunction, ProcessWindowFunction, WindowFunction } from "./window-functions.ts";

/**
 * Operations on the contents of one window.
 *
 * @example
 * ```ts
 * const contents = windowContents(WindowFunctions.aggregate(COUNT));
 * let acc = contents.create();
 * acc = contents.add(click, acc);
 * contents.emit("alice", { start: 0, end: 10 }, acc, output, ctx); // collects 1 at timestamp 9
 * ```
 * @public
 */
export interface WindowContents<IN, OUT, K extends KeyValue> {
  /** Whether `merge` is available (full-window functions always; aggregates with `merge`). */
  readonly mergeable: boolean;
  /** Contents of an empty window. */
  create(): unknown;
  /** Adds a record; returns the new contents (possibly the same object, changed). */
  add(record: IN, contents: unknown): unknown;
  /** Contents of the union of two windows; `earlier` is the window that starts first. */
  merge(earlier: unknown, later: unknown): unknown;
  /** Fires the window: emits its result(s) with timestamp `window.end - 1`. */
  emit(
    key: K,
    window: TimeWindow,
    contents: unknown,
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
  ): void;
}

/**
 * The collector handed to full-window functions: `collect` stamps the window's last timestamp,
 * `collectAndOverwriteTimestamp` keeps the function's own. One per window function instance.
 */
class WindowResultCollector<OUT> implements Collector<OUT> {
  target: Collector<OUT> | undefined;
  timestamp = 0;

  collect(record: OUT): void {
    this.target!.collectAndOverwriteTimestamp(record, this.timestamp);
  }

  collectAndOverwriteTimestamp(record: OUT, timestamp: number): void {
    this.target!.collectAndOverwriteTimestamp(record, timestamp);
  }
}

function callProcess<IN, OUT, K extends KeyValue>(
  fn: ProcessWindowFunction<IN, OUT, K>,
  collector: WindowResultCollector<OUT>,
  key: K,
  window: TimeWindow,
  records: readonly IN[],
  output: Collector<OUT>,
  ctx: PartitionedContext<OUT, K>,
): void {
  collector.target = output;
  collector.timestamp = window.end - 1;
  try {
    fn.process(key, window, records, collector, ctx);
  } finally {
    collector.target = undefined;
  }
}

/** A combined aggregate's window function sees `[result]`: a full-window function over results. */
const asRecords = <OUT, K extends KeyValue>(fn: AggregateWindowFunction<unknown, OUT, K>) =>
  fn as unknown as ProcessWindowFunction<unknown, OUT, K>;

/**
 * The contents operations of a window function.
 *
 * @example
 * ```ts
 * const contents = windowContents(WindowFunctions.process(listClicks));
 * contents.create(); // []
 * ```
 * @public
 */
export function windowContents<IN, OUT, K extends KeyValue>(
  fn: WindowFunction<IN, OUT, K>,
): WindowContents<IN, OUT, K> {
  switch (fn.kind) {
    case "aggregate": {
      const aggregate = fn.aggregate;
      const merge = aggregate.merge;
      return {
        mergeable: merge !== undefined,
        create: () => aggregate.createAccumulator(),
        add: (record, accumulator) => aggregate.add(record, accumulator),
        merge: (a, b) => merge!.call(aggregate, a, b),
        emit(_key, window, accumulator, output) {
          output.collectAndOverwriteTimestamp(aggregate.getResult(accumulator), window.end - 1);
        },
      };
    }
    case "aggregate-process": {
      const { aggregate, process } = fn;
      const merge = aggregate.merge;
      const collector = new WindowResultCollector<OUT>();
      return {
        mergeable: merge !== undefined,
        create: () => aggregate.createAccumulator(),
        add: (record, accumulator) => aggregate.add(record, accumulator),
        merge: (a, b) => merge!.call(aggregate, a, b),
        emit(key, window, accumulator, output, ctx) {
          callProcess(
            asRecords(process),
            collector,
            key,
            window,
            [aggregate.getResult(accumulator)],
            output,
            ctx,
          );
        },
      };
    }
    case "process": {
      const process = fn.process;
      const collector = new WindowResultCollector<OUT>();
      return {
        mergeable: true,
        create: () => [],
        add(record, records) {
          (records as IN[]).push(record);
          return records;
        },
        merge: (earlier, later) => (earlier as IN[]).concat(later as IN[]),
        emit(key, window, records, output, ctx) {
          callProcess(process, collector, key, window, records as IN[], output, ctx);
        },
      };
    }
  }
}
