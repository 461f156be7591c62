/**
 * Unaligned checkpoints on a cluster (JobManager and two TaskManagers): barriers and their options
 * cross TaskManagers over TCP, channel state travels to the JobManager with the acks, and the REST
 * checkpoint history shows per checkpoint and per task whether it was unaligned, its in-flight
 * bytes, alignment time and duration.
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { UnalignedParams } from "../jobs/unaligned-checkpoints.job.ts";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import { type InProcessCluster, startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../jobs/unaligned-checkpoints.job.ts", import.meta.url));

let cluster: InProcessCluster;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weir-unaligned-cluster-"));
  cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 1,
    jobManager: {
      checkpointStorage: { kind: "directory", path: join(dir, "checkpoints") },
      savepointsDir: join(dir, "savepoints"),
    },
  });
});

after(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a backpressured job on two TaskManagers completes unaligned checkpoints, reported over REST", async () => {
  const params: UnalignedParams = { keys: 4, writeDelayMs: 40, failAt: -1 };
  const submitted = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: JOB, parallelism: 2, params, checkpointIntervalMs: 50, unalignedCheckpoints: true },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const jobId = submitted.body.jobid as string;
  try {
    const checkpoints = await waitFor(async () => {
      const c = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
      return c.counts.completed >= 2 ? c : undefined;
    }, 20_000);
    assert.equal(typeof checkpoints.counts.failed, "number");
    const latest = checkpoints.latest.completed;
    assert.equal(latest.unaligned, true);
    assert.ok(latest.inFlightBytes > 0, "in-flight data crossed to the JobManager and was stored");
    assert.deepEqual(latest.tasks.map((t: Json) => t.task).sort(), ["0/0", "0/1", "1/0", "1/1"]);
    for (const t of latest.tasks) {
      assert.equal(t.unaligned, true);
      for (const field of ["acknowledgedAfterMs", "alignmentMs", "stateBytes", "inFlightBytes"])
        assert.equal(typeof t[field], "number", `${t.task} ${field}`);
    }
    const metrics = (await rest(cluster.url, "GET", "/metrics")).text;
    assert.match(metrics, /^weir_job_checkpoints_failed_total\{job_id="[a-f0-9]{32}",[^}]*\} \d+$/m);
    assert.match(
      metrics,
      /^weir_job_last_checkpoint_in_flight_bytes\{job_id="[a-f0-9]{32}",[^}]*\} [1-9]\d*$/m,
    );
  } finally {
    await rest(cluster.url, "PATCH", `/jobs/${jobId}?mode=cancel`);
  }
});

test("a submission with an alignment timeout but without unaligned checkpoints is refused", async () => {
  const refused = await rest(cluster.url, "POST", "/jobs", {
    json: { jobFile: JOB, checkpointIntervalMs: 50, alignedCheckpointTimeoutMs: 100 },
  });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /alignedCheckpointTimeoutMs needs unalignedCheckpoints: true/);
});
