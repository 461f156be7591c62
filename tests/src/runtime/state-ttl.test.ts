/** State TTL in a real job: values expire in processing (wall-clock) time; TTL needs keyed state. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidJobError, runJob } from "@weir/runtime";
import { SEEN } from "../jobs/state-ttl.job.ts";

const JOB = new URL("../jobs/state-ttl.job.ts", import.meta.url);

test("keyed state with a TTL expires in a running job; fresh state is unaffected", async () => {
  const started = Date.now();
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { scenario: "expiry", ttlMs: 100, waitMs: 250 },
  });
  const seen = result.collected(SEEN) as string[];
  assert.deepEqual(
    [...seen].sort(),
    [
      // Read right after the write: alive.
      "old: last=1 history=[1]",
      // Read 250 ms later: both the value and the list element expired (ttl 100 ms).
      "old: last=none history=[]",
      "new: last=2 history=[2]",
    ].sort(),
  );
  // Per key the order is kept: the early read of "old" comes before the late one.
  assert.deepEqual(
    seen.filter((s) => s.startsWith("old")),
    ["old: last=1 history=[1]", "old: last=none history=[]"],
  );
  assert.ok(Date.now() - started < 5000);
});

test("TTL on state of a non-keyed stream is rejected when the job graph is built", async () => {
  await assert.rejects(
    runJob(JOB, { parallelism: 1, params: { scenario: "non-keyed", ttlMs: 100, waitMs: 0 } }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidJobError, String(error));
      assert.match(
        error.message,
        /"Non-keyed TTL": state "last" has a TTL, but the stream is not keyed; TTL is only supported for keyed state/,
      );
      return true;
    },
  );
});
