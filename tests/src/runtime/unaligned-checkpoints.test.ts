/**
 * Unaligned checkpoints under heavy backpressure (issue 4): a sink that sleeps on every write keeps
 * the keyed checker's input queues and the sources' output buffers full. An aligned barrier waits
 * behind all of them, so with a short checkpoint timeout aligned checkpoints expire; unaligned
 * barriers overtake the queued data, which is persisted with the checkpoint, and checkpoints
 * complete — from the start, or after the alignment timeout switched them to unaligned.
 * Assertions read the checkpoint statistics the runtime reports.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CheckpointFailure,
  type CheckpointingOptions,
  type CheckpointStats,
  JobCancelledError,
  runJob,
} from "@weir/runtime";
import type { UnalignedParams } from "../jobs/unaligned-checkpoints.job.ts";

const JOB = new URL("../jobs/unaligned-checkpoints.job.ts", import.meta.url);

/**
 * Each of the 8 batches queued at a checker (2 channels x 4 credits) takes a 100 ms write, so an
 * aligned barrier needs well over 800 ms to get through; checkpoints expire after 450 ms.
 */
const params: UnalignedParams = { keys: 4, writeDelayMs: 100, failAt: -1 };
const TIMEOUT_MS = 450;

async function run(
  checkpointing: Omit<CheckpointingOptions, "intervalMs" | "timeoutMs">,
  enough: (completed: CheckpointStats[], failed: CheckpointFailure[]) => boolean,
  writeDelayMs = params.writeDelayMs,
): Promise<{ completed: CheckpointStats[]; failed: CheckpointFailure[] }> {
  const completed: CheckpointStats[] = [];
  const failed: CheckpointFailure[] = [];
  const abort = new AbortController();
  const check = () => {
    if (enough(completed, failed)) abort.abort();
  };
  // However slow the machine: a run ends after 8 s and the assertions say what was missing.
  const deadline = setTimeout(() => abort.abort(), 8_000);
  try {
    await assert.rejects(
      runJob(JOB, {
        parallelism: 2,
        batchSize: 16,
        buffersPerChannel: 4,
        params: { ...params, writeDelayMs },
        checkpointing: {
          intervalMs: 50,
          timeoutMs: TIMEOUT_MS,
          storage: { kind: "memory" },
          ...checkpointing,
        },
        restartStrategy: { kind: "none" },
        signal: abort.signal,
        onCheckpoint: (stats) => {
          completed.push(stats);
          check();
        },
        onCheckpointFailed: (failure) => {
          failed.push(failure);
          check();
        },
      }),
      JobCancelledError,
    );
  } finally {
    clearTimeout(deadline);
  }
  return { completed, failed };
}

test("under heavy backpressure aligned checkpoints expire", async () => {
  const { completed, failed } = await run({}, (_, failed) => failed.length >= 3);
  const expired = failed.filter((f) => f.reason === "expired");
  assert.ok(expired.length >= 3, `expected 3 expired checkpoints, got ${JSON.stringify(failed)}`);
  assert.equal(completed.length, 0, `no aligned checkpoint completes in ${TIMEOUT_MS} ms`);
});

test("under the same backpressure unaligned checkpoints complete and persist in-flight data", async () => {
  const { completed, failed } = await run({ unaligned: true }, (completed) => completed.length >= 3);
  assert.ok(completed.length >= 3, `only ${completed.length} completed; failed: ${JSON.stringify(failed)}`);
  for (const stats of completed) {
    assert.equal(stats.unaligned, true);
    assert.ok(stats.durationMs < TIMEOUT_MS);
    assert.equal(stats.tasks.length, 4, "source chains and checkers, 2 each");
    for (const task of stats.tasks) {
      assert.equal(task.unaligned, true, `task ${task.task}`);
      assert.equal(task.alignmentMs, 0, "unaligned from the start: no alignment");
      assert.ok((task.acknowledgedAfterMs ?? -1) >= 0);
    }
  }
  // The checker's full input queues (and the sources' waiting batches) are in the checkpoint.
  assert.ok(
    completed.some((s) => s.inFlightBytes > 0),
    `in-flight data persisted: ${completed.map((s) => s.inFlightBytes).join(", ")}`,
  );
  const checkers = completed.flatMap((s) => s.tasks.filter((t) => t.task.startsWith("1/")));
  assert.ok(
    checkers.some((t) => (t.inFlightRecords ?? 0) > 0),
    "a checker persisted queued input records",
  );
});

test("with an alignment timeout, checkpoints start aligned and switch to unaligned under backpressure", async () => {
  const { completed, failed } = await run(
    { unaligned: true, alignedCheckpointTimeoutMs: 40 },
    (completed) => completed.length >= 3,
  );
  assert.ok(completed.length >= 3, `only ${completed.length} completed; failed: ${JSON.stringify(failed)}`);
  for (const stats of completed) {
    assert.equal(stats.unaligned, true, "the timed-out alignment switched to unaligned");
    assert.ok(stats.durationMs < TIMEOUT_MS);
  }
  assert.ok(
    completed.some((s) => s.inFlightBytes > 0),
    "in-flight data persisted",
  );
});

test("with an alignment timeout that is not reached, checkpoints stay aligned", async () => {
  const { completed, failed } = await run(
    { unaligned: true, alignedCheckpointTimeoutMs: 5_000 },
    (completed) => completed.length >= 2,
    0,
  );
  assert.ok(completed.length >= 2, `only ${completed.length} completed; failed: ${JSON.stringify(failed)}`);
  for (const stats of completed) {
    // Writes that take no time: barriers align well within the 5 s timeout.
    assert.equal(stats.unaligned, false);
    assert.equal(stats.inFlightBytes, 0);
  }
});
