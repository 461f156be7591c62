/** Checkpoint options (unaligned, alignment timeout), the barrier options they give, and failure reports. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { BarrierOptions } from "../exchange/channel-event.ts";
import {
  barrierOptionsFor,
  CheckpointCoordinator,
  type CheckpointFailure,
  checkCheckpointingOptions,
} from "./checkpoint-coordinator.ts";

test("unaligned and the alignment timeout default off, and bad values are refused naming the field", () => {
  const plain = checkCheckpointingOptions({ intervalMs: 100 });
  assert.equal(plain.unaligned, false);
  assert.equal(plain.alignedCheckpointTimeoutMs, 0);
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, unaligned: true, alignedCheckpointTimeoutMs: -1 }),
    /checkpointing\.alignedCheckpointTimeoutMs must be a number >= 0, got -1/,
  );
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, unaligned: "yes" as never }),
    /checkpointing\.unaligned must be true or false, got yes/,
  );
});

test("barriers carry the checkpoint's alignment: plain aligned, unaligned, or aligned with a timeout", () => {
  const at = 1_000;
  assert.deepEqual(barrierOptionsFor(checkCheckpointingOptions({ intervalMs: 1 }), at), {});
  assert.deepEqual(barrierOptionsFor(checkCheckpointingOptions({ intervalMs: 1, unaligned: true }), at), {
    unaligned: true,
    triggeredAt: at,
  });
  assert.deepEqual(
    barrierOptionsFor(
      checkCheckpointingOptions({ intervalMs: 1, unaligned: true, alignedCheckpointTimeoutMs: 50 }),
      at,
    ),
    { alignedTimeoutMs: 50, triggeredAt: at },
  );
  // Without unaligned checkpoints the timeout has nothing to switch to (as in Flink).
  assert.deepEqual(
    barrierOptionsFor(checkCheckpointingOptions({ intervalMs: 1, alignedCheckpointTimeoutMs: 50 }), at),
    {},
  );
});

test("a checkpoint nobody acknowledges expires and is reported as failed; triggers carry the options", async () => {
  const failures: CheckpointFailure[] = [];
  const triggers: [number, BarrierOptions][] = [];
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 5, timeoutMs: 20, unaligned: true },
    {
      trigger: (id, options) => triggers.push([id, options]),
      snapshotEnumerators: () => new Map(),
      persist: async () => {},
      completed: () => {},
      log: () => {},
      failed: (failure) => failures.push(failure),
    },
  );
  coordinator.start(["0/0"]);
  while (failures.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  coordinator.stop();
  assert.deepEqual(
    failures.slice(0, 2).map((f) => [f.checkpointId, f.reason]),
    [
      [1, "expired"],
      [2, "expired"],
    ],
  );
  assert.match(failures[0]!.message, /checkpoint 1 expired after 20 ms \(0 of 1 tasks acknowledged\)/);
  assert.equal(triggers[0]![1].unaligned, true);
  assert.equal(coordinator.abandoned, failures.length);
});

test("a declined checkpoint is abandoned at once, not at the timeout, and the next one completes", async () => {
  const failures: CheckpointFailure[] = [];
  const triggered: number[] = [];
  const completed: number[] = [];
  const logs: string[] = [];
  const stats = { alignmentMs: 0, snapshotMs: 0 };
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 5, timeoutMs: 60_000 },
    {
      trigger: (id) => triggered.push(id),
      snapshotEnumerators: () => new Map(),
      persist: async () => {},
      completed: (checkpoint) => completed.push(checkpoint.checkpointId),
      log: (line) => logs.push(line),
      failed: (failure) => failures.push(failure),
    },
  );
  const started = Date.now();
  coordinator.start(["0/0", "1/0"]);
  while (triggered.length < 1) await new Promise((resolve) => setTimeout(resolve, 2));
  coordinator.ack(1, "0/0", [], stats);
  coordinator.decline(1, "9/0", "not a task of the attempt");
  coordinator.decline(1, "1/0", "Counter: its state upload failed: disk full");
  assert.deepEqual(
    failures.map((f) => [f.checkpointId, f.reason]),
    [[1, "declined"]],
  );
  assert.match(
    failures[0]!.message,
    /checkpoint 1 declined by task 1\/0: Counter: its state upload failed: disk full/,
  );
  assert.deepEqual(logs, [failures[0]!.message]);
  coordinator.decline(1, "1/0", "stale: changes nothing");
  while (triggered.length < 2) await new Promise((resolve) => setTimeout(resolve, 2));
  coordinator.ack(2, "0/0", [], stats);
  coordinator.ack(2, "1/0", [], stats);
  await coordinator.settled();
  coordinator.stop();
  assert.deepEqual(completed, [2]);
  assert.equal(failures.length, 1);
  assert.ok(Date.now() - started < 5_000, "no wait for the 60 s timeout");
});
