/**
 * Savepoint-style restore at another parallelism: a run of the self-checking job is cancelled after
 * some checkpoints; a new run restores its newest checkpoint at a different parallelism (key groups
 * move to new subtasks, source splits are dealt out again) and finishes. Every key must have seen
 * each of its numbers exactly once across both runs.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { JobCancelledError, runJob } from "@weir/runtime";
import { type ExactlyOnceParams, REPORTS, type Report } from "../jobs/exactly-once.job.ts";

const JOB = new URL("../jobs/exactly-once.job.ts", import.meta.url);
const params: ExactlyOnceParams = { count: 24_000, keys: 12, recordsPerSecond: 20_000, failAt: -1 };

/** Runs the job at parallelism 2 with checkpoints, cancels it midway, returns the kept checkpoint directory. */
async function cancelledRun(dir: string): Promise<string> {
  const abort = new AbortController();
  const log: string[] = [];
  const run = runJob(JOB, {
    parallelism: 2,
    batchSize: 64,
    params,
    checkpointing: { intervalMs: 40, retained: 2, storage: { kind: "directory", path: dir } },
    signal: abort.signal,
    log: (line) => log.push(line),
    // Cancel midway once a few checkpoints are in, however slowly a loaded machine gets there.
    onCheckpoint: (stats) => {
      if (stats.checkpointId >= 3) abort.abort();
    },
  });
  await assert.rejects(run, JobCancelledError);
  const kept = /checkpoints of the run are kept in (\S+)/.exec(log.join("\n"))?.[1];
  assert.ok(kept !== undefined, `the cancelled run keeps its checkpoints; log: ${log.join(" | ")}`);
  return kept;
}

for (const parallelism of [1, 3, 4]) {
  test(`a cancelled run's checkpoint restores at parallelism ${parallelism} with exactly-once state`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-"));
    try {
      const savepoint = await cancelledRun(dir);
      assert.ok(readdirSync(savepoint).some((name) => name.startsWith("chk-")));
      const log: string[] = [];
      const result = await runJob(JOB, {
        parallelism,
        batchSize: 64,
        params: { ...params, recordsPerSecond: 1_000_000 },
        restoreFrom: { path: savepoint },
        log: (line) => log.push(line),
      });
      assert.match(log.join("\n"), /restoring job "exactly-once" from checkpoint \d+/);
      const reports = result.collected(REPORTS) as Report[];
      assert.deepEqual(
        reports.filter((r) => r.kind === "anomaly"),
        [],
        "no number lost or repeated across the two runs",
      );
      const finals = reports.filter((r) => r.kind === "final");
      assert.equal(finals.length, params.keys);
      for (const f of finals) {
        assert.deepEqual({ key: f.key, count: f.count }, { key: f.key, count: params.count / params.keys });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a failure before the restored run's first checkpoint restarts from the savepoint, not from scratch", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-"));
  try {
    const savepoint = await cancelledRun(dir);
    const log: string[] = [];
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      // Fails near the end, before any checkpoint of this run (the interval is far too long).
      params: { ...params, recordsPerSecond: 1_000_000, failAt: params.count - 100 },
      restoreFrom: { path: savepoint },
      checkpointing: { intervalMs: 600_000, storage: { kind: "directory", path: join(dir, "second") } },
      restartStrategy: { kind: "fixed-delay", attempts: 1, delayMs: 10 },
      log: (line) => log.push(line),
    });
    assert.equal(result.restarts, 1);
    assert.match(log.join("\n"), /restarting job "exactly-once" \(attempt 1\) from checkpoint \d+/);
    const reports = result.collected(REPORTS) as Report[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "nothing replayed from the beginning",
    );
    for (const f of reports.filter((r) => r.kind === "final")) {
      assert.equal(f.kind === "final" && f.count, params.count / params.keys);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("state of an operator the new job lacks is refused unless allowed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-"));
  try {
    const savepoint = await cancelledRun(dir);
    await assert.rejects(
      runJob(JOB, {
        parallelism: 2,
        params: { ...params, checkerUid: "renamed" },
        restoreFrom: { path: savepoint },
      }),
      /has state for operators this job does not have: "checker"/,
    );
    const result = await runJob(JOB, {
      parallelism: 2,
      params: { ...params, checkerUid: "renamed", recordsPerSecond: 1_000_000 },
      restoreFrom: { path: savepoint, allowNonRestoredState: true },
    });
    // The checker starts empty: it sees the rest of each key's numbers, starting past 0.
    const anomalies = result.collected(REPORTS).filter((r) => r.kind === "anomaly");
    assert.equal(anomalies.length, params.keys, "each key reports one gap: its state was not restored");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("restoring from a directory without checkpoints fails clearly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-savepoint-"));
  try {
    await assert.rejects(
      runJob(JOB, { parallelism: 1, params, restoreFrom: { path: dir } }),
      /no intact checkpoint found in/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
