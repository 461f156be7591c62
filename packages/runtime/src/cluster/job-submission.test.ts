import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_SQL_SCRIPT, parseSubmission, SubmissionError } from "./job-submission.ts";

const JOB = { jobFile: "/jobs/word-count.job.ts" };

test("stateBackend: heap, hashmap (Flink's name) or lmdb; absent leaves the choice to the job and cluster", () => {
  assert.equal(parseSubmission(JOB).stateBackend, undefined);
  assert.equal(parseSubmission({ ...JOB, stateBackend: "lmdb" }).stateBackend, "lmdb");
  assert.equal(parseSubmission({ ...JOB, stateBackend: "HashMap" }).stateBackend, "heap");
  assert.throws(
    () => parseSubmission({ ...JOB, stateBackend: "rocksdb" }),
    (error: unknown) =>
      error instanceof SubmissionError && /stateBackend: unknown state backend "rocksdb"/.test(error.message),
  );
  assert.throws(() => parseSubmission({ ...JOB, stateBackend: 1 }), /stateBackend must be "heap"/);
});

test("sql: a script instead of a job module, exclusive with jobFile and artifactId, without params", () => {
  const submission = parseSubmission({ sql: "INSERT INTO t SELECT 1", parallelism: 2 });
  assert.equal(submission.sql, "INSERT INTO t SELECT 1");
  assert.equal(submission.jobFile, undefined);
  assert.equal(submission.parallelism, 2);
  assert.equal(parseSubmission(JOB).sql, undefined);
  const exactlyOne = /give exactly one of jobFile .*, artifactId .* and sql/;
  assert.throws(() => parseSubmission({ ...JOB, sql: "INSERT INTO t SELECT 1" }), exactlyOne);
  assert.throws(() => parseSubmission({ params: {} }), exactlyOne);
  assert.throws(
    () => parseSubmission({ sql: "INSERT INTO t SELECT 1", params: { a: 1 } }),
    /a sql submission takes no params/,
  );
  for (const sql of ["", "  \n", 7, ["INSERT"], "x".repeat(MAX_SQL_SCRIPT + 1)])
    assert.throws(
      () => parseSubmission({ sql }),
      (error: unknown) =>
        error instanceof SubmissionError && /sql must be a SQL script of 1 to/.test(error.message),
    );
});

test("maxConcurrentCheckpoints: an integer >= 1 with checkpointIntervalMs, and 1 with unaligned checkpoints", () => {
  assert.equal(parseSubmission(JOB).maxConcurrentCheckpoints, undefined);
  assert.equal(
    parseSubmission({ ...JOB, checkpointIntervalMs: 100, maxConcurrentCheckpoints: 3 })
      .maxConcurrentCheckpoints,
    3,
  );
  assert.throws(
    () => parseSubmission({ ...JOB, checkpointIntervalMs: 100, maxConcurrentCheckpoints: 0 }),
    /maxConcurrentCheckpoints must be an integer from 1 to 1000, got 0/,
  );
  assert.throws(
    () => parseSubmission({ ...JOB, maxConcurrentCheckpoints: 2 }),
    /maxConcurrentCheckpoints needs checkpointIntervalMs/,
  );
  assert.throws(
    () =>
      parseSubmission({
        ...JOB,
        checkpointIntervalMs: 100,
        unalignedCheckpoints: true,
        maxConcurrentCheckpoints: 2,
      }),
    /maxConcurrentCheckpoints must be 1 with unalignedCheckpoints/,
  );
});
