/**
 * A cluster whose JobManager keeps checkpoints in S3-compatible storage (a real s3rver): a job
 * spread over two TaskManagers fails mid-stream, restarts from the checkpoint read back from S3,
 * and still counts exactly once.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { S3_TEST_CREDENTIALS, type S3TestServer, startS3TestServer } from "@weir/runtime/testing";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import { type InProcessCluster, startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));

let s3: S3TestServer;
let cluster: InProcessCluster;

before(async () => {
  s3 = await startS3TestServer();
  cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 1,
    jobManager: {
      checkpointStorage: {
        kind: "s3",
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        prefix: "cluster-test",
        credentials: S3_TEST_CREDENTIALS,
      },
    },
  });
});

after(async () => {
  await cluster.close();
  await s3.close();
});

test("a restart restores the checkpoint from S3 and the job counts exactly once", async () => {
  const params: ExactlyOnceParams = { count: 12_000, keys: 4, recordsPerSecond: 12_000, failAt: 7_000 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: {
      jobFile: JOB,
      parallelism: 2,
      params,
      checkpointIntervalMs: 100,
      restartAttempts: 2,
      restartDelayMs: 20,
    },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const jobId = submitted.body.jobid as string;
  const result = await waitFor(
    async () => {
      const r = await rest(cluster.url, "GET", `/jobs/${jobId}/execution-result`);
      return r.body.status.id === "COMPLETED" ? r.body : undefined;
    },
    30_000,
    50,
  );
  assert.equal(result.state, "FINISHED");
  assert.equal(result["job-execution-result"].restarts, 1);
  const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
  assert.ok(checkpoints.counts.completed >= 2);
  assert.ok(
    checkpoints.history.every((c: Json) => c.sizeBytes > 0),
    "checkpoints were written to S3",
  );
  const reports = result["job-execution-result"].collected.reports as Json[];
  assert.deepEqual(
    reports.filter((r) => r.kind === "anomaly"),
    [],
  );
  assert.deepEqual(
    reports
      .filter((r) => r.kind === "final")
      .map((r) => [r.key, r.count])
      .sort((a, b) => a[0] - b[0]),
    [
      [0, 3000],
      [1, 3000],
      [2, 3000],
      [3, 3000],
    ],
  );
});
