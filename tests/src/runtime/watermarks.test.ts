/** Generalized watermarks end to end: emitted by sources and functions, combined across threads. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJob } from "@weir/runtime";
import { PROGRESS, SCALED, SEEN } from "../jobs/watermarks.job.ts";

const JOB = new URL("../jobs/watermarks.job.ts", import.meta.url);

for (const parallelism of [1, 2, 4]) {
  test(`a combined MIN watermark never overtakes the records of any parallel source (parallelism ${parallelism})`, async () => {
    const result = await runJob(JOB, {
      parallelism,
      batchSize: 16,
      params: { count: 5000, scenario: "combine" },
    });
    const seen = result.collected(SEEN);
    const progress = seen.filter((s) => s.watermark === PROGRESS.identifier);
    assert.ok(progress.length > 10, `only ${progress.length} watermarks arrived`);
    assert.deepEqual(
      progress.filter((s) => !s.complete),
      [],
      "when a watermark W arrives, every number <= W has arrived",
    );
    const values = progress.map((s) => s.value as number);
    for (let i = 1; i < values.length; i++)
      assert.ok(values[i]! > values[i - 1]!, "combined values only increase");
  });
}

test("POLL lets a function replace a watermark; IGNORE stops one at the next operator", async () => {
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 16,
    params: { count: 2000, scenario: "poll-and-ignore" },
  });
  const seen = result.collected(SEEN);
  const identifiers = new Set(seen.map((s) => s.watermark));
  assert.deepEqual([...identifiers], [SCALED.identifier], "only the scaled watermark got through");
  assert.ok(seen.length > 5);
  assert.deepEqual(
    seen.filter((s) => !s.complete),
    [],
  );
  assert.ok(seen.every((s) => (s.value as number) % 10 === 0));
});

test("emitting an undeclared watermark fails the job, naming the operator and the watermark", async () => {
  const error = await runJob(JOB, { parallelism: 1, params: { count: 10, scenario: "undeclared" } }).then(
    () => assert.fail("accepted"),
    (e: unknown) => e as Error,
  );
  assert.match(error.message, /Rogue emitter: emitted watermark "nobody-declared-me", which is not declared/);
});
