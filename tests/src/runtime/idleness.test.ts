/**
 * An idle source subtask stops holding event time back, and rejoins when it has data again.
 * Without idleness this job could not finish: the silent subtask's data is released only after
 * event time passed a point that subtask never reports (see the job module).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { COUNTS, LAST, PHASE, REJOIN_AT, REJOINED } from "../jobs/idleness.job.ts";

const JOB = new URL("../jobs/idleness.job.ts", import.meta.url);

test("an idle subtask does not stall event time, and its later records are on time", async () => {
  const flags = new SharedArrayBuffer(2 * 4);
  const view = new Int32Array(flags);
  const result = await runJob(JOB, { parallelism: 2, params: { flags, idlenessMs: 200 } });
  assert.equal(Atomics.load(view, PHASE), 1, "event time passed 899 while subtask 1 was silent");
  assert.equal(Atomics.load(view, REJOINED), 1, "subtask 1's data arrived while subtask 0 was still running");
  const rejoinAt = REJOIN_AT;

  const expected = new Map<number, number>();
  const add = (t: number) => {
    const end = Math.floor(t / 100) * 100 + 99;
    expected.set(end, (expected.get(end) ?? 0) + 1);
  };
  for (let t = 0; t <= LAST; t++) add(t);
  for (let t = rejoinAt; t < rejoinAt + 100; t++) add(t);
  const counts = result.collected(COUNTS);
  assert.deepEqual(
    new Map(counts.map((c) => [c.windowEnd, c.count])),
    expected,
    "every window fired once with all its records: none of the rejoined subtask's records was late",
  );
  assert.equal(counts.length, expected.size);
});
