/** Test job: an event-time sliding-window join of two streams with bounded out-of-orderness. */

import { defineJob, EventTimeExtension, Joins, Sinks, WindowStrategy } from "@weir/api";
import type { Event } from "./interval-join.job.ts";

export const PAIRS = Sinks.collect<string>("window-pairs");

export default defineJob(
  (
    env,
    params: { lefts: Event[]; rights: Event[]; size: number; slide: number; maxOutOfOrderness: number },
  ) => {
    const stamp = () =>
      EventTimeExtension.newWatermarkGeneratorBuilder((e: Event) => e.at)
        .withMaxOutOfOrderTime(params.maxOutOfOrderness)
        .perEventWatermark()
        .buildAsProcessFunction();
    const lefts = env
      .fromCollection(params.lefts)
      .process(stamp())
      .keyBy((e) => e.user);
    const rights = env
      .fromCollection(params.rights)
      .process(stamp())
      .keyBy((e) => e.user);
    lefts
      .connectAndProcess(
        rights,
        Joins.windowJoin<Event, Event, string, string>(
          { processRecord: (l, r, out) => out.collect(`${l.id}-${r.id}`) },
          WindowStrategy.sliding(params.size, params.slide),
        ),
      )
      .toSink(PAIRS);
  },
);
