/**
 * The self-checking exactly-once job with keyed state on the LMDB backend: a failure mid-stream
 * is recovered from worker-written, incremental state snapshots with exactly-once state, and a
 * cancelled run's LMDB checkpoint restores at other parallelisms (key groups move).
 */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { JobCancelledError, runJob } from "@weir/runtime";
import { type ExactlyOnceParams, REPORTS, type Report } from "../jobs/exactly-once.job.ts";

const JOB = new URL("../jobs/exactly-once.job.ts", import.meta.url);

function check(reports: Report[], params: ExactlyOnceParams): void {
  assert.deepEqual(
    reports.filter((r) => r.kind === "anomaly"),
    [],
    "no record lost or duplicated",
  );
  const finals = reports.filter((r) => r.kind === "final") as { key: number; count: number; last: number }[];
  assert.equal(finals.length, params.keys, "one final report per key, exactly once");
  const perKey = params.count / params.keys;
  for (const f of finals)
    assert.deepEqual({ count: f.count, last: f.last }, { count: perKey, last: perKey - 1 }, `key ${f.key}`);
}

/** The run directory's shared state blobs (the run writes under `<dir>/<job>-<run id>/`). */
function sharedBlobs(dir: string): string[] {
  const blobs: string[] = [];
  for (const run of existsSync(dir) ? readdirSync(dir) : []) {
    const shared = join(dir, run, "shared");
    if (!existsSync(shared)) continue;
    for (const owner of readdirSync(shared))
      for (const blob of readdirSync(join(shared, owner))) blobs.push(blob);
  }
  return blobs;
}

test("on LMDB, a failure mid-stream is recovered from worker-written state blobs with exactly-once state", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-checkpoints-"));
  const stateDir = mkdtempSync(join(tmpdir(), "weir-lmdb-work-"));
  const log: string[] = [];
  let blobsSeen = 0;
  let workingDirsSeen = 0;
  try {
    const params: ExactlyOnceParams = { count: 12_000, keys: 12, recordsPerSecond: 12_000, failAt: 7_000 };
    for (const parallelism of [1, 2]) {
      const result = await runJob(JOB, {
        parallelism,
        batchSize: 64,
        params,
        stateBackend: { kind: "lmdb", directory: stateDir, maxDeltas: 3 },
        checkpointing: { intervalMs: 50, retained: 2, storage: { kind: "directory", path: dir } },
        restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
        log: (line) => log.push(line),
        onCheckpoint: () => {
          blobsSeen = Math.max(blobsSeen, sharedBlobs(dir).length);
          workingDirsSeen = Math.max(workingDirsSeen, readdirSync(stateDir).length);
        },
      });
      assert.equal(result.restarts, 1, "the injected failure caused one restart");
      assert.ok(
        result.completedCheckpoints >= 2,
        `only ${result.completedCheckpoints} checkpoints completed`,
      );
      assert.match(log.join("\n"), /restarting job "exactly-once" \(attempt 1\) from checkpoint \d+/);
      check(result.collected(REPORTS) as Report[], params);
    }
    assert.ok(blobsSeen > 0, "workers wrote state blobs into the checkpoint storage");
    assert.ok(workingDirsSeen > 0, "keyed state lived in LMDB working directories");
    assert.deepEqual(readdirSync(stateDir), [], "closed backends remove their working directories");
    assert.deepEqual(readdirSync(dir), [], "a finished job deletes its checkpoints, shared blobs included");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test("a cancelled run's LMDB checkpoint restores at parallelism 3 and 1 with exactly-once state", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-lmdb-savepoint-"));
  const stateDir = mkdtempSync(join(tmpdir(), "weir-lmdb-work-"));
  const params: ExactlyOnceParams = { count: 24_000, keys: 12, recordsPerSecond: 20_000, failAt: -1 };
  const stateBackend = { kind: "lmdb", directory: stateDir } as const;
  try {
    const abort = new AbortController();
    const log: string[] = [];
    const run = runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params,
      stateBackend,
      checkpointing: { intervalMs: 40, retained: 2, storage: { kind: "directory", path: dir } },
      signal: abort.signal,
      log: (line) => log.push(line),
      onCheckpoint: (stats) => {
        if (stats.checkpointId >= 3) abort.abort();
      },
    });
    await assert.rejects(run, JobCancelledError);
    const savepoint = /checkpoints of the run are kept in (\S+)/.exec(log.join("\n"))?.[1];
    assert.ok(savepoint !== undefined, `the cancelled run keeps its checkpoints; log: ${log.join(" | ")}`);
    assert.ok(sharedBlobs(dir).length > 0, "the savepoint's keyed state is in shared blobs");
    for (const parallelism of [3, 1]) {
      const restoreLog: string[] = [];
      const result = await runJob(JOB, {
        parallelism,
        batchSize: 64,
        params: { ...params, recordsPerSecond: 1_000_000 },
        stateBackend,
        restoreFrom: { path: savepoint },
        log: (line) => restoreLog.push(line),
      });
      assert.match(restoreLog.join("\n"), /restoring job "exactly-once" from checkpoint \d+/);
      check(result.collected(REPORTS) as Report[], params);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
});
