/**
 * `chained-map-filter`: generator -> map -> filter -> map -> discard, parallelism 1, one chained
 * task. Target: 5 M records/s per core.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { expectedSinkRecords } from "../jobs/chained-map-filter.job.ts";
import { RECEIVED_COUNTS } from "../jobs/record-count.ts";

export const chainedMapFilter: Benchmark = {
  name: "chained-map-filter",
  description: "generator -> map -> filter -> map -> discard, parallelism 1, all chained in one task",
  job: new URL("../jobs/chained-map-filter.job.ts", import.meta.url),
  parallelism: 1,
  defaultEvents: 100_000_000,
  targetPerCore: 5_000_000,
  verify(result, events) {
    const counts = result.collected(RECEIVED_COUNTS);
    if (counts.length !== 1) throw new Error(`expected one count (parallelism 1), got ${counts.length}`);
    const received = counts[0]!;
    const expected = expectedSinkRecords(events);
    if (received !== expected) {
      throw new Error(`chained-map-filter: the sink received ${received} records, expected ${expected}`);
    }
    return received;
  },
};
