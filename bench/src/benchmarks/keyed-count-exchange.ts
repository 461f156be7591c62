/**
 * `keyed-count-exchange`: generator -> keyBy (10 000 keys) -> count per key in ValueState ->
 * discard, parallelism 2: half of the records cross between the two worker threads. Target: 1 M
 * records/s per core.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import { DEFAULT_KEYS, KEY_COUNTS } from "../jobs/keyed-count-exchange.job.ts";

export const keyedCountExchange: Benchmark = {
  name: "keyed-count-exchange",
  description: "generator -> keyBy(10k keys) -> ValueState count per key -> discard, parallelism 2",
  job: new URL("../jobs/keyed-count-exchange.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 50_000_000,
  targetPerCore: 1_000_000,
  verify(result, events) {
    const counts = result.collected(KEY_COUNTS);
    const seen = new Set<number>();
    let total = 0;
    for (const { key, count } of counts) {
      if (seen.has(key)) throw new Error(`keyed-count-exchange: key ${key} was counted by two subtasks`);
      seen.add(key);
      // Keys are index % DEFAULT_KEYS: key k occurs once per full round of keys, plus once if k < remainder.
      const expected = Math.floor(events / DEFAULT_KEYS) + (key < events % DEFAULT_KEYS ? 1 : 0);
      if (count !== expected)
        throw new Error(`keyed-count-exchange: key ${key} counted ${count}, expected ${expected}`);
      total += count;
    }
    const expectedKeys = Math.min(events, DEFAULT_KEYS);
    if (seen.size !== expectedKeys) {
      throw new Error(`keyed-count-exchange: ${seen.size} keys have counts, expected ${expectedKeys}`);
    }
    if (total !== events)
      throw new Error(`keyed-count-exchange: counts add up to ${total}, expected ${events}`);
    return total;
  },
};
