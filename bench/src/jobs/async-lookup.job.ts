/**
 * generator -> processAsync (a simulated lookup: each call answers after 10 ms) -> discard, at
 * parallelism 1, all chained. With 100 requests in flight the ceiling is 100 / 10 ms = 10 000
 * records/s, so this measures how close the async operator (mailbox round trips, queue, capacity
 * pauses) gets to the latency bound, not CPU speed.
 *
 * Verifying variant (`verify: true`): the records reaching the end are counted into a collect sink.
 * @module
 */

import { type AsyncProcessFunction, defineJob, Sinks, Sources } from "@weir/api";
import { type BenchJobParams, eventsOf } from "./params.ts";
import { countRecords, RECEIVED_COUNTS } from "./record-count.ts";

/** Latency of one simulated lookup. */
export const LOOKUP_LATENCY_MS = 10;
/** Requests in flight. */
export const LOOKUP_CAPACITY = 100;

const lookup: AsyncProcessFunction<number, number> = {
  async processRecordAsync(index) {
    await new Promise((resolve) => setTimeout(resolve, LOOKUP_LATENCY_MS));
    return [index * 2];
  },
};

export default defineJob((env, params: BenchJobParams) => {
  const events = eventsOf(params);
  const out = env
    .fromSource(
      Sources.generator((index) => index, { count: events }),
      "Generator",
    )
    .processAsync(lookup, { capacity: LOOKUP_CAPACITY, ordered: true })
    .withName("Async lookup");
  if (params.verify === true) out.process(countRecords).withName("Count").toSink(RECEIVED_COUNTS);
  else out.toSink(Sinks.discard()).withName("Discard");
});
