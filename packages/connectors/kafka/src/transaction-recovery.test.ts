import assert from "node:assert/strict";
import { test } from "node:test";
import {
  claimRecovery,
  isRecoveryMarker,
  type KafkaRecoveryMarker,
  needsRecovery,
  orphanedTransactions,
  parseTransactionalId,
  registerWriter,
  unregisterWriter,
} from "./transaction-recovery.ts";

const marker = (subtask: number, parallelism: number, firstTransaction: number): KafkaRecoveryMarker => ({
  recovery: { writer: "w", subtask, parallelism, firstTransaction },
});

test("transactional ids are split only for the sink's own prefix and shape", () => {
  assert.deepEqual(parseTransactionalId("job", "job-2-17"), { subtask: 2, number: 17 });
  assert.equal(parseTransactionalId("job", "job-a-1-2"), undefined);
  assert.equal(parseTransactionalId("job", "job-1-2-3"), undefined);
  assert.equal(parseTransactionalId("job", "other-1-2"), undefined);
  assert.deepEqual(parseTransactionalId("job-1", "job-1-0-4"), { subtask: 0, number: 4 });
});

test("after 3 → 1, subtask 0 owns the open transactions of old subtasks 1 and 2 and its own older ones", () => {
  const listed = [
    { transactionalId: "p-0-4", state: "CompleteCommit" },
    { transactionalId: "p-0-5", state: "Ongoing" },
    { transactionalId: "p-0-6", state: "Ongoing" },
    { transactionalId: "p-1-9", state: "Ongoing" },
    { transactionalId: "p-2-3", state: "Ongoing" },
    { transactionalId: "p-2-2", state: "CompleteAbort" },
    { transactionalId: "q-1-1", state: "Ongoing" },
  ];
  // Writer 0 started at number 6: p-0-6 is its own open transaction.
  assert.deepEqual(orphanedTransactions("p", marker(0, 1, 6), listed), ["p-0-5", "p-1-9", "p-2-3"]);
});

test("at parallelism 2, ids are owned modulo 2 and the other live writer's are never touched", () => {
  const listed = ["p-0-3", "p-1-7", "p-1-8", "p-2-1", "p-3-2", "p-4-0"].map((transactionalId) => ({
    transactionalId,
    state: "Ongoing",
  }));
  assert.deepEqual(orphanedTransactions("p", marker(0, 2, 4), listed), ["p-0-3", "p-2-1", "p-4-0"]);
  assert.deepEqual(orphanedTransactions("p", marker(1, 2, 8), listed), ["p-1-7", "p-3-2"]);
});

test("a writer's recovery is claimed once, and never for a writer that is gone (a restored marker)", () => {
  const live: KafkaRecoveryMarker = {
    recovery: { writer: "live", subtask: 0, parallelism: 1, firstTransaction: 0 },
  };
  const gone: KafkaRecoveryMarker = {
    recovery: { writer: "gone", subtask: 0, parallelism: 1, firstTransaction: 0 },
  };
  registerWriter("live");
  assert.equal(needsRecovery("live"), true);
  assert.equal(claimRecovery(gone), false);
  assert.equal(claimRecovery(live), true);
  assert.equal(claimRecovery(live), false);
  assert.equal(needsRecovery("live"), false);
  unregisterWriter("live");
  assert.equal(needsRecovery("live"), false);
  assert.equal(isRecoveryMarker(live), true);
  assert.equal(
    isRecoveryMarker({ transactionalId: "p-0-1", producerId: "1", producerEpoch: 0, records: 3 }),
    false,
  );
});
