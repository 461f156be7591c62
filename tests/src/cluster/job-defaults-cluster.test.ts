/**
 * Cluster job defaults (weir.yaml's Flink execution keys, `JobManagerOptions.jobDefaults`): a job
 * submitted without checkpointing or restart fields runs with the cluster's — it checkpoints,
 * survives an injected failure with one restart and exactly-once state — and a submission's own
 * fields still win (here: no restarts, so the same failure fails the job).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { executionSettingsFromConfig } from "@weir/runtime";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));

/** The execution result once complete (a finished job's results arrive just after its state). */
async function executionResult(url: string, jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}/execution-result`);
      return r.body.status?.id === "COMPLETED" ? r.body : undefined;
    },
    60_000,
    50,
  );
}

async function finalState(url: string, jobId: string): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rest(url, "GET", `/jobs/${jobId}`);
      return ["FINISHED", "FAILED"].includes(r.body.state) ? r.body : undefined;
    },
    60_000,
    50,
  );
}

test("cluster: jobs run with the cluster's checkpointing and restart defaults unless they say otherwise", async () => {
  const { checkpointing, restartStrategy } = executionSettingsFromConfig({
    "execution.checkpointing.interval": "50 ms",
    "restart-strategy.type": "fixed-delay",
    "restart-strategy.fixed-delay.attempts": "2",
    "restart-strategy.fixed-delay.delay": "10 ms",
  });
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 2,
    jobManager: {
      checkpointStorage: { kind: "memory" },
      jobDefaults: { checkpointing: checkpointing!, restartStrategy: restartStrategy! },
    },
  });
  try {
    const params: ExactlyOnceParams = { count: 4_000, keys: 4, recordsPerSecond: 4_000, failAt: 2_500 };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: { jobFile: JOB, parallelism: 2, params },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    assert.equal((await finalState(cluster.url, jobId)).state, "FINISHED");
    const result = await executionResult(cluster.url, jobId as string);
    assert.equal(result["job-execution-result"].restarts, 1, "the default restart strategy restarted it");
    const reports = result["job-execution-result"].collected.reports as { kind: string; count?: number }[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "exactly-once state: the restart resumed from a checkpoint",
    );
    assert.deepEqual(
      reports.filter((r) => r.kind === "final").map((r) => r.count),
      [1_000, 1_000, 1_000, 1_000],
    );
    const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
    assert.ok(checkpoints.counts.completed > 0, JSON.stringify(checkpoints.counts));

    // The submission's own restart strategy (none: restartAttempts 0) wins over the default.
    const own = await rest(cluster.url, "POST", "/jobs", {
      json: { jobFile: JOB, parallelism: 2, params, restartAttempts: 0 },
    });
    assert.equal(own.status, 202, own.text);
    assert.equal((await finalState(cluster.url, own.body.jobid as string)).state, "FAILED");
  } finally {
    await cluster.close();
  }
});
