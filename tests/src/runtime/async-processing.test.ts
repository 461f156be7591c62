/**
 * processAsync on the local mini-cluster (real worker threads, real timers): results equal a plain
 * oracle at parallelism 1 and 2, ordered mode keeps each subtask's input order, no subtask has more
 * than `capacity` calls outstanding, and failures and timeouts behave as documented.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { JobExecutionError, runJob } from "@weir/runtime";
import { type AsyncLookupParams, type Looked, RESULTS } from "../jobs/async-lookup.job.ts";

const JOB = new URL("../jobs/async-lookup.job.ts", import.meta.url);

async function run(parallelism: number, params: AsyncLookupParams): Promise<Looked[]> {
  const result = await runJob(JOB, { parallelism, params });
  return result.collected(RESULTS);
}

function oracle(count: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => [i, i * i]);
}

function sortedPairs(results: readonly Looked[]): [number, number][] {
  return results.map((r): [number, number] => [r.value, r.squared]).sort((a, b) => a[0] - b[0]);
}

function bySubtask(results: readonly Looked[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const r of results) {
    const values = groups.get(r.subtask) ?? [];
    values.push(r.value);
    groups.set(r.subtask, values);
  }
  return groups;
}

for (const parallelism of [1, 2]) {
  test(`ordered async lookups equal the oracle and keep each subtask's order (parallelism ${parallelism})`, async () => {
    const count = 1500;
    const capacity = 20;
    const results = await run(parallelism, { count, ordered: true, capacity });
    assert.deepEqual(sortedPairs(results), oracle(count));
    const groups = bySubtask(results);
    assert.equal(groups.size, parallelism, "every subtask looked records up");
    for (const [subtask, values] of groups) {
      // fromCollection hands each source subtask a contiguous, ascending slice; the async step is
      // chained to it, so ordered output per subtask is ascending.
      const ascending = [...values].sort((a, b) => a - b);
      assert.deepEqual(values, ascending, `subtask ${subtask} emitted out of input order`);
    }
    const most = Math.max(...results.map((r) => r.outstanding));
    assert.ok(most <= capacity, `${most} calls were outstanding at once, capacity is ${capacity}`);
    assert.ok(most > 1, "requests overlapped");
  });
}

test("ordered results keep each subtask's order across an exchange after the async step", async () => {
  const count = 1000;
  const results = await run(2, { count, ordered: true, capacity: 16, thenGlobal: true });
  assert.deepEqual(sortedPairs(results), oracle(count));
  for (const [subtask, values] of bySubtask(results)) {
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      `subtask ${subtask}'s results arrived out of order`,
    );
  }
});

test("unordered async lookups on a keyed stream equal the oracle (parallelism 2)", async () => {
  const count = 1500;
  const capacity = 10;
  const results = await run(2, { count, ordered: false, capacity, keyed: true });
  assert.deepEqual(sortedPairs(results), oracle(count));
  const most = Math.max(...results.map((r) => r.outstanding));
  assert.ok(most <= capacity, `${most} calls were outstanding at once, capacity is ${capacity}`);
});

test("a lookup that keeps failing fails the job after its retries, naming the operator", async () => {
  const error = await run(2, { count: 200, ordered: true, capacity: 10, failOn: 17 }).then(
    () => assert.fail("the job should have failed"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof JobExecutionError, `got ${String(error)}`);
  assert.equal(error.operatorName, "Lookup");
  assert.match(error.message, /Lookup: async request failed after 2 attempts: lookup of 17 failed/);
  assert.match(error.stack ?? "", /async-lookup\.job\.ts/, "the user's frame is in the stack");
});

test("a lookup that never answers times out on the real clock and onTimeout answers it", async () => {
  const count = 100;
  const results = await run(1, { count, ordered: true, capacity: 10, hangOn: 42, timeoutMs: 50 });
  const expected = oracle(count).map(([v, s]): [number, number] => [v, v === 42 ? -1 : s]);
  assert.deepEqual(
    results.map((r): [number, number] => [r.value, r.squared]),
    expected,
    "ordered: the fallback takes the hung record's place",
  );
});

test("invalid processAsync options fail the job build with the option named", async () => {
  await assert.rejects(
    run(1, { count: 1, ordered: true, capacity: 1, rawOptions: { capacity: 0 } }),
    /processAsync: capacity must be a positive integer, got 0/,
  );
  await assert.rejects(
    run(1, { count: 1, ordered: true, capacity: 1, rawOptions: { retry: { maxAttempts: 3 } } }),
    /processAsync: retry.backoffMs must be a non-negative number of milliseconds, got undefined/,
  );
});
