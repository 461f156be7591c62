/**
 * Test job: an event-time interval join of two streams with timestamps and bounded
 * out-of-orderness, keyed by user.
 */

import { defineJob, EventTimeExtension, Joins, Sinks } from "@weir/api";

export interface Event {
  readonly user: string;
  readonly at: number;
  readonly id: number;
}

export const PAIRS = Sinks.collect<string>("pairs");

export default defineJob(
  (
    env,
    params: { lefts: Event[]; rights: Event[]; lower: number; upper: number; maxOutOfOrderness: number },
  ) => {
    const stamp = () =>
      EventTimeExtension.newWatermarkGeneratorBuilder((e: Event) => e.at)
        .withMaxOutOfOrderTime(params.maxOutOfOrderness)
        .perEventWatermark()
        .buildAsProcessFunction();
    const lefts = env
      .fromCollection(params.lefts)
      .withName("Lefts")
      .process(stamp())
      .keyBy((e) => e.user);
    const rights = env
      .fromCollection(params.rights)
      .withName("Rights")
      .process(stamp())
      .keyBy((e) => e.user);
    lefts
      .connectAndProcess(
        rights,
        Joins.intervalJoin<Event, Event, string, string>(
          { processRecord: (l, r, out) => out.collect(`${l.id}-${r.id}`) },
          { lowerBoundMs: params.lower, upperBoundMs: params.upper },
        ),
      )
      .withName("Interval join")
      .toSink(PAIRS);
  },
);
