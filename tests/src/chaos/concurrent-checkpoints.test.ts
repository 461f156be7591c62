/**
 * Concurrent checkpoints (`maxConcurrent`, Flink's `execution.checkpointing.max-concurrent-checkpoints`)
 * end to end: with a slow branch keeping barriers late, a new checkpoint starts while the previous
 * one is still pending, and a transactional sink still publishes every record exactly once across
 * a failure and restore (each pre-commit is committed by the checkpoint that covers it, whichever
 * completes; a subsumed one's transactions go with the later one); and on LMDB, whose workers
 * upload incremental state per checkpoint, overlapping checkpoints with one retained restore a
 * failure with exactly-once state and leave no blob behind.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CheckpointFailure, type CheckpointStats, runJob } from "@weir/runtime";
import { type ExactlyOnceParams, REPORTS, type Report } from "../jobs/exactly-once.job.ts";

const JOB = new URL("../jobs/two-phase-sink.job.ts", import.meta.url);
const EXACTLY_ONCE_JOB = new URL("../jobs/exactly-once.job.ts", import.meta.url);

/** Records [triggered, completed] per completed checkpoint; counts pairs where the next began first. */
class Overlaps {
  readonly spans = new Map<number, [number, number]>();
  readonly failures: CheckpointFailure[] = [];
  onCheckpoint = (stats: CheckpointStats): void => {
    const now = Date.now();
    this.spans.set(stats.checkpointId, [now - stats.durationMs, now]);
  };
  onCheckpointFailed = (failure: CheckpointFailure): void => {
    this.failures.push(failure);
  };
  /** Overlapping pairs plus subsumed checkpoints: both impossible one at a time. */
  count(): number {
    const ordered = [...this.spans].sort(([a], [b]) => a - b);
    let overlapping = 0;
    for (let i = 1; i < ordered.length; i++) if (ordered[i]![1][0] < ordered[i - 1]![1][1]) overlapping++;
    return overlapping + this.failures.filter((f) => f.reason === "subsumed").length;
  }
}

test("checkpoints overlap up to maxConcurrent, and a 2PC sink stays exactly-once across a failure", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-concurrent-cp-"));
  try {
    const count = 8_000;
    const overlaps = new Overlaps();
    const result = await runJob(JOB, {
      parallelism: 2,
      batchSize: 64,
      params: { dir, count, failAt: 5_001, recordsPerSecond: 8_000 },
      checkpointing: { intervalMs: 10, maxConcurrent: 3 },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
      onCheckpoint: overlaps.onCheckpoint,
      onCheckpointFailed: overlaps.onCheckpointFailed,
    });
    assert.equal(result.restarts, 1);
    assert.ok(result.completedCheckpoints >= 2, `only ${result.completedCheckpoints} checkpoints completed`);
    assert.ok(overlaps.count() > 0, `no two checkpoints overlapped (${overlaps.spans.size} completed)`);
    // Completions are reported in id order.
    const completedAt = [...overlaps.spans].sort(([a], [b]) => a - b).map(([, [, at]]) => at);
    assert.deepEqual(
      completedAt,
      [...completedAt].sort((a, b) => a - b),
    );
    const published = readdirSync(dir).flatMap(
      (f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as number[],
    );
    const seen = new Map<number, number>();
    for (const n of published) seen.set(n, (seen.get(n) ?? 0) + 1);
    const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    assert.deepEqual(duplicates.slice(0, 10), [], "no record published twice");
    assert.equal(seen.size, count, "every record published");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("on LMDB with incremental uploads and one retained checkpoint, overlapping checkpoints restore exactly once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-concurrent-lmdb-"));
  const stateDir = mkdtempSync(join(tmpdir(), "weir-concurrent-lmdb-work-"));
  try {
    const params: ExactlyOnceParams = { count: 12_000, keys: 12, recordsPerSecond: 12_000, failAt: 7_000 };
    const overlaps = new Overlaps();
    const result = await runJob(EXACTLY_ONCE_JOB, {
      parallelism: 2,
      batchSize: 64,
      params,
      stateBackend: { kind: "lmdb", directory: stateDir, maxDeltas: 3 },
      checkpointing: {
        intervalMs: 5,
        maxConcurrent: 4,
        retained: 1,
        storage: { kind: "directory", path: dir },
      },
      restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
      onCheckpoint: overlaps.onCheckpoint,
      onCheckpointFailed: overlaps.onCheckpointFailed,
    });
    assert.equal(result.restarts, 1, "the injected failure caused one restart");
    assert.ok(overlaps.count() > 0, `no two checkpoints overlapped (${overlaps.spans.size} completed)`);
    const reports = result.collected(REPORTS) as Report[];
    assert.deepEqual(
      reports.filter((r) => r.kind === "anomaly"),
      [],
      "no record lost or duplicated",
    );
    const finals = reports.filter((r) => r.kind === "final") as { count: number; last: number }[];
    assert.equal(finals.length, params.keys, "one final report per key, exactly once");
    for (const f of finals) assert.deepEqual({ count: f.count, last: f.last }, { count: 1_000, last: 999 });
    assert.deepEqual(readdirSync(dir), [], "a finished job deletes its checkpoints, shared blobs included");
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
});
