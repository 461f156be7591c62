/**
 * Exactly-once with unaligned checkpoints: the self-checking keyed job runs under heavy
 * backpressure (a sink that sleeps on every write) with unaligned checkpoints, so every checkpoint
 * carries in-flight data. A failure is injected after some checkpoints; the job restarts from the
 * latest one, replays its in-flight data before new input, and must end with exactly the result
 * of an uninterrupted run: no sequence number of any key lost or seen twice. The same holds when a
 * cancelled run's unaligned checkpoint is restored at another parallelism (in-flight records are
 * re-routed by key to their new subtasks).
 */

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CheckpointStats, JobCancelledError, runJob } from "@weir/runtime";
import { COMPLETED, REPORTS, type Report, type UnalignedParams } from "../jobs/unaligned-checkpoints.job.ts";
import { COUNTS, type EventTimeParams, type WindowCount } from "../jobs/unaligned-event-time.job.ts";

const JOB = new URL("../jobs/unaligned-checkpoints.job.ts", import.meta.url);
const KEYS = 12;
const COUNT = 6_000;

/** The reports of an uninterrupted run without checkpoints: the reference. */
async function reference(): Promise<Report[]> {
  const result = await runJob(JOB, {
    parallelism: 2,
    params: { count: COUNT, keys: KEYS, writeDelayMs: 0, failAt: -1 } satisfies UnalignedParams,
  });
  return sorted(result.collected(REPORTS) as Report[]);
}

function sorted(reports: Report[]): Report[] {
  return [...reports].sort((a, b) => a.key - b.key || a.kind.localeCompare(b.kind));
}

function restoredFrom(log: readonly string[]): number {
  const match = /from checkpoint (\d+)/.exec(log.join("\n"));
  assert.ok(match !== null, `the job restored a checkpoint; log: ${log.join(" | ")}`);
  return Number(match[1]);
}

test("a failure under backpressure recovers from an unaligned checkpoint with its in-flight data, exactly once", async () => {
  const expected = await reference();
  assert.equal(expected.filter((r) => r.kind === "final").length, KEYS);
  const counters = new SharedArrayBuffer(4);
  const completed = new Int32Array(counters);
  const stats: CheckpointStats[] = [];
  const log: string[] = [];
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 16,
    buffersPerChannel: 4,
    params: { count: COUNT, keys: KEYS, writeDelayMs: 3, failAt: 2_500, counters } satisfies UnalignedParams,
    checkpointing: { intervalMs: 30, unaligned: true, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 1, delayMs: 10 },
    log: (line) => log.push(line),
    onCheckpoint: (s) => {
      stats.push(s);
      Atomics.add(completed, COMPLETED, 1);
    },
  });
  assert.equal(result.restarts, 1, "the injected failure caused one restart");
  const restored = stats.find((s) => s.checkpointId === restoredFrom(log));
  assert.ok(restored !== undefined);
  assert.equal(restored.unaligned, true);
  assert.ok(restored.inFlightBytes > 0, "the restored checkpoint carried in-flight data");
  assert.deepEqual(sorted(result.collected(REPORTS) as Report[]), expected);
});

for (const parallelism of [1, 3]) {
  test(`an unaligned checkpoint with in-flight data restores at parallelism ${parallelism}, exactly once`, async () => {
    const expected = await reference();
    const dir = mkdtempSync(join(tmpdir(), "weir-unaligned-"));
    try {
      const abort = new AbortController();
      const log: string[] = [];
      const stats: CheckpointStats[] = [];
      await assert.rejects(
        runJob(JOB, {
          parallelism: 2,
          batchSize: 16,
          buffersPerChannel: 4,
          params: { count: COUNT, keys: KEYS, writeDelayMs: 3, failAt: -1 } satisfies UnalignedParams,
          checkpointing: { intervalMs: 30, unaligned: true, storage: { kind: "directory", path: dir } },
          signal: abort.signal,
          log: (line) => log.push(line),
          onCheckpoint: (s) => {
            stats.push(s);
            if (s.checkpointId >= 3 && s.inFlightBytes > 0) abort.abort();
          },
        }),
        JobCancelledError,
      );
      const kept = /checkpoints of the run are kept in (\S+)/.exec(log.join("\n"))?.[1];
      assert.ok(kept !== undefined, `the cancelled run keeps its checkpoints; log: ${log.join(" | ")}`);
      const restoreLog: string[] = [];
      const result = await runJob(JOB, {
        parallelism,
        batchSize: 16,
        params: { count: COUNT, keys: KEYS, writeDelayMs: 0, failAt: -1 } satisfies UnalignedParams,
        restoreFrom: { path: kept },
        log: (line) => restoreLog.push(line),
      });
      const restored = stats.find((s) => s.checkpointId === restoredFrom(restoreLog));
      assert.ok(
        restored !== undefined && restored.inFlightBytes > 0,
        "restored a checkpoint with in-flight data",
      );
      assert.deepEqual(sorted(result.collected(REPORTS) as Report[]), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("watermarks inside in-flight data survive a restore: no record turns late, window counts are exact", async () => {
  const EVENT_JOB = new URL("../jobs/unaligned-event-time.job.ts", import.meta.url);
  const base = { count: 4_000, keys: 4, counters: new SharedArrayBuffer(4) };
  const byWindow = (counts: WindowCount[]) =>
    [...counts].sort((a, b) => a.windowEnd - b.windowEnd || a.key - b.key);
  const expected = byWindow(
    (
      await runJob(EVENT_JOB, {
        parallelism: 2,
        params: { ...base, writeDelayMs: 0, failAt: -1 } satisfies EventTimeParams,
      })
    ).collected(COUNTS),
  );
  assert.equal(expected.length, (base.count / 100) * base.keys, "one count per key and window");
  const counters = new SharedArrayBuffer(4);
  const completed = new Int32Array(counters);
  const stats: CheckpointStats[] = [];
  const log: string[] = [];
  const result = await runJob(EVENT_JOB, {
    parallelism: 2,
    batchSize: 16,
    params: { ...base, counters, writeDelayMs: 3, failAt: 2_000 } satisfies EventTimeParams,
    checkpointing: { intervalMs: 30, unaligned: true, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 1, delayMs: 10 },
    log: (line) => log.push(line),
    onCheckpoint: (s) => {
      stats.push(s);
      Atomics.add(completed, 0, 1);
    },
  });
  assert.equal(result.restarts, 1);
  const restored = stats.find((s) => s.checkpointId === restoredFrom(log));
  assert.ok(
    restored !== undefined && restored.inFlightBytes > 0,
    "restored a checkpoint with in-flight data",
  );
  assert.deepEqual(byWindow(result.collected(COUNTS)), expected);
});
