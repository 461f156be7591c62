/**
 * generator -> map -> filter -> map -> discard at parallelism 1: every operator is chained into
 * one task, so this measures the per-record cost of a chain (source loop, collectors, process
 * function calls) with no exchange. Records are plain numbers, so user code costs next to nothing.
 *
 * Verifying variant (`verify: true`): the records reaching the end are counted into a collect sink.
 * @module
 */

import { defineJob, Sinks, Sources } from "@weir/api";
import { type BenchJobParams, eventsOf } from "./params.ts";
import { countRecords, RECEIVED_COUNTS } from "./record-count.ts";

/** How many of the first `events` records pass the filter: index i passes unless i % 3 === 0. */
export function expectedSinkRecords(events: number): number {
  return events - Math.ceil(events / 3);
}

export default defineJob((env, params: BenchJobParams) => {
  const events = eventsOf(params);
  const out = env
    .fromSource(
      Sources.generator((index) => index, { count: events }),
      "Generator",
    )
    .map((n) => n * 2)
    .withName("Double")
    .filter((n) => n % 3 !== 0)
    .withName("Drop multiples of 3")
    .map((n) => n + 1)
    .withName("Increment");
  if (params.verify === true) out.process(countRecords).withName("Count").toSink(RECEIVED_COUNTS);
  else out.toSink(Sinks.discard()).withName("Discard");
});
