/**
 * Test job for watermarks inside the in-flight data of unaligned checkpoints: per-key counts in
 * tumbling event-time windows (event time = the record's index, in order per source subtask, a
 * watermark after every record), behind a sink that sleeps on every write so every checkpoint
 * carries in-flight batches with watermarks in them. A record that arrives behind the watermark
 * fails the job (the inputs never are late), so a watermark that overtook data after a restore
 * shows; window counts must equal an uninterrupted run's.
 */

import {
  defineJob,
  EventTimeExtension,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  type Sink,
  Sinks,
  Sources,
  StateDeclarations,
} from "@weir/api";

export interface Numbered {
  readonly key: number;
  readonly index: number;
}

export interface WindowCount {
  readonly key: number;
  readonly windowEnd: number;
  readonly count: number;
}

export const COUNTS = Sinks.collect<WindowCount>("window-counts");
export const WINDOW = 100;

export interface EventTimeParams {
  readonly count: number;
  readonly keys: number;
  readonly writeDelayMs: number;
  /** Fail on the first attempt at the first record at or after this index, once 2 checkpoints completed. */
  readonly failAt: number;
  /** Int32 slot 0: checkpoints completed (the test increments it). */
  readonly counters: SharedArrayBuffer;
}

const BY_WINDOW = StateDeclarations.map<number, number>("count-by-window-end");

/** Window counts, plus one echo per record for the slow sink. */
type Output = ({ readonly kind: "count" } & WindowCount) | { readonly kind: "echo" };

function tumblingCount(): OneInputEventTimeStreamProcessFunction<Numbered, Output, number> {
  let time: EventTimeManager;
  return {
    usesStates: () => [BY_WINDOW],
    initEventTimeProcessFunction(manager) {
      time = manager;
    },
    processRecord(record, out, ctx) {
      if (time.recordTimestamp() <= time.currentTime())
        throw new Error(`late record ${JSON.stringify(record)} at event time ${time.currentTime()}`);
      const windowEnd = Math.floor(record.index / WINDOW) * WINDOW + WINDOW - 1;
      const counts = ctx.stateManager.getState(BY_WINDOW);
      counts.put(windowEnd, (counts.get(windowEnd) ?? 0) + 1);
      time.registerTimer(windowEnd);
      out.collect({ kind: "echo" });
    },
    onEventTimer(windowEnd, out, ctx) {
      const counts = ctx.stateManager.getState(BY_WINDOW);
      out.collect({
        kind: "count",
        key: ctx.stateManager.getCurrentKey(),
        windowEnd,
        count: counts.get(windowEnd) ?? 0,
      });
      counts.remove(windowEnd);
    },
  };
}

function slowSink(delayMs: number): Sink<Output> {
  return {
    createWriter: () => ({
      async write() {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      },
      flush() {},
      close() {},
    }),
  };
}

export default defineJob((env, params: EventTimeParams) => {
  const completed = new Int32Array(params.counters);
  const counted = env
    .fromSource(
      Sources.generator((i): Numbered => ({ key: i % params.keys, index: i }), { count: params.count }),
      "Numbers",
    )
    .withUid("numbers")
    .process<Numbered>({
      processRecord(record, out, ctx) {
        if (
          params.failAt >= 0 &&
          record.index >= params.failAt &&
          ctx.taskInfo.attemptNumber === 0 &&
          Atomics.load(completed, 0) >= 2
        )
          throw new Error(`injected failure at record ${record.index}`);
        out.collect(record);
      },
    })
    .withName("Failure injector")
    .withUid("injector")
    .process(
      EventTimeExtension.newWatermarkGeneratorBuilder((r: Numbered) => r.index)
        .withMaxOutOfOrderTime(0)
        .perEventWatermark()
        .buildAsProcessFunction(),
    )
    .withName("Watermarks")
    .withUid("watermarks")
    .keyBy((r) => r.key)
    .process(EventTimeExtension.wrapProcessFunction(tumblingCount()))
    .withName("Window count")
    .withUid("window-count");
  // Every record's echo goes through a slow sink: the counter's input queues stay full.
  counted.toSink(slowSink(params.writeDelayMs)).withName("Slow sink");
  counted
    .process<WindowCount>({
      processRecord(record, out) {
        if (record.kind === "count")
          out.collect({ key: record.key, windowEnd: record.windowEnd, count: record.count });
      },
    })
    .withName("Counts only")
    .withUid("counts-only")
    .toSink(COUNTS);
});
