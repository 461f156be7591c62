/**
 * Checkpoints in S3-compatible object storage (a real s3rver on 127.0.0.1, started here): the
 * self-checking job fails mid-stream, restores from a checkpoint read back from the bucket, and
 * still counts every record exactly once.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runJob } from "@weir/runtime";
import { S3_TEST_CREDENTIALS, type S3TestServer, startS3TestServer } from "@weir/runtime/testing";
import { type ExactlyOnceParams, REPORTS, type Report } from "../jobs/exactly-once.job.ts";

const JOB = new URL("../jobs/exactly-once.job.ts", import.meta.url);
let s3: S3TestServer;

before(async () => {
  s3 = await startS3TestServer();
});

after(async () => {
  await s3?.close();
});

test("a job restores from checkpoints stored in S3-compatible storage", async () => {
  const params: ExactlyOnceParams = { count: 8_000, keys: 8, recordsPerSecond: 10_000, failAt: 5_000 };
  const log: string[] = [];
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 64,
    params,
    checkpointing: {
      intervalMs: 50,
      storage: {
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        prefix: "jobs/exactly-once",
        credentials: S3_TEST_CREDENTIALS,
      },
    },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
    log: (line) => log.push(line),
  });
  assert.equal(result.restarts, 1);
  assert.match(log.join("\n"), /from checkpoint \d+/);
  const reports = result.collected(REPORTS) as Report[];
  assert.deepEqual(
    reports.filter((r) => r.kind === "anomaly"),
    [],
  );
  const finals = reports.filter((r) => r.kind === "final");
  assert.equal(finals.length, params.keys);
  for (const f of finals) assert.equal(f.count, params.count / params.keys);
});
