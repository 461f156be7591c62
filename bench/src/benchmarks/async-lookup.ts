/**
 * `async-lookup`: generator -> processAsync (10 ms per call, 100 in flight) -> discard, parallelism
 * 1. Latency-bound: the ceiling is 10 000 records/s. Target: 8 000 records/s of wall time (the
 * events/s column); the per-core column is high because the thread mostly waits.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { RECEIVED_COUNTS } from "../jobs/record-count.ts";

export const asyncLookup: Benchmark = {
  name: "async-lookup",
  description: "generator -> processAsync(10 ms lookup, 100 in flight) -> discard, parallelism 1",
  job: new URL("../jobs/async-lookup.job.ts", import.meta.url),
  parallelism: 1,
  defaultEvents: 50_000,
  // The target is 8 000 records/s of wall time; per core it can only be met more easily.
  targetPerCore: 8_000,
  verify(result, events) {
    const counts = result.collected(RECEIVED_COUNTS);
    if (counts.length !== 1) throw new Error(`expected one count (parallelism 1), got ${counts.length}`);
    const received = counts[0]!;
    if (received !== events) {
      throw new Error(`async-lookup: the sink received ${received} records, expected ${events}`);
    }
    return received;
  },
};
