/**
 * The SQL benchmarks run end to end in their verifying variant on small inputs: every source row
 * is accounted for in the SELECT's final rows (the check each benchmark's `verify` makes).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runBenchmark } from "../benchmark.ts";
import { expectedFilteredRows, inputLine } from "./filter-projection.ts";
import { SQL_BENCHMARKS } from "./index.ts";
import {
  BOUND_MS,
  expectedIntervalJoin,
  INTERVAL_JOIN_KEYS,
  intervalJoinSides,
  RIGHT_OFFSET_MS,
  ROW_STEP_MS,
} from "./interval-join.ts";
import { expectedOverRows, OVER_ROWS_KEYS } from "./over-rows.ts";

test("the filter keeps exactly the rows expectedFilteredRows counts", () => {
  for (const events of [0, 1, 4, 5, 6, 9, 10, 11, 123]) {
    let kept = 0;
    for (let i = 0; i < events; i++) {
      const row = JSON.parse(inputLine(i)) as { category: number; price: number };
      if (row.category < 5 && row.price >= 0) kept++;
    }
    assert.equal(expectedFilteredRows(events), kept, `events ${events}`);
  }
});

test("the interval join matches exactly the pairs expectedIntervalJoin counts", () => {
  for (const events of [0, 1, 2, 3, 501, 1000, 1500, 1501, 2000, 2001, 3001]) {
    const { left, right } = intervalJoinSides(events);
    assert.equal(left + right, events);
    // Every pair of generated rows, tested against the join condition as the query states it.
    let rows = 0;
    let idSum = 0;
    for (let i = 0; i < left; i++) {
      const lts = i * ROW_STEP_MS;
      for (let j = 0; j < right; j++) {
        const rts = j * ROW_STEP_MS + RIGHT_OFFSET_MS;
        if (
          i % INTERVAL_JOIN_KEYS === j % INTERVAL_JOIN_KEYS &&
          rts >= lts - BOUND_MS &&
          rts <= lts + BOUND_MS
        ) {
          rows++;
          idSum += i + j;
        }
      }
    }
    assert.deepEqual(expectedIntervalJoin(events), { rows, idSum }, `events ${events}`);
  }
  // The engine run of 2 000 events (below) has pairs exactly on both inclusive bounds.
  const { left, right } = intervalJoinSides(2_000);
  const onBound = new Set<number>();
  for (let i = 0; i < left; i++) {
    for (let j = i % INTERVAL_JOIN_KEYS; j < right; j += INTERVAL_JOIN_KEYS) {
      const delta = j * ROW_STEP_MS + RIGHT_OFFSET_MS - i * ROW_STEP_MS;
      if (Math.abs(delta) === BOUND_MS) onBound.add(delta);
    }
  }
  assert.deepEqual(
    [...onBound].sort((a, b) => a - b),
    [-BOUND_MS, BOUND_MS],
  );
});

test("the OVER ROWS frames sum exactly what expectedOverRows computes", () => {
  for (const events of [0, 1, 5, 999, 1000, 1001, 2000, 10_999, 12_345]) {
    // Rows in event-time order (ts = id ms), each frame the last 11 rows of its key.
    const byKey = new Map<number, number[]>();
    let countSum = 0;
    let priceSum = 0;
    for (let id = 0; id < events; id++) {
      const prices = byKey.get(id % OVER_ROWS_KEYS) ?? [];
      prices.push((id % 97) + 1);
      byKey.set(id % OVER_ROWS_KEYS, prices);
      const frame = prices.slice(-11);
      countSum += frame.length;
      priceSum += frame.reduce((a, b) => a + b, 0);
    }
    assert.deepEqual(expectedOverRows(events), { rows: events, countSum, priceSum }, `events ${events}`);
  }
});

for (const benchmark of SQL_BENCHMARKS) {
  test(`${benchmark.name}: the verifying run accounts for every event`, async () => {
    const run = await runBenchmark(benchmark, { events: 2_000, verify: true });
    assert.equal(run.result.events, 2_000);
    assert.ok(run.sinkRecords !== undefined && run.sinkRecords > 0, "the verifying run counted records");
  });
}
