/**
 * Property: a keyed aggregation at parallelism 1, 2 and 4 equals a plain-array oracle over random
 * inputs, with keys spread over many key groups (up to 300 distinct keys over 128 key groups).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import fc from "fast-check";
import { type Event, type KeyTotal, TOTALS } from "../jobs/keyed-sum.job.ts";

const JOB = new URL("../jobs/keyed-sum.job.ts", import.meta.url);

function oracle(events: readonly Event[]): Map<string, { sum: number; count: number }> {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const { key, value } of events) {
    const total = totals.get(key) ?? { sum: 0, count: 0 };
    total.sum += value;
    total.count += 1;
    totals.set(key, total);
  }
  return totals;
}

function byKey(results: KeyTotal[]): Map<string, { sum: number; count: number }> {
  const map = new Map<string, { sum: number; count: number }>();
  for (const { key, sum, count } of results) {
    assert.equal(map.has(key), false, `key ${key} emitted twice`);
    map.set(key, { sum, count });
  }
  return map;
}

const eventArb = fc.record({
  key: fc.integer({ min: 0, max: 299 }).map((k) => `k${k}`),
  // Integers keep sums exact regardless of the order in which parallel subtasks add them.
  value: fc.integer({ min: -1000, max: 1000 }),
});

for (const parallelism of [1, 2, 4]) {
  test(`keyed aggregation at parallelism ${parallelism} equals the oracle`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 0, maxLength: 3000 }), async (events) => {
        const result = await runJob(JOB, { parallelism, params: { events }, batchSize: 64 });
        assert.deepEqual(byKey(result.collected(TOTALS)), oracle(events));
      }),
      { numRuns: 8, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });
}

test("keys really spread over many key groups and every subtask", async () => {
  const events = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i % 500}`, value: 1 }));
  const result = await runJob(JOB, { parallelism: 4, params: { events } });
  const totals = byKey(result.collected(TOTALS));
  assert.equal(totals.size, 500);
  for (const total of totals.values()) assert.deepEqual(total, { sum: 4, count: 4 });
});
