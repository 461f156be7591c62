/**
 * Stop-with-savepoint, as Flink's `stop`: without drain every task stops at the savepoint's
 * barrier, so even a non-transactional sink sees each record exactly once across stop and
 * restore, and no end-of-input work runs; with drain the sources end their input first (the
 * keyed function's end-of-input output appears), and a restore of the drained savepoint has
 * nothing left to do.
 */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type JobRun, runJob } from "@weir/runtime";
import type { StopOutput, StopParams } from "../jobs/stop-with-savepoint.job.ts";

const JOB = new URL("../jobs/stop-with-savepoint.job.ts", import.meta.url);
const KEYS = 4;
const COUNT = 12_000;

function output(dir: string): StopOutput[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as StopOutput),
    );
}

/** Runs the job and stops it with a savepoint once it has written some output. */
async function runAndStop(dir: string, savepoints: string, drain: boolean): Promise<string> {
  let stopped: Promise<string> | undefined;
  const params: StopParams = { dir, count: COUNT, keys: KEYS, recordsPerSecond: 6_000 };
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 32,
    params,
    checkpointing: { intervalMs: 100, storage: { kind: "directory", path: join(savepoints, "checkpoints") } },
    onStart: (run: JobRun) => {
      const poll = setInterval(() => {
        if (output(dir).length < 1_000) return;
        clearInterval(poll);
        stopped = run.stopWithSavepoint({ drain, location: (id) => join(savepoints, `savepoint-${id}`) });
      }, 20);
    },
  });
  assert.ok(stopped !== undefined, "the job was stopped before its input ended");
  const location = await stopped;
  assert.ok(existsSync(location), `the savepoint is at ${location}`);
  assert.ok(result.completedCheckpoints >= 1);
  return location;
}

/** The same job from the savepoint at `location`, unthrottled, to the end of its input. */
function resume(dir: string, savepoints: string, location: string) {
  return runJob(JOB, {
    parallelism: 2,
    batchSize: 32,
    params: { dir, count: COUNT, keys: KEYS, recordsPerSecond: 50_000 } satisfies StopParams,
    checkpointing: { intervalMs: 100, storage: { kind: "directory", path: join(savepoints, "checkpoints") } },
    restoreFrom: { path: location },
  });
}

test("stop without drain: a non-transactional sink sees every record exactly once across stop and restore", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-stop-"));
  const savepoints = mkdtempSync(join(tmpdir(), "weir-stop-sp-"));
  try {
    const location = await runAndStop(dir, savepoints, false);
    const before = output(dir);
    assert.ok(before.length < COUNT, `stopped early (${before.length} of ${COUNT} records)`);
    assert.equal(
      before.filter((r) => r.kind === "final").length,
      0,
      "no end-of-input output: the input never ended",
    );

    await resume(dir, savepoints, location);
    const all = output(dir);
    const seen = new Map<string, number>();
    for (const r of all)
      if (r.kind === "record") seen.set(`${r.key}:${r.seq}`, (seen.get(`${r.key}:${r.seq}`) ?? 0) + 1);
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    assert.equal(duplicated, 0, "nothing processed after the savepoint reached the sink");
    assert.equal(seen.size, COUNT, "and nothing was lost");
    const stateAnomalies = all.filter((r) => r.kind === "record" && r.count !== r.seq + 1);
    assert.deepEqual(stateAnomalies.slice(0, 3), [], "keyed state restored exactly at the savepoint");
    const finals = all.filter((r) => r.kind === "final");
    assert.deepEqual(
      finals.map((f) => f.count),
      finals.map(() => COUNT / KEYS),
      "the restored run ends the input once",
    );
    assert.equal(finals.length, KEYS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(savepoints, { recursive: true, force: true });
  }
});

test("stop with drain: the input ends first, and the drained savepoint restores to a job with nothing left", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-drain-"));
  const savepoints = mkdtempSync(join(tmpdir(), "weir-drain-sp-"));
  try {
    const location = await runAndStop(dir, savepoints, true);
    const drained = output(dir);
    const records = drained.filter((r) => r.kind === "record");
    assert.ok(records.length < COUNT, `drained early (${records.length} of ${COUNT} records)`);
    const finals = drained.filter((r) => r.kind === "final");
    assert.equal(finals.length, KEYS, "end of input ran: one final record per key");
    for (const final of finals)
      assert.equal(
        final.count,
        records.filter((r) => r.key === final.key).length,
        `key ${final.key}: the final count covers exactly the records emitted`,
      );

    const restored = await resume(dir, savepoints, location);
    assert.equal(output(dir).length, drained.length, "a drained job's savepoint has nothing left to run");
    assert.equal(restored.restarts, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(savepoints, { recursive: true, force: true });
  }
});
