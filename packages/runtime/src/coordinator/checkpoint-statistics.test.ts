import assert from "node:assert/strict";
import { test } from "node:test";
import type { CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import { checkpointStats, checkpointStatsLine } from "./checkpoint-statistics.ts";

function checkpoint(unaligned: boolean): CompletedCheckpoint {
  return {
    checkpointId: 7,
    triggeredAt: Date.now() - 50,
    durationMs: 0,
    tasks: new Map(),
    enumerators: new Map(),
    taskStats: new Map([
      ["0/0", { alignmentMs: 0, snapshotMs: 1 }],
      [
        "1/0",
        { alignmentMs: 12.5, snapshotMs: 2, ...(unaligned ? { unaligned: true, inFlightBytes: 300 } : {}) },
      ],
    ]),
    acknowledgedAfterMs: new Map([["1/0", 40]]),
  };
}

test("figures come from the measured sizes, per task and in total", () => {
  const stats = checkpointStats(checkpoint(false), {
    checkpointedBytes: 1_000,
    fullBytes: 5_000,
    tasks: new Map([["1/0", { checkpointedBytes: 900, fullBytes: 4_900 }]]),
  });
  assert.equal(stats.checkpointId, 7);
  assert.ok(stats.durationMs >= 50);
  assert.equal(stats.sizeBytes, 1_000);
  assert.equal(stats.fullSizeBytes, 5_000);
  assert.equal(stats.maxAlignmentMs, 12.5);
  assert.equal(stats.unaligned, false);
  assert.equal(stats.inFlightBytes, 0);
  const task = stats.tasks.find((t) => t.task === "1/0")!;
  assert.equal(task.stateBytes, 4_900);
  assert.equal(task.checkpointedBytes, 900);
  assert.equal(task.acknowledgedAfterMs, 40);
  assert.equal(stats.tasks.find((t) => t.task === "0/0")!.stateBytes, 0);
  assert.match(
    checkpointStatsLine(stats),
    /^checkpoint 7 completed in \d+ ms \(1000 bytes added, 5000 in full, longest alignment 12\.5 ms\)$/,
  );
});

test("a checkpoint kept in memory reports 0 bytes; an unaligned one its in-flight bytes", () => {
  const stats = checkpointStats(checkpoint(true), undefined);
  assert.equal(stats.sizeBytes, 0);
  assert.equal(stats.fullSizeBytes, 0);
  assert.equal(stats.unaligned, true);
  assert.equal(stats.inFlightBytes, 300);
  assert.match(
    checkpointStatsLine(stats),
    /\(0 bytes, longest alignment 12\.5 ms, unaligned, 300 bytes in flight\)$/,
  );
});
