/**
 * Test job: per-user counts in 10 ms tumbling event-time windows, built from the event-time
 * extension's primitives (a watermark generator and event timers). Events arrive out of order,
 * at most `maxOutOfOrderness` behind the largest timestamp seen by their source subtask.
 */

import {
  defineJob,
  EventTimeExtension,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  Sinks,
  StateDeclarations,
} from "@weir/api";

export interface Click {
  readonly user: string;
  readonly at: number;
}

export interface WindowCount {
  readonly user: string;
  readonly windowEnd: number;
  readonly count: number;
}

export const COUNTS = Sinks.collect<WindowCount>("window-counts");
export const WINDOW = 10;

const BY_WINDOW = StateDeclarations.map<number, number>("count-by-window-end");

function tumblingCount(
  late: (click: Click) => void,
): OneInputEventTimeStreamProcessFunction<Click, WindowCount, string> {
  let time: EventTimeManager;
  return {
    usesStates: () => [BY_WINDOW],
    initEventTimeProcessFunction(manager) {
      time = manager;
    },
    processRecord(click, _out, ctx) {
      if (time.recordTimestamp() <= time.currentTime()) {
        late(click);
        return;
      }
      const windowEnd = Math.floor(click.at / WINDOW) * WINDOW + WINDOW - 1;
      const counts = ctx.stateManager.getState(BY_WINDOW);
      counts.put(windowEnd, (counts.get(windowEnd) ?? 0) + 1);
      time.registerTimer(windowEnd);
    },
    onEventTimer(windowEnd, out, ctx) {
      const counts = ctx.stateManager.getState(BY_WINDOW);
      out.collect({ user: ctx.stateManager.getCurrentKey(), windowEnd, count: counts.get(windowEnd) ?? 0 });
      counts.remove(windowEnd);
    },
  };
}

export default defineJob(
  (env, params: { clicks: Click[]; maxOutOfOrderness: number; emission: "per-event" | "periodic" }) => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder(
      (c: Click) => c.at,
    ).withMaxOutOfOrderTime(params.maxOutOfOrderness);
    const stamped = env
      .fromCollection(params.clicks)
      .process(
        (params.emission === "per-event"
          ? generator.perEventWatermark()
          : generator.periodicWatermark(1)
        ).buildAsProcessFunction(),
      )
      .withName("Timestamps and watermarks");
    stamped
      .keyBy((c) => c.user)
      .process(
        EventTimeExtension.wrapProcessFunction(
          tumblingCount((c) => {
            // The inputs respect the bound, so a late record means watermarks overtook data.
            throw new Error(`late record ${JSON.stringify(c)}`);
          }),
        ),
      )
      .withName("Tumbling count")
      .toSink(COUNTS);
  },
);
