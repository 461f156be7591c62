/** Whole jobs over each stream shape, checked against results computed independently in the test. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { OUT, SECOND } from "../jobs/topologies.job.ts";

const JOB = new URL("../jobs/topologies.job.ts", import.meta.url);
const sorted = <T>(values: T[]) => [...values].sort();

test("two keyed inputs share per-key state (a join), at parallelism 3", async () => {
  const users = Array.from({ length: 40 }, (_, i) => ({ user: `u${i}`, country: i % 2 === 0 ? "NL" : "DE" }));
  const orders = Array.from({ length: 200 }, (_, i) => ({ user: `u${i % 40}`, amount: i }));
  const result = await runJob(JOB, { parallelism: 3, params: { scenario: "keyed-join", users, orders } });
  const expected = orders.map(
    (o) => `${o.user}:${Number(o.user.slice(1)) % 2 === 0 ? "NL" : "DE"}:${o.amount}`,
  );
  assert.deepEqual(sorted(result.collected(OUT) as string[]), sorted(expected));
});

test("a broadcast input reaches every parallel instance", async () => {
  const rates: [string, number][] = [
    ["EUR", 1],
    ["USD", 2],
  ];
  // Payments in a currency without a rate are reported as unknown, the rest converted (the order of
  // the two inputs is not defined, so only currencies never broadcast are asserted as unknown).
  const payments = Array.from({ length: 60 }, (_, i) => ({
    currency: ["EUR", "USD", "GBP"][i % 3]!,
    amount: i,
  }));
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { scenario: "broadcast-rates", rates, payments },
  });
  const out = result.collected(OUT) as string[];
  assert.equal(out.length, 60);
  assert.equal(out.filter((s) => s === "unknown:GBP").length, 20);
});

test("a two-output function feeds two sinks", async () => {
  const numbers = Array.from({ length: 101 }, (_, i) => i);
  const result = await runJob(JOB, { parallelism: 2, params: { scenario: "two-outputs", numbers } });
  assert.deepEqual(
    sorted(result.collected(OUT) as number[])
      .map(Number)
      .sort((a, b) => a - b),
    numbers.filter((n) => n % 2 === 0),
  );
  assert.deepEqual(
    sorted(result.collected(SECOND) as string[]),
    sorted(numbers.filter((n) => n % 2 === 1).map((n) => `odd ${n}`)),
  );
});

test("a global stream gathers every record into one partition", async () => {
  const numbers = Array.from({ length: 999 }, (_, i) => i);
  const result = await runJob(JOB, { parallelism: 4, params: { scenario: "global-count", numbers } });
  assert.deepEqual(result.collected(OUT), [999]);
});

test("shuffle spreads records over every downstream subtask", async () => {
  const numbers = Array.from({ length: 300 }, (_, i) => i);
  const result = await runJob(JOB, {
    parallelism: 1,
    batchSize: 8,
    params: { scenario: "shuffle-subtasks", numbers },
  });
  const out = result.collected(OUT) as [number, number][];
  assert.deepEqual(
    out.map(([, n]) => n).sort((a, b) => a - b),
    numbers,
  );
  const perSubtask = [0, 1, 2].map((s) => out.filter(([subtask]) => subtask === s).length);
  assert.deepEqual(perSubtask, [100, 100, 100]);
});

test("keyed reduce emits running values and keeps the stream keyed", async () => {
  const words = ["a", "b", "a", "c", "a", "b"];
  const result = await runJob(JOB, { parallelism: 2, params: { scenario: "keyed-reduce", words } });
  assert.deepEqual(
    sorted(result.collected(OUT) as string[]),
    sorted(["a=a:1", "a=a:2", "a=a:3", "b=b:1", "b=b:2", "c=c:1"]),
  );
});

test("a job that calls execute() itself gets its result back", async () => {
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { scenario: "execute-in-job", numbers: [1, 2, 3] },
  });
  assert.equal(result.jobName, "named-by-the-job");
  assert.deepEqual(sorted(result.collected(OUT) as number[]), [2, 3, 4]);
});
