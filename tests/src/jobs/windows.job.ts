/**
 * Test job: per-user count and sum of click timestamps in event-time windows of the window
 * extension (tumbling, sliding or session), with an incremental aggregate plus a window function,
 * or a full-window function. Events arrive out of order, at most `maxOutOfOrderness` behind the
 * largest timestamp seen by their source subtask, so no record is late (a late record fails the job).
 *
 * With `lateOutput: true` the job instead keeps late records: results and late records leave
 * through `Windows.windowWithLateRecords` + `Windows.splitLateRecords` into two collect sinks.
 */

import {
  type AggregateFunction,
  defineJob,
  EventTimeExtension,
  Sinks,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";

export interface Click {
  readonly user: string;
  readonly at: number;
}

export interface WindowSummary {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly sum: number;
}

export type WindowKind = "tumbling" | "sliding" | "session";

export interface WindowsJobParams {
  readonly clicks: readonly Click[];
  readonly maxOutOfOrderness: number;
  readonly kind: WindowKind;
  readonly emission: "per-event" | "periodic";
  /** Incremental aggregation (plus a window function adding key and window) or all records at once. */
  readonly windowFunction: "aggregate" | "process";
  /** Route late records to LATE instead of failing; allowed lateness `allowedLatenessMs`. */
  readonly lateOutput?: boolean;
  readonly allowedLatenessMs?: number;
}

export const SIZE = 10;
export const SLIDE = 5;
export const GAP = 7;

export const SUMMARIES = Sinks.collect<WindowSummary>("window-summaries");
export const LATE = Sinks.collect<Click>("late-clicks");

interface CountAndSum {
  count: number;
  sum: number;
}

const COUNT_AND_SUM: AggregateFunction<Click, CountAndSum, CountAndSum> = {
  createAccumulator: () => ({ count: 0, sum: 0 }),
  add(click, acc) {
    acc.count += 1;
    acc.sum += click.at;
    return acc;
  },
  getResult: (acc) => ({ count: acc.count, sum: acc.sum }),
  merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }),
};

function strategy(kind: WindowKind, allowedLatenessMs: number) {
  switch (kind) {
    case "tumbling":
      return WindowStrategy.tumbling(SIZE, { allowedLatenessMs });
    case "sliding":
      return WindowStrategy.sliding(SIZE, SLIDE, { allowedLatenessMs });
    case "session":
      return WindowStrategy.session(GAP, { allowedLatenessMs });
  }
}

function windowFunction(shape: "aggregate" | "process") {
  if (shape === "aggregate") {
    return WindowFunctions.aggregate(COUNT_AND_SUM, {
      process(user: string, window, [{ count, sum }], out) {
        out.collect({ user, start: window.start, end: window.end, count, sum });
      },
    });
  }
  return WindowFunctions.process<Click, WindowSummary, string>({
    process(user, window, clicks, out) {
      let sum = 0;
      for (const click of clicks) sum += click.at;
      out.collect({ user, start: window.start, end: window.end, count: clicks.length, sum });
    },
  });
}

export default defineJob((env, params: WindowsJobParams) => {
  const generator = EventTimeExtension.newWatermarkGeneratorBuilder((c: Click) => c.at).withMaxOutOfOrderTime(
    params.maxOutOfOrderness,
  );
  const keyed = env
    .fromCollection(params.clicks)
    .process(
      (params.emission === "per-event"
        ? generator.perEventWatermark()
        : generator.periodicWatermark(1)
      ).buildAsProcessFunction(),
    )
    .withName("Timestamps and watermarks")
    .keyBy((c) => c.user);
  const windows = strategy(params.kind, params.allowedLatenessMs ?? 0);
  if (params.lateOutput === true) {
    const { first, second } = keyed
      .process(Windows.windowWithLateRecords(windows, windowFunction(params.windowFunction)))
      .withName("Windows")
      .processTwoOutput(Windows.splitLateRecords<WindowSummary, Click>());
    first.toSink(SUMMARIES);
    second.toSink(LATE);
    return;
  }
  keyed
    .process(
      Windows.window(windows, windowFunction(params.windowFunction), {
        onLateRecord: (click) => {
          // The inputs respect the bound, so a late record means watermarks overtook data.
          throw new Error(`late record ${JSON.stringify(click)}`);
        },
      }),
    )
    .withName("Windows")
    .toSink(SUMMARIES);
});
