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
