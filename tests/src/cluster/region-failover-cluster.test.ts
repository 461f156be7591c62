/**
 * Region failover in cluster mode. In-process cluster: a failing task of one of three forward
 * pipelines restarts only its own slot (on a TaskManager), the other two keep their first attempt,
 * and the collected output is exactly-once. Processes: a TaskManager running one pipeline is
 * killed with SIGKILL; with the region strategy only that pipeline restarts (on a remaining slot),
 * with the full strategy every pipeline does. Printed: the time from the kill until every pipeline
 * processes records again, for both strategies (the figure issue 9 asks for).
 */

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { RegionFailoverParams, Seen } from "../runtime/region-failover.job.ts";
import { assertExactlyOnce } from "../runtime/region-failover-checks.ts";
import {
  ClusterProcesses,
  completedResult,
  type Json,
  rest,
  submitJob,
  waitFor,
} from "./cluster-processes.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../runtime/region-failover.job.ts", import.meta.url));

function attemptsBySubtask(seen: readonly Seen[]): Map<number, number[]> {
  const attempts = new Map<number, Set<number>>();
  for (const s of seen) attempts.set(s.subtask, (attempts.get(s.subtask) ?? new Set()).add(s.attempt));
  return new Map([...attempts].map(([subtask, set]) => [subtask, [...set].sort()]));
}

test("cluster: a failing task restarts its own pipeline's slot only, exactly once", async () => {
  const cluster = await startInProcessCluster({ taskManagers: 2, slots: 2 });
  try {
    const params: RegionFailoverParams = {
      count: 9_000,
      recordsPerSecond: 4_000,
      failAt: 6_001,
      keyed: false,
    };
    const jobId = await submitJob(cluster.url, {
      jobFile: JOB,
      parallelism: 3,
      params,
      checkpointIntervalMs: 50,
      restartAttempts: 3,
      restartDelayMs: 10,
    });
    const done = await completedResult(cluster.url, jobId, 60_000);
    assert.equal(done.state, "FINISHED");
    assert.equal(done["job-execution-result"].restarts, 1);
    const seen = done["job-execution-result"].collected.seen as Seen[];
    assertExactlyOnce(seen, params.count);
    const attempts = attemptsBySubtask(seen);
    assert.deepEqual(attempts.get(0), [0], "pipeline 0 kept its first attempt");
    assert.deepEqual(attempts.get(2), [0], "pipeline 2 kept its first attempt");
    assert.deepEqual(attempts.get(1), [0, 1], "pipeline 1 restarted");
    const details = (await rest(cluster.url, "GET", `/jobs/${jobId}`)).body;
    assert.equal(details["region-restarts"], 1);
    assert.equal(details.attempt, 0, "no full restart");
  } finally {
    await cluster.close();
  }
});

/** The (subtask, attempt) pairs printed by the job's progress sink so far, in the TaskManagers' logs. */
function printedAttempts(logs: readonly string[][]): Set<string> {
  const pairs = new Set<string>();
  for (const lines of logs)
    for (const line of lines) {
      const match = /"subtask":(\d+),"attempt":(\d+)/.exec(line);
      if (match !== null) pairs.add(`${match[1]}/${match[2]}`);
    }
  return pairs;
}

/**
 * Kills the TaskManager running pipeline 1 and returns the ms until the restarted pipelines print
 * progress again (region: pipeline 1's second attempt; full: every pipeline's second attempt).
 */
async function killAndMeasure(
  failoverStrategy: "region" | "full",
): Promise<{ ms: number; attempts: Map<number, number[]> }> {
  const cluster = new ClusterProcesses();
  try {
    const jm = await cluster.startJobManager([
      "--heartbeat-interval",
      "200",
      "--heartbeat-timeout",
      "2000",
      "--metrics-interval",
      "50",
    ]);
    const taskManagers = new Map<string, { child: ChildProcess; logs: string[] }>();
    for (const id of ["tm-1", "tm-2", "tm-3"])
      taskManagers.set(
        id,
        cluster.spawnWeir([
          "taskmanager",
          "--jobmanager",
          `127.0.0.1:${jm.rpcPort}`,
          "--slots",
          "2",
          "--id",
          id,
        ]),
      );
    await waitFor(
      async () => ((await rest(jm.restUrl, "GET", "/overview")).body.taskmanagers === 3 ? true : undefined),
      60_000,
    );
    const params: RegionFailoverParams = {
      count: 30_000,
      recordsPerSecond: 6_000,
      failAt: -1,
      keyed: false,
      printEvery: 20,
    };
    const jobId = await submitJob(jm.restUrl, {
      jobFile: JOB,
      parallelism: 3,
      params,
      checkpointIntervalMs: 100,
      restartAttempts: 3,
      restartDelayMs: 0,
      failoverStrategy,
    });
    const logs = () => [...taskManagers.values()].map((tm) => tm.logs);
    // Running, every pipeline printing, and a checkpoint behind it.
    const before = await waitFor(async () => {
      const d = (await rest(jm.restUrl, "GET", `/jobs/${jobId}`)).body;
      const checkpoints = (await rest(jm.restUrl, "GET", `/jobs/${jobId}/checkpoints`)).body;
      const printed = printedAttempts(logs());
      const all = ["0/0", "1/0", "2/0"].every((pair) => printed.has(pair));
      return all && d.subtasks.length === 3 && checkpoints.history.length > 0 ? d : undefined;
    }, 90_000);
    const victim = before.subtasks.find((t: Json) => t.subtask === 1).taskmanager as string;
    assert.equal(
      before.subtasks.filter((t: Json) => t.taskmanager === victim).length,
      1,
      "the victim runs one pipeline only",
    );
    const killedAt = Date.now();
    taskManagers.get(victim)!.child.kill("SIGKILL");
    const restarted = failoverStrategy === "region" ? ["1/1"] : ["0/1", "1/1", "2/1"];
    await waitFor(
      () => {
        const printed = printedAttempts(logs());
        return restarted.every((pair) => printed.has(pair)) ? true : undefined;
      },
      90_000,
      5,
    );
    const ms = Date.now() - killedAt;
    const done = await completedResult(jm.restUrl, jobId, 60_000);
    assert.equal(done.state, "FINISHED");
    const seen = done["job-execution-result"].collected.seen as Seen[];
    assertExactlyOnce(seen, params.count);
    return { ms, attempts: attemptsBySubtask(seen) };
  } finally {
    await cluster.stopAll();
  }
}

test("cluster: a SIGKILLed TaskManager restarts only its pipeline (region) or all (full); time to processing again", async () => {
  const region = await killAndMeasure("region");
  assert.deepEqual(region.attempts.get(0), [0]);
  assert.deepEqual(region.attempts.get(2), [0]);
  assert.deepEqual(region.attempts.get(1), [0, 1]);
  const full = await killAndMeasure("full");
  for (const subtask of [0, 1, 2])
    assert.ok(
      full.attempts.get(subtask)?.includes(1),
      `pipeline ${subtask} restarted: ${full.attempts.get(subtask)}`,
    );
  console.log(
    `SIGKILL of a TaskManager -> every pipeline processing again: region ${region.ms} ms, full ${full.ms} ms`,
  );
});
