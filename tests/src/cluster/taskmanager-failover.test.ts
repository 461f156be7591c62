/**
 * A JobManager and three TaskManager processes run the self-checking exactly-once job at
 * parallelism 4 with checkpoints; a TaskManager that runs part of the job is killed with SIGKILL,
 * three times, and a replacement started each time. The job must recover from its latest
 * checkpoint each time (on the remaining slots) and end with every key's sequence seen exactly
 * once. Printed: the time from each kill until the restarted attempt processes records again
 * (on the remaining slots; the replacement joins after that and takes part in later attempts).
 */

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ExactlyOnceParams } from "../jobs/exactly-once.job.ts";
import { ClusterProcesses, type Json, rest, waitFor } from "./cluster-processes.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const KILLS = 3;

test("a TaskManager killed with SIGKILL three times: the job recovers each time and counts exactly once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-cluster-"));
  const cluster = new ClusterProcesses();
  try {
    const jm = await cluster.startJobManager([
      "--checkpoint-dir",
      dir,
      "--heartbeat-interval",
      "200",
      "--heartbeat-timeout",
      "2000",
      "--metrics-interval",
      "50",
    ]);
    const taskManagers = new Map<string, ChildProcess>();
    for (const id of ["tm-1", "tm-2", "tm-3"])
      taskManagers.set(id, cluster.startTaskManager("127.0.0.1", jm.rpcPort, id, 2));
    await waitFor(
      async () => ((await rest(jm.restUrl, "GET", "/overview")).body.taskmanagers === 3 ? true : undefined),
      20_000,
    );

    const params: ExactlyOnceParams = { count: 48_000, keys: 8, recordsPerSecond: 6_000, failAt: -1 };
    const submitted = await rest(jm.restUrl, "POST", "/jobs", {
      json: {
        jobFile: JOB,
        parallelism: 4,
        params,
        checkpointIntervalMs: 150,
        restartAttempts: 10,
        restartDelayMs: 50,
      },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    const details = async () => (await rest(jm.restUrl, "GET", `/jobs/${jobId}`)).body;
    const checkerReads = (d: Json) =>
      d.vertices.find((v: Json) => v.name === "Sequence checker").metrics["read-records"] as number;

    const recoveries: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      // Running, processing, and with a checkpoint of this attempt behind it.
      const before = await waitFor(async () => {
        const d = await details();
        const checkpoints = (await rest(jm.restUrl, "GET", `/jobs/${jobId}/checkpoints`)).body;
        const fresh = checkpoints.history.length > 0 && checkpoints.history[0].completedAt > Date.now() - 300;
        return d.state === "RUNNING" && checkerReads(d) > 0 && fresh ? d : undefined;
      }, 30_000);
      const victim = before.taskmanagers[kill % before.taskmanagers.length] as string;
      const child = taskManagers.get(victim)!;
      const killedAt = Date.now();
      child.kill("SIGKILL");
      taskManagers.delete(victim);
      await waitFor(
        async () => {
          const d = await details();
          return d.attempt > before.attempt && d.state === "RUNNING" && checkerReads(d) > 0 ? d : undefined;
        },
        30_000,
        10,
      );
      recoveries.push(Date.now() - killedAt);
      // The replacement starts once the job recovered on the remaining slots: on this small machine
      // its start-up would otherwise compete for the CPU with the recovery being measured.
      const replacement = `tm-r${kill}`;
      taskManagers.set(replacement, cluster.startTaskManager("127.0.0.1", jm.rpcPort, replacement, 2));
      await waitFor(async () => {
        const list = (await rest(jm.restUrl, "GET", "/taskmanagers")).body.taskmanagers as Json[];
        return list.some((tm) => tm.id === replacement) ? true : undefined;
      }, 20_000);
    }
    console.log(`kill -> processing again (ms): ${recoveries.join(", ")}`);

    const result = await waitFor(
      async () => {
        const r = await rest(jm.restUrl, "GET", `/jobs/${jobId}/execution-result`);
        return r.body.status.id === "COMPLETED" ? r.body : undefined;
      },
      60_000,
      100,
    );
    assert.equal(result.state, "FINISHED");
    assert.ok(
      result["job-execution-result"].restarts >= KILLS,
      `restarts: ${result["job-execution-result"].restarts}`,
    );
    const reports = result["job-execution-result"].collected.reports as {
      kind: string;
      key: number;
      count: number;
      last: number;
    }[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "no record lost or duplicated",
    );
    const finals = reports.filter((r) => r.kind === "final").sort((a, b) => a.key - b.key);
    const perKey = params.count / params.keys;
    assert.deepEqual(
      finals.map((f) => [f.key, f.count, f.last]),
      Array.from({ length: params.keys }, (_, key) => [key, perKey, perKey - 1]),
    );
    const exceptions = (await rest(jm.restUrl, "GET", `/jobs/${jobId}/exceptions`)).body.exceptionHistory
      .entries;
    for (const e of exceptions)
      console.log(`${new Date(e.timestamp).toISOString()} ${e.message.split("\n")[0]}`);
    assert.ok(exceptions.length >= KILLS);
    assert.ok(exceptions.every((e: Json) => e.restarting === true));
  } finally {
    await cluster.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a TaskManager that stops heartbeating (SIGSTOP) is declared lost within the timeout and rejoins after SIGCONT", async () => {
  const cluster = new ClusterProcesses();
  try {
    const jm = await cluster.startJobManager(["--heartbeat-interval", "100", "--heartbeat-timeout", "1000"]);
    const tm = cluster.startTaskManager("127.0.0.1", jm.rpcPort, "tm-frozen", 1);
    const count = async () =>
      (await rest(jm.restUrl, "GET", "/taskmanagers")).body.taskmanagers.length as number;
    await waitFor(async () => ((await count()) === 1 ? true : undefined), 20_000);
    const stoppedAt = Date.now();
    tm.kill("SIGSTOP");
    await waitFor(async () => ((await count()) === 0 ? true : undefined), 5_000, 20);
    const detectedMs = Date.now() - stoppedAt;
    console.log(`silent taskmanager declared lost after ${detectedMs} ms (timeout 1000 ms)`);
    assert.ok(detectedMs >= 900 && detectedMs < 2_000, `${detectedMs} ms`);
    tm.kill("SIGCONT");
    await waitFor(async () => ((await count()) === 1 ? true : undefined), 10_000);
  } finally {
    await cluster.stopAll();
  }
});
