/**
 * Exactly-once state, proven by counting: a self-checking job runs with periodic aligned
 * checkpoints, a failure is injected mid-stream, the job restarts from the latest checkpoint, and
 * every key must still have seen each of its sequence numbers exactly once — no anomaly, and final
 * counts equal to what the source produced. The collect sink commits with checkpoints, so the
 * reports themselves are neither lost nor duplicated.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CheckpointStats, type CheckpointStorageOptions, runJob } from "@weir/runtime";
import { type ExactlyOnceParams, REPORTS } from "../jobs/exactly-once.job.ts";

const JOB = new URL("../jobs/exactly-once.job.ts", import.meta.url);

function check(reports: ReturnType<typeof Array.prototype.slice>, params: ExactlyOnceParams): void {
  const anomalies = reports.filter((r: { kind: string }) => r.kind === "anomaly");
  assert.deepEqual(anomalies, [], "no record lost or duplicated");
  const finals = reports.filter((r: { kind: string }) => r.kind === "final") as {
    key: number;
    count: number;
    last: number;
  }[];
  assert.equal(finals.length, params.keys, "one final report per key, exactly once");
  const perKey = params.count / params.keys;
  for (const f of finals)
    assert.deepEqual({ count: f.count, last: f.last }, { count: perKey, last: perKey - 1 }, `key ${f.key}`);
}

const storages: [string, (dir: string) => CheckpointStorageOptions][] = [
  ["memory", () => ({ kind: "memory" })],
  ["a local directory", (dir) => ({ kind: "directory", path: dir })],
];

for (const parallelism of [1, 2]) {
  for (const [where, storage] of storages) {
    test(`a failure mid-stream is recovered from a checkpoint in ${where} with exactly-once state (parallelism ${parallelism})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "weir-checkpoints-"));
      const log: string[] = [];
      const stats: CheckpointStats[] = [];
      try {
        const params: ExactlyOnceParams = {
          count: 12_000,
          keys: 12,
          recordsPerSecond: 12_000,
          failAt: 7_000,
        };
        const result = await runJob(JOB, {
          parallelism,
          batchSize: 64,
          params,
          checkpointing: { intervalMs: 50, storage: storage(dir) },
          restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 20 },
          log: (line) => log.push(line),
          onCheckpoint: (s) => stats.push(s),
        });
        assert.equal(result.restarts, 1, "the injected failure caused one restart");
        assert.equal(stats.length, result.completedCheckpoints, "one report per completed checkpoint");
        const ids = stats.map((s) => s.checkpointId);
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
          "ids only grow, across the restart too",
        );
        // Tasks: the source chain and the checker, each at this parallelism.
        for (const s of stats) assert.equal(s.tasks.length, 2 * parallelism);
        if (where !== "memory")
          assert.ok(
            stats.every((s) => s.sizeBytes > 0),
            "stored checkpoints have a size",
          );
        assert.ok(
          result.completedCheckpoints >= 2,
          `only ${result.completedCheckpoints} checkpoints completed`,
        );
        assert.match(log.join("\n"), /restarting job "exactly-once" \(attempt 1\) from checkpoint \d+/);
        check(result.collected(REPORTS), params);
        assert.deepEqual(readdirSync(dir), [], "a finished job deletes its checkpoints");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test("without checkpoints, the same failure fails the job", async () => {
  const params: ExactlyOnceParams = { count: 2_000, keys: 4, recordsPerSecond: 100_000, failAt: 1_000 };
  await assert.rejects(
    runJob(JOB, { parallelism: 2, params }),
    /Failure injector: injected failure at record 1000/,
  );
});

test("a restart without a completed checkpoint starts over and still counts exactly once", async () => {
  const params: ExactlyOnceParams = { count: 4_000, keys: 4, recordsPerSecond: 1_000_000, failAt: 2_000 };
  const result = await runJob(JOB, {
    parallelism: 2,
    params,
    restartStrategy: { kind: "fixed-delay", attempts: 1, delayMs: 0 },
  });
  assert.equal(result.restarts, 1);
  assert.equal(result.completedCheckpoints, 0);
  check(result.collected(REPORTS), params);
});
