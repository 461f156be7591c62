/** An exception in user code fails the job with the user's stack trace and the operator's name. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { JobExecutionError, runJob } from "@weir/runtime";

const JOB = new URL("../jobs/failing.job.ts", import.meta.url);

for (const parallelism of [1, 3]) {
  test(`a throwing map fails the job with its name and stack (parallelism ${parallelism})`, async () => {
    const error = await runJob(JOB, { parallelism, params: { poison: 500, count: 10_000 } }).then(
      () => assert.fail("the job should have failed"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof JobExecutionError, `got ${String(error)}`);
    assert.equal(error.operatorName, "Exploding map");
    assert.match(error.message, /Exploding map: cannot handle record 500/);
    assert.match(error.taskName ?? "", /Exploding map|Collection Source/);
    // The user's frame is in the stack: the function and the file that threw.
    assert.match(error.stack ?? "", /explodeOn/);
    assert.match(error.stack ?? "", /failing\.job\.ts/);
    assert.match(error.stack ?? "", /RangeError/);
  });
}
