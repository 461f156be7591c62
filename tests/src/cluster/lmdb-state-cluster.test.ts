/**
 * Keyed state on the LMDB backend in cluster mode (`stateBackend: "lmdb"` in the submission): the
 * TaskManagers' slot threads keep state in LMDB working directories under each TaskManager's
 * `stateDir` and upload incremental snapshots into the JobManager's checkpoint storage (`shared/`).
 * An injected failure is recovered from those blobs with exactly-once state. The choice follows
 * the precedence of the other execution settings: submission field, then the job's own
 * configuration (a SQL script's SET), then the cluster's default (weir.yaml's `state.backend.type`).
 * A stop-with-savepoint copies the shared blobs it needs, so it restores (at another parallelism)
 * after the job's checkpoint directory was deleted. A failed state upload declines its checkpoint
 * at once (REST `latest.failed.reason: "declined"`), long before the checkpoint timeout. Checkpoint
 * sizes (REST, Prometheus) tell what a checkpoint added from what a restore reads; blobs of
 * checkpoints that never completed are removed by the retention of the next one that does.
 */

import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ExactlyOnceParams, Report } from "../jobs/exactly-once.job.ts";
import { type Json, rest, waitFor } from "./cluster-processes.ts";
import type { ConfiguredBackendParams } from "./configured-backend.job.ts";
import { startInProcessCluster } from "./in-process-cluster.ts";

const JOB = fileURLToPath(new URL("../jobs/exactly-once.job.ts", import.meta.url));
const CONFIGURED = fileURLToPath(new URL("./configured-backend.job.ts", import.meta.url));

/** The shared blob keys checkpoint `id` of the run in `runDir` references (JSON inside its frame). */
function sharedRefs(runDir: string, id: number): string[] {
  const file = join(runDir, `chk-${id}`, "shared-refs");
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "latin1").matchAll(/"(shared\/[^"]+)"/g)].map((m) => m[1]!);
}

function runDirs(checkpointDir: string): string[] {
  return existsSync(checkpointDir) ? readdirSync(checkpointDir).map((run) => join(checkpointDir, run)) : [];
}

test("cluster: keyed state on LMDB recovers a failure from the shared blobs, exactly once", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-cluster-"));
  const checkpointDir = join(dir, "checkpoints");
  const lines: string[] = [];
  /** The restored checkpoint's shared blobs, read the moment the restart is announced. */
  const restored: { id: number; refs: string[]; present: number }[] = [];
  const cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 1,
    jobManager: {
      checkpointStorage: { kind: "directory", path: checkpointDir },
      log: (_level, msg) => {
        lines.push(msg);
        const id = /restarting job .* from checkpoint (\d+)/.exec(msg)?.[1];
        if (id === undefined) return;
        for (const run of runDirs(checkpointDir)) {
          const refs = sharedRefs(run, Number(id));
          const present = refs.filter((key) => existsSync(join(run, key))).length;
          if (refs.length > 0) restored.push({ id: Number(id), refs, present });
        }
      },
    },
    taskManager: (i) => ({ stateDir: join(dir, `state-tm-${i + 1}`) }),
  });
  try {
    const params: ExactlyOnceParams = { count: 8_000, keys: 8, recordsPerSecond: 8_000, failAt: 5_000 };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: {
        jobFile: JOB,
        parallelism: 2,
        params,
        checkpointIntervalMs: 50,
        restartAttempts: 2,
        restartDelayMs: 10,
        stateBackend: "lmdb",
      },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    let workingDirs = 0;
    const result: Json = await waitFor(
      async () => {
        for (const i of [1, 2]) {
          const stateDir = join(dir, `state-tm-${i}`);
          if (existsSync(stateDir)) workingDirs = Math.max(workingDirs, readdirSync(stateDir).length);
        }
        const r = await rest(cluster.url, "GET", `/jobs/${jobId}/execution-result`);
        return r.body.status?.id === "COMPLETED" ? r.body : undefined;
      },
      90_000,
      20,
    );
    const execution = result["job-execution-result"];
    assert.equal(execution.restarts, 1, `the injected failure caused one restart; log: ${lines.join(" | ")}`);
    const reports = execution.collected.reports as Report[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "no record lost or duplicated",
    );
    const finals = reports.filter((r) => r.kind === "final") as { count: number }[];
    assert.deepEqual(
      finals.map((f) => f.count),
      Array(params.keys).fill(params.count / params.keys),
      "every key counted every record once",
    );
    assert.ok(
      workingDirs > 0,
      "slot threads kept keyed state in LMDB directories under the TaskManager's stateDir",
    );
    assert.equal(
      restored.length,
      1,
      `the restore was from a checkpoint with shared blobs; log: ${lines.join(" | ")}`,
    );
    assert.equal(restored[0]!.present, restored[0]!.refs.length, "every blob the restore needed was there");
    for (const i of [1, 2])
      assert.deepEqual(
        readdirSync(join(dir, `state-tm-${i}`)),
        [],
        "closed backends remove their directories",
      );
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: the state backend is the submission's, else the job's own setting, else the cluster default", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-precedence-"));
  const stateDir = join(dir, "state");
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 2,
    jobManager: { checkpointStorage: { kind: "memory" }, jobDefaults: { stateBackend: { kind: "lmdb" } } },
    taskManager: () => ({ stateDir }),
  });
  /** Runs the job; whether it kept keyed state in LMDB directories, and its counts. */
  const run = async (backend: string | undefined, field: string | undefined) => {
    const params: ConfiguredBackendParams = {
      count: 2_000,
      keys: 4,
      recordsPerSecond: 4_000,
      ...(backend === undefined ? {} : { backend }),
    };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: {
        jobFile: CONFIGURED,
        parallelism: 2,
        params,
        ...(field === undefined ? {} : { stateBackend: field }),
      },
    });
    assert.equal(submitted.status, 202, submitted.text);
    let onDisk = false;
    const result: Json = await waitFor(
      async () => {
        if (existsSync(stateDir) && readdirSync(stateDir).length > 0) onDisk = true;
        const r = await rest(cluster.url, "GET", `/jobs/${submitted.body.jobid}/execution-result`);
        return r.body.status?.id === "COMPLETED" ? r.body : undefined;
      },
      30_000,
      10,
    );
    const counts = (result["job-execution-result"].collected.counts as string[]).sort();
    assert.deepEqual(counts, ["0,500", "1,500", "2,500", "3,500"]);
    return onDisk;
  };
  try {
    assert.equal(await run(undefined, undefined), true, "the cluster default (lmdb) applies");
    assert.equal(await run("hashmap", undefined), false, "the job's own setting wins over the default");
    assert.equal(await run("hashmap", "lmdb"), true, "the submission's field wins over the job's setting");
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: an LMDB job's savepoint holds its shared blobs and restores at parallelism 3 without the checkpoints", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-savepoint-"));
  const checkpointDir = join(dir, "checkpoints");
  const cluster = await startInProcessCluster({
    taskManagers: 2,
    slots: 2,
    jobManager: {
      checkpointStorage: { kind: "directory", path: checkpointDir },
      savepointsDir: join(dir, "savepoints"),
    },
    taskManager: (i) => ({ stateDir: join(dir, `state-tm-${i + 1}`) }),
  });
  try {
    const params: ExactlyOnceParams = { count: 24_000, keys: 12, recordsPerSecond: 8_000, failAt: -1 };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: { jobFile: JOB, parallelism: 2, params, checkpointIntervalMs: 50, stateBackend: "lmdb" },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    await waitFor(async () => {
      const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
      return checkpoints.counts?.completed >= 3 ? true : undefined;
    }, 30_000);
    const stop = await rest(cluster.url, "POST", `/jobs/${jobId}/stop`, { json: {} });
    assert.equal(stop.status, 202, stop.text);
    const savepoint: Json = await waitFor(async () => {
      const r = await rest(cluster.url, "GET", `/jobs/${jobId}/savepoints/${stop.body["request-id"]}`);
      return r.body.status?.id === "IN_PROGRESS" ? undefined : r.body;
    }, 30_000);
    assert.equal(savepoint.status.id, "COMPLETED", JSON.stringify(savepoint));
    // Stop-with-savepoint ends the job FINISHED, and a finished job deletes its checkpoints.
    await waitFor(async () => {
      const r = await rest(cluster.url, "GET", `/jobs/${jobId}`);
      return r.body.state === "FINISHED" ? true : undefined;
    }, 30_000);
    const location = savepoint.operation.location as string;
    const copied = existsSync(join(location, "shared"))
      ? readdirSync(join(location, "shared"), { recursive: true }).length
      : 0;
    assert.ok(copied > 0, "the savepoint holds copies of the shared state blobs");
    rmSync(checkpointDir, { recursive: true, force: true });

    const resumed = await rest(cluster.url, "POST", "/jobs", {
      json: {
        jobFile: JOB,
        parallelism: 3,
        params: { ...params, recordsPerSecond: 1_000_000 },
        stateBackend: "lmdb",
        fromSavepoint: savepoint.operation.name,
      },
    });
    assert.equal(resumed.status, 202, resumed.text);
    const result: Json = await waitFor(
      async () => {
        const r = await rest(cluster.url, "GET", `/jobs/${resumed.body.jobid}/execution-result`);
        return r.body.status?.id === "COMPLETED" ? r.body : undefined;
      },
      60_000,
      50,
    );
    const reports = result["job-execution-result"].collected.reports as Report[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "the resumed job continued every key's sequence",
    );
    const finals = reports.filter((r) => r.kind === "final") as { count: number }[];
    assert.deepEqual(
      finals.map((f) => f.count),
      Array(params.keys).fill(params.count / params.keys),
      "every key counted every record once over both runs",
    );
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: a failed state upload declines the checkpoint at once; later checkpoints complete and remove its blobs", {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-decline-"));
  const checkpointDir = join(dir, "checkpoints");
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 2,
    jobManager: { checkpointStorage: { kind: "directory", path: checkpointDir } },
    taskManager: () => ({ stateDir: join(dir, "state") }),
  });
  try {
    const params: ExactlyOnceParams = { count: 24_000, keys: 4, recordsPerSecond: 6_000, failAt: -1 };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      // The default checkpoint timeout (60 s) is far longer than the whole job.
      json: { jobFile: JOB, parallelism: 2, params, checkpointIntervalMs: 50, stateBackend: "lmdb" },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    const checkpoints = async () => (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
    await waitFor(async () => ((await checkpoints()).counts?.completed >= 2 ? true : undefined), 30_000);
    // A file where subtask A's blobs go: its uploads fail until it is gone; subtask B's succeed,
    // so each declined checkpoint leaves B's blobs behind, referenced by nothing.
    const run = runDirs(checkpointDir)[0]!;
    const [ownerA, ownerB] = readdirSync(join(run, "shared")).sort();
    assert.ok(ownerA !== undefined && ownerB !== undefined, "one blob owner per subtask");
    const lastComplete = (await checkpoints()).latest.completed.id as number;
    // Moved out of the checkpoint directory: a checkpoint still in flight may complete meanwhile,
    // and its retention would sweep the moved blobs as unreferenced if they stayed under shared/.
    // An upload in flight may create the directory again between the move and the block: then
    // that directory goes aside too (its blobs belong to a checkpoint that completes meanwhile).
    const asides: string[] = [];
    for (;;) {
      const aside = join(dir, `blobs-aside-${asides.length}`);
      renameSync(join(run, "shared", ownerA), aside);
      asides.push(aside);
      try {
        writeFileSync(join(run, "shared", ownerA), "not a directory", { flag: "wx" });
        break;
      } catch (error) {
        if (
          (error as NodeJS.ErrnoException).code !== "EEXIST" &&
          (error as NodeJS.ErrnoException).code !== "EISDIR"
        )
          throw error;
      }
    }
    const blockedAt = Date.now();
    const failed: Json = await waitFor(
      async () => {
        const latest = (await checkpoints()).latest?.failed;
        return latest?.reason === "declined" ? latest : undefined;
      },
      10_000,
      10,
    );
    const declinedAfterMs = Date.now() - blockedAt;
    assert.match(failed.failure_message, /declined by task \d+\/\d+: .*state upload failed/);
    assert.ok(declinedAfterMs < 10_000, `declined after ${declinedAfterMs} ms, not at the 60 s timeout`);
    const orphans: string[] = await waitFor(
      () => {
        const left = readdirSync(join(run, "shared", ownerB)).filter(
          (blob) => Number(blob.split("-")[0]) > lastComplete,
        );
        return left.length > 0 ? left : undefined;
      },
      10_000,
      10,
    );
    rmSync(join(run, "shared", ownerA));
    mkdirSync(join(run, "shared", ownerA));
    for (const aside of asides)
      for (const blob of readdirSync(aside)) renameSync(join(aside, blob), join(run, "shared", ownerA, blob));
    const completedBefore = (await checkpoints()).counts.completed as number;
    await waitFor(
      async () => ((await checkpoints()).counts.completed > completedBefore + 1 ? true : undefined),
      30_000,
    );
    // Retention of the next completed checkpoint removed the declined checkpoints' blobs.
    const remaining = readdirSync(join(run, "shared", ownerB));
    assert.deepEqual(
      orphans.filter((blob) => remaining.includes(blob)),
      [],
      `blobs of declined checkpoints are gone; left: ${remaining.join(", ")}`,
    );
    const result: Json = await waitFor(
      async () => {
        const r = await rest(cluster.url, "GET", `/jobs/${jobId}/execution-result`);
        return r.body.status?.id === "COMPLETED" ? r.body : undefined;
      },
      60_000,
      50,
    );
    assert.equal(result.state, "FINISHED");
    const finals = (result["job-execution-result"].collected.reports as Report[]).filter(
      (r) => r.kind === "final",
    );
    assert.equal(finals.length, params.keys, "the job went on through the declined checkpoints");
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cluster: incremental checkpoints report the bytes they added and their full size", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-sizes-"));
  // What a crashed TaskManager process left: its backends' directories go at start, a user's file stays.
  mkdirSync(join(dir, "state", "Counter-0a1b2c3d", "data"), { recursive: true });
  writeFileSync(join(dir, "state", "keep.txt"), "mine");
  const cluster = await startInProcessCluster({
    taskManagers: 1,
    slots: 2,
    jobManager: { checkpointStorage: { kind: "directory", path: join(dir, "checkpoints") } },
    taskManager: () => ({ stateDir: join(dir, "state") }),
  });
  try {
    // 2000 keys in runs of 4: each 50 ms interval touches about 100 keys of a growing state.
    const params: ConfiguredBackendParams = {
      count: 16_000,
      keys: 2_000,
      recordsPerSecond: 8_000,
      keyRun: 4,
    };
    const submitted = await rest(cluster.url, "POST", "/jobs", {
      json: { jobFile: CONFIGURED, parallelism: 2, params, checkpointIntervalMs: 50, stateBackend: "lmdb" },
    });
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = submitted.body.jobid as string;
    let metrics = "";
    const history: Json[] = await waitFor(async () => {
      // Metrics first: the history read next holds the checkpoint they describe.
      metrics = (await rest(cluster.url, "GET", "/metrics")).text;
      const checkpoints = (await rest(cluster.url, "GET", `/jobs/${jobId}/checkpoints`)).body;
      const incremental = checkpoints.latest?.completed;
      return incremental?.fullSizeBytes > incremental?.sizeBytes && checkpoints.counts.completed >= 4
        ? checkpoints.history
        : undefined;
    }, 30_000);
    const first = history[history.length - 1]!;
    assert.equal(first.id, 1);
    assert.equal(first.sizeBytes, first.fullSizeBytes, "the first checkpoint adds everything it needs");
    for (const c of history) {
      assert.ok(c.sizeBytes > 0 && c.sizeBytes <= c.fullSizeBytes, JSON.stringify(c));
      for (const t of c.tasks) assert.ok(t.checkpointedBytes <= t.stateBytes, JSON.stringify(t));
      const taskFull = c.tasks.reduce((sum: number, t: Json) => sum + t.stateBytes, 0);
      const taskAdded = c.tasks.reduce((sum: number, t: Json) => sum + t.checkpointedBytes, 0);
      // The whole checkpoint adds its manifest and enumerator state to the tasks' parts.
      assert.ok(taskFull <= c.fullSizeBytes && taskAdded <= c.sizeBytes, JSON.stringify(c));
    }
    const latest = history[0]!;
    assert.ok(latest.fullSizeBytes > 2 * latest.sizeBytes, `a delta is small: ${JSON.stringify(latest)}`);
    const gauge = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, "m").exec(metrics)?.[1]);
    const described = history.find((c) => c.id === gauge("weir_job_last_checkpoint_id"));
    assert.ok(described !== undefined, metrics);
    assert.equal(gauge("weir_job_last_checkpoint_size_bytes"), described.sizeBytes, metrics);
    assert.equal(gauge("weir_job_last_checkpoint_full_size_bytes"), described.fullSizeBytes, metrics);
    await rest(cluster.url, "PATCH", `/jobs/${jobId}?mode=cancel`);
    assert.ok(!existsSync(join(dir, "state", "Counter-0a1b2c3d")), "a stale backend directory was removed");
    assert.equal(readFileSync(join(dir, "state", "keep.txt"), "utf8"), "mine");
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
