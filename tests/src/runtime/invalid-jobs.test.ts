/** Bad job definitions are rejected with errors that say what is wrong and where. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidJobError, JobExecutionError, JobModuleError, runJob } from "@weir/runtime";

const JOB = new URL("../jobs/invalid.job.ts", import.meta.url);

async function failure(problem: string, parallelism = 2): Promise<Error> {
  return runJob(JOB, { parallelism, params: { problem } }).then(
    () => assert.fail(`problem "${problem}" was accepted`),
    (error: unknown) => error as Error,
  );
}

test("a state declared twice is rejected before anything runs", async () => {
  const error = await failure("duplicate-state");
  assert.ok(error instanceof InvalidJobError);
  assert.match(error.message, /"Twice declared": state "a" is declared twice/);
});

test("using a state that was not declared fails with the state and operator names", async () => {
  const error = await failure("undeclared-state");
  assert.ok(error instanceof JobExecutionError);
  assert.match(
    error.message,
    /Sneaky: state "undeclared" was not declared in usesStates\(\) \(declared: "a"\)/,
  );
});

test("broadcast state needs a broadcast input", async () => {
  const error = await failure("broadcast-state-without-broadcast");
  assert.ok(error instanceof InvalidJobError);
  assert.match(
    error.message,
    /"No broadcast input": broadcast state "rules" needs a function connected to a broadcast stream/,
  );
});

test("processing-time timers on a non-keyed stream fail clearly", async () => {
  const error = await failure("timer-on-non-keyed");
  assert.match(
    error.message,
    /Timer without key: processing-time timers are only available on keyed streams/,
  );
});

test("a key selector returning something that is not a key fails with the operator name", async () => {
  const error = await failure("bad-key");
  assert.ok(error instanceof JobExecutionError);
  assert.match(error.message, /undefined/);
  assert.match(error.message, /Collection Source|Process/);
});

test("a job module that builds a different graph in worker threads is rejected", async () => {
  const error = await failure("non-deterministic");
  assert.match(
    error.message,
    /built a different job graph than the coordinator: building the job must be deterministic/,
  );
});

test("uids must be unique", async () => {
  const error = await failure("uid-twice");
  assert.ok(error instanceof InvalidJobError);
  assert.match(error.message, /uid "same" is used by both "Map" and "Map"/);
});

test("parallelism above max parallelism is rejected", async () => {
  const error = await failure("parallelism-above-max");
  assert.match(error.message, /"Map": parallelism 8 exceeds its max parallelism 4/);
});

test("a module without a defineJob default export is rejected", async () => {
  const error = await runJob(new URL("../api/no-default-export.fixture.ts", import.meta.url)).then(
    () => assert.fail("accepted"),
    (e: unknown) => e as Error,
  );
  assert.ok(error instanceof JobModuleError);
  assert.match(error.message, /must have a default export made by defineJob\(\)/);
});

test("a missing module is reported with its path", async () => {
  const error = await runJob("/nonexistent/job.ts").then(
    () => assert.fail("accepted"),
    (e: unknown) => e as Error,
  );
  assert.ok(error instanceof JobModuleError);
  assert.match(error.message, /cannot load job module file:\/\/\/nonexistent\/job\.ts/);
});

test("BATCH execution refuses unbounded sources, naming them", async () => {
  const sensors = new URL("../../../examples/src/sensor-averages.job.ts", import.meta.url);
  const error = await runJob(sensors, { executionMode: "BATCH" }).then(
    () => assert.fail("accepted"),
    (e: unknown) => e as Error,
  );
  assert.match(error.message, /BATCH execution needs bounded sources; unbounded: "Sensor readings"/);
});
