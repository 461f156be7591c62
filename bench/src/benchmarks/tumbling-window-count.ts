/**
 * `tumbling-window-count`: generator -> event-time watermarks -> keyBy (1 000 keys) -> tumbling
 * event-time window count per key (10 s windows, one event per ms) -> discard, parallelism 2.
 * Target: 1 M events/s per core.
 * @module
 */

import type { Benchmark } from "../benchmark.ts";
import {
  DEFAULT_KEYS,
  DEFAULT_WINDOW_MS,
  eventAt,
  WINDOW_COUNTS,
} from "../jobs/tumbling-window-count.job.ts";

export const tumblingWindowCount: Benchmark = {
  name: "tumbling-window-count",
  description:
    "generator -> watermarks -> keyBy(1k keys) -> tumbling event-time window count (10 s) -> discard, parallelism 2",
  job: new URL("../jobs/tumbling-window-count.job.ts", import.meta.url),
  parallelism: 2,
  defaultEvents: 20_000_000,
  targetPerCore: 1_000_000,
  verify(result, events) {
    // Every (key, window) the events fall in, and how many events each holds.
    const expected = new Map<string, number>();
    for (let index = 0; index < events; index++) {
      const { key, at } = eventAt(index, DEFAULT_KEYS);
      const id = `${key}|${Math.floor(at / DEFAULT_WINDOW_MS) * DEFAULT_WINDOW_MS}`;
      expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    let total = 0;
    for (const { key, start, count } of result.collected(WINDOW_COUNTS)) {
      const id = `${key}|${start}`;
      const want = expected.get(id);
      if (want === undefined)
        throw new Error(`tumbling-window-count: window ${id} fired twice or has no events`);
      if (count !== want)
        throw new Error(`tumbling-window-count: window ${id} counted ${count}, expected ${want}`);
      expected.delete(id);
      total += count;
    }
    if (expected.size > 0) {
      throw new Error(
        `tumbling-window-count: ${expected.size} windows never fired, e.g. ${[...expected.keys()][0]}`,
      );
    }
    if (total !== events)
      throw new Error(`tumbling-window-count: counts add up to ${total}, expected ${events}`);
    return total;
  },
};
