/**
 * Task-local recovery in cluster mode (`localRecovery: true`): TaskManagers keep a copy of the
 * snapshots their tasks acknowledged. A failing task (the TaskManager stays) comes back on its
 * TaskManager and restores from that copy — the JobManager sends no state (REST: local-restores) —
 * with exactly-once output. A TaskManager that restarted holds no copy, so its slot restores from
 * the state the JobManager sends; a copy that cannot be read falls back the same way.
 *
 * The injected failure comes 1.5 s into the job, so the restore is from a later checkpoint than
 * the first: restores from checkpoint 1 can duplicate a source split (a race between the split
 * assignment and the enumerator snapshot of checkpoint 1, a known issue of the runtime).
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { TaskManager } from "@weir/runtime/cluster";
import type { RegionFailoverParams, Seen } from "../runtime/region-failover.job.ts";
import { assertExactlyOnce } from "../runtime/region-failover-checks.ts";
import { completedResult, type Json, rest, submitJob, waitFor } from "./cluster-processes.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../runtime/region-failover.job.ts", import.meta.url));

async function submit(url: string, params: RegionFailoverParams, parallelism: number): Promise<string> {
  return submitJob(url, {
    jobFile: JOB,
    parallelism,
    params,
    checkpointIntervalMs: 50,
    restartAttempts: 3,
    restartDelayMs: 10,
    localRecovery: true,
  });
}

for (const keyed of [false, true])
  test(`a failing task restores from its TaskManager's local copy (${keyed ? "keyBy: full restart" : "region restart"})`, async () => {
    const cluster = await startInProcessCluster({ taskManagers: 2, slots: 2 });
    try {
      const params: RegionFailoverParams = { count: 9_000, recordsPerSecond: 4_000, failAt: 6_001, keyed };
      const jobId = await submit(cluster.url, params, 3);
      const done = await completedResult(cluster.url, jobId, 90_000);
      assert.equal(done.state, "FINISHED");
      assert.equal(done["job-execution-result"].restarts, 1);
      assertExactlyOnce(done["job-execution-result"].collected.seen as Seen[], params.count);
      const recovery = (await rest(cluster.url, "GET", `/jobs/${jobId}`)).body["local-recovery"];
      // Region restart: the failed slot; full restart: every slot — each back on its TaskManager.
      assert.deepEqual(recovery, {
        enabled: true,
        "local-restores": keyed ? 3 : 1,
        "remote-restores": 0,
        fallbacks: 0,
      });
    } finally {
      await cluster.close();
    }
  });

test("a restarted TaskManager has no copy: its slot restores from the state the JobManager sends", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-local-recovery-"));
  // One slot each and none free: the lost slot can only come back on the restarted TaskManager.
  const cluster = await startInProcessCluster({
    taskManagers: 3,
    slots: 1,
    taskManager: (i) => ({ localStateDir: join(dir, `tm-${i + 1}`) }),
  });
  let replacement: TaskManager | undefined;
  try {
    const params: RegionFailoverParams = { count: 12_000, recordsPerSecond: 4_000, failAt: -1, keyed: false };
    const jobId = await submit(cluster.url, params, 3);
    const details = async () => (await rest(cluster.url, "GET", `/jobs/${jobId}`)).body;
    const before = await waitFor(async () => {
      const d = await details();
      const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
      return d.subtasks.length === 3 && checkpoints.counts.completed > 1 ? d : undefined;
    }, 60_000);
    const victim = before.subtasks.find((t: Json) => t.subtask === 1).taskmanager as string;
    const index = cluster.taskManagers.findIndex((tm) => tm.id === victim);
    await cluster.taskManagers[index]!.close();
    // The same TaskManager (id and directory) comes back: a new process has no copies.
    replacement = new TaskManager({
      jobManagerHost: "127.0.0.1",
      jobManagerPort: cluster.jobManager.rpcAddress.port,
      slots: 1,
      taskManagerId: victim,
      localStateDir: join(dir, victim),
    });
    await replacement.start();
    const done = await completedResult(cluster.url, jobId, 90_000);
    assert.equal(done.state, "FINISHED");
    assertExactlyOnce(done["job-execution-result"].collected.seen as Seen[], params.count);
    const recovery = (await details())["local-recovery"];
    assert.equal(recovery["local-restores"], 0);
    assert.equal(recovery["remote-restores"], 1, JSON.stringify(recovery));
  } finally {
    await replacement?.close();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a copy that cannot be read falls back to the state the JobManager sends, with a log line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-local-recovery-"));
  // Copies cannot be written under a file: every local read then fails.
  writeFileSync(join(dir, "not-a-directory"), "");
  const cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 2,
    taskManager: () => ({ localStateDir: join(dir, "not-a-directory", "local") }),
  });
  try {
    const params: RegionFailoverParams = {
      count: 9_000,
      recordsPerSecond: 4_000,
      failAt: 6_001,
      keyed: false,
    };
    const jobId = await submit(cluster.url, params, 3);
    const done = await completedResult(cluster.url, jobId, 90_000);
    assert.equal(done.state, "FINISHED");
    assertExactlyOnce(done["job-execution-result"].collected.seen as Seen[], params.count);
    const recovery = (await rest(cluster.url, "GET", `/jobs/${jobId}`)).body["local-recovery"];
    assert.deepEqual(recovery, { enabled: true, "local-restores": 0, "remote-restores": 1, fallbacks: 1 });
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
