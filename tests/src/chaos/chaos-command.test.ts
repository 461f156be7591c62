/**
 * The checkpoints issue's chaos run (`npm run test:chaos`) in CI: at least 20 faults of every kind —
 * exceptions in processing, snapshot and restore, killed worker threads, SIGKILLed processes —
 * and the file sink's visible output still holds every record exactly once.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SCHEDULE, runChaos } from "./chaos-run.ts";

test("lost=0 duplicated=0 through 22 faults of five kinds", async () => {
  const result = await runChaos({
    keys: 12,
    count: 120_000,
    parallelism: 2,
    recordsPerSecond: 20_000,
    schedule: DEFAULT_SCHEDULE,
  });
  console.log(`lost=${result.lost} duplicated=${result.duplicated} faults=${result.faults}`);
  assert.equal(result.faults, DEFAULT_SCHEDULE.length, "every scheduled fault struck");
  assert.ok(result.processRuns > 4, "the process was killed and restarted from its checkpoints");
  assert.deepEqual({ lost: result.lost, duplicated: result.duplicated }, { lost: 0, duplicated: 0 });
});
