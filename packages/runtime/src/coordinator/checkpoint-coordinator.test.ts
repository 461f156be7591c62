/** Checkpoint options (unaligned, alignment timeout), the barrier options they give, and failure reports. */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { BarrierOptions } from "../exchange/channel-event.ts";
import { CheckpointCoordinator, type CheckpointFailure } from "./checkpoint-coordinator.ts";
import { barrierOptionsFor, checkCheckpointingOptions } from "./checkpointing-options.ts";

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

const noStats = { alignmentMs: 0, snapshotMs: 0 };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("max concurrent checkpoints: a new one starts while earlier ones wait, never more than the limit", async () => {
  const triggered: number[] = [];
  const completed: number[] = [];
  let maxInFlight = 0;
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 5, maxConcurrent: 2 },
    {
      trigger: (id) => triggered.push(id),
      snapshotEnumerators: () => new Map(),
      persist: async () => {},
      completed: (checkpoint) => completed.push(checkpoint.checkpointId),
      log: () => {},
    },
  );
  coordinator.start(["0/0"]);
  while (triggered.length < 2) {
    maxInFlight = Math.max(maxInFlight, coordinator.inFlight);
    await tick(2);
  }
  // Nobody acknowledges: two are in flight and a third waits however many intervals pass.
  await tick(40);
  assert.deepEqual(triggered, [1, 2]);
  assert.equal(coordinator.inFlight, 2);
  coordinator.ack(1, "0/0", [], noStats);
  await coordinator.settled();
  assert.deepEqual(completed, [1]);
  // Checkpoint 1's end frees a slot: 3 is triggered (its interval has long passed) while 2 still waits.
  while (triggered.length < 3) await tick(2);
  assert.equal(coordinator.inFlight, 2);
  coordinator.ack(3, "0/0", [], noStats);
  coordinator.ack(2, "0/0", [], noStats); // stale: 3 subsumed it
  await coordinator.settled();
  coordinator.stop();
  assert.deepEqual(completed, [1, 3]);
  assert.ok(maxInFlight <= 2);
});

test("a later checkpoint fully acknowledged first subsumes the earlier pending one; stores run in id order", async () => {
  const failures: CheckpointFailure[] = [];
  const completed: number[] = [];
  const stores: string[] = [];
  const triggered: number[] = [];
  let releaseFirstStore: () => void = () => {};
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 3, maxConcurrent: 3 },
    {
      trigger: (id) => triggered.push(id),
      snapshotEnumerators: () => new Map(),
      persist: async (checkpoint) => {
        stores.push(`start ${checkpoint.checkpointId}`);
        if (checkpoint.checkpointId === 10)
          await new Promise<void>((resolve) => (releaseFirstStore = resolve));
        stores.push(`end ${checkpoint.checkpointId}`);
      },
      completed: (checkpoint) => completed.push(checkpoint.checkpointId),
      log: () => {},
      failed: (failure) => failures.push(failure),
    },
    10,
  );
  coordinator.start(["0/0", "1/0"]);
  while (triggered.length < 3) await tick(2);
  assert.deepEqual(triggered, [10, 11, 12]);
  // 10 fully acknowledged: its store hangs. 12 fully acknowledged meanwhile: 11 is subsumed, and
  // 12's store waits for 10's.
  coordinator.ack(10, "0/0", [], noStats);
  coordinator.ack(10, "1/0", [], noStats);
  coordinator.ack(11, "0/0", [], noStats);
  coordinator.ack(12, "0/0", [], noStats);
  coordinator.ack(12, "1/0", [], noStats);
  coordinator.ack(11, "1/0", [], noStats); // stale
  await tick(5);
  assert.deepEqual(stores, ["start 10"]);
  assert.deepEqual(
    failures.map((f) => [f.checkpointId, f.reason]),
    [[11, "subsumed"]],
  );
  releaseFirstStore();
  await coordinator.settled();
  coordinator.stop();
  assert.deepEqual(stores, ["start 10", "end 10", "start 12", "end 12"]);
  assert.deepEqual(completed, [10, 12]);
  assert.equal(coordinator.latest?.checkpointId, 12);
});

test("min-pause holds the next trigger after a completion even when the interval has passed", async () => {
  const triggeredAt: number[] = [];
  let completedAt = 0;
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 5, minPauseMs: 80 },
    {
      trigger: () => triggeredAt.push(Date.now()),
      snapshotEnumerators: () => new Map(),
      persist: async () => {},
      completed: () => {
        completedAt = Date.now();
      },
      log: () => {},
    },
  );
  coordinator.start(["0/0"]);
  while (triggeredAt.length < 1) await tick(2);
  await tick(20); // the interval passes while checkpoint 1 is pending
  coordinator.ack(1, "0/0", [], noStats);
  await coordinator.settled();
  while (triggeredAt.length < 2) await tick(2);
  coordinator.stop();
  assert.ok(
    triggeredAt[1]! - completedAt >= 78,
    `next trigger ${triggeredAt[1]! - completedAt} ms after the completion`,
  );
});

test("max concurrent and min-pause options are checked; unaligned checkpoints refuse concurrency", () => {
  const defaults = checkCheckpointingOptions({ intervalMs: 100 });
  assert.equal(defaults.maxConcurrent, 1);
  assert.equal(defaults.minPauseMs, 0);
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, maxConcurrent: 0 }),
    /checkpointing\.maxConcurrent must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, maxConcurrent: 1.5 }),
    /checkpointing\.maxConcurrent must be an integer >= 1, got 1\.5/,
  );
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, minPauseMs: -1 }),
    /checkpointing\.minPauseMs must be a number >= 0, got -1/,
  );
  assert.throws(
    () => checkCheckpointingOptions({ intervalMs: 100, maxConcurrent: 2, unaligned: true }),
    /checkpointing\.maxConcurrent is 2, but unaligned checkpoints run one at a time/,
  );
});

test("retention keeps the complete checkpoints a checkpoint still in flight may build on", async () => {
  const triggered: number[] = [];
  const basesAtStore = new Map<number, number[]>();
  const coordinator = new CheckpointCoordinator(
    { intervalMs: 3, maxConcurrent: 2, retained: 1 },
    {
      trigger: (id) => triggered.push(id),
      snapshotEnumerators: () => new Map(),
      persist: async (checkpoint) => {
        basesAtStore.set(checkpoint.checkpointId, [...coordinator.basesInUse()].sort());
      },
      completed: () => {},
      log: () => {},
    },
  );
  coordinator.start(["0/0"]);
  while (triggered.length < 2) await tick(2);
  coordinator.ack(1, "0/0", [], noStats); // 2 was triggered before any completion
  await coordinator.settled();
  while (triggered.length < 3) await tick(2); // 3 triggered after 1 completed: may build on 1
  coordinator.ack(2, "0/0", [], noStats);
  await coordinator.settled();
  // Storing 2, checkpoint 3 is in flight and may be a delta on 1: retention must keep 1.
  assert.deepEqual(basesAtStore.get(2), [1]);
  while (triggered.length < 4) await tick(2);
  coordinator.ack(3, "0/0", [], noStats);
  coordinator.ack(4, "0/0", [], noStats);
  await coordinator.settled();
  coordinator.stop();
  // Storing 3, only 4 is in flight, triggered after 2 completed: 1 may go, 2 stays.
  assert.deepEqual(basesAtStore.get(3), [2]);
  assert.deepEqual(coordinator.basesInUse(), new Set());
});

function recordingCoordinator(intervalMs: number) {
  const triggers: [number, BarrierOptions][] = [];
  const completed: { id: number; terminal: boolean }[] = [];
  const coordinator = new CheckpointCoordinator(
    { intervalMs, timeoutMs: 60_000 },
    {
      trigger: (id, options) => triggers.push([id, options]),
      snapshotEnumerators: () => new Map(),
      persist: async () => {},
      completed: (checkpoint) =>
        completed.push({ id: checkpoint.checkpointId, terminal: checkpoint.terminal === true }),
      log: () => {},
    },
  );
  return { coordinator, triggers, completed };
}

const wait = async (until: () => boolean) => {
  while (!until()) await new Promise((resolve) => setTimeout(resolve, 2));
};
const STATS = { alignmentMs: 0, snapshotMs: 0 };
const snapshot = (finished: boolean) => ({
  operatorId: "op",
  keyed: {},
  operator: {},
  ...(finished ? { finished } : {}),
});

test("stop-with-savepoint (suspend): a suspend barrier at once, despite the interval, and nothing after it", async () => {
  const { coordinator, triggers, completed } = recordingCoordinator(60_000);
  coordinator.start(["0/0"]);
  coordinator.stopWithSavepoint("suspend");
  await wait(() => triggers.length === 1);
  assert.equal(triggers[0]![1].suspend, true, "the terminal checkpoint's barrier suspends the tasks");
  assert.equal(triggers[0]![1].unaligned, undefined, "a savepoint is aligned");
  coordinator.ack(1, "0/0", [snapshot(false)], STATS);
  await coordinator.settled();
  assert.deepEqual(completed, [{ id: 1, terminal: true }]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(triggers.length, 1, "no checkpoint after the suspend checkpoint");
  coordinator.stop();
});

test("stop-with-savepoint (drain): the first checkpoint every task took after its end is the terminal one", async () => {
  const { coordinator, triggers, completed } = recordingCoordinator(5);
  coordinator.start(["0/0", "1/0"]);
  coordinator.stopWithSavepoint("drain");
  await wait(() => triggers.length === 1);
  assert.equal(triggers[0]![1].suspend, undefined, "draining tasks end by themselves: no suspend barrier");
  coordinator.ack(1, "0/0", [snapshot(true)], STATS);
  coordinator.ack(1, "1/0", [snapshot(false)], STATS);
  await coordinator.settled();
  await wait(() => triggers.length === 2);
  coordinator.ack(2, "0/0", [snapshot(true)], STATS);
  coordinator.ack(2, "1/0", [snapshot(true)], STATS);
  await coordinator.settled();
  coordinator.stop();
  assert.deepEqual(completed, [
    { id: 1, terminal: false },
    { id: 2, terminal: true },
  ]);
});

test("every task ended: the next checkpoint is due at once, and none follows one that every task took after its end", async () => {
  const { coordinator, triggers, completed } = recordingCoordinator(60_000);
  coordinator.start(["0/0"]);
  coordinator.expedite();
  await wait(() => triggers.length === 1);
  coordinator.ack(1, "0/0", [snapshot(true)], STATS);
  await coordinator.settled();
  await new Promise((resolve) => setTimeout(resolve, 20));
  coordinator.stop();
  assert.deepEqual(completed, [{ id: 1, terminal: false }]);
  assert.equal(triggers.length, 1, "the job is finishing: no checkpoint races its end");
});
