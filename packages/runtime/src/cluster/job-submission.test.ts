import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSubmission, SubmissionError } from "./job-submission.ts";

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
