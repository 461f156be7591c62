import assert from "node:assert/strict";
import { test } from "node:test";
import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { KeyedStateHandle, StateStep } from "../state/keyed-state-handle.ts";
import { checkpointSize } from "./checkpoint-size.ts";

const step = (checkpointId: number, full: boolean, blobs: [string, number][]): StateStep => ({
  checkpointId,
  full,
  blobs: blobs.map(([key, bytes]) => ({ key, bytes, sha256: "0".repeat(64), entries: 1 })),
});

const handle = (checkpointId: number, steps: StateStep[]): KeyedStateHandle => ({
  format: "weir-state-changelog-v1",
  checkpointId,
  keyGroups: { start: 0, end: 127 },
  steps,
});

function checkpoint(id: number, tasks: [string, KeyedStateHandle[]][]): CompletedCheckpoint {
  return {
    checkpointId: id,
    triggeredAt: 0,
    durationMs: 1,
    tasks: new Map(
      tasks.map(([task, handles]) => [
        task,
        [{ operatorId: "op", keyedHandles: handles } as unknown as OperatorSnapshot],
      ]),
    ),
    enumerators: new Map(),
    taskStats: new Map(),
  };
}

test("a checkpoint adds its own step's blobs; its full size counts every blob it references, once", () => {
  const objects = { "0/0": 200, "0/1": 300 };
  const chk2 = checkpoint(2, [
    [
      "0/0",
      [handle(2, [step(1, true, [["shared/a/1-0", 10_000]]), step(2, false, [["shared/a/2-1", 500]])])],
    ],
    [
      "0/1",
      [
        handle(2, [
          step(2, true, [
            ["shared/b/2-0", 7_000],
            ["shared/b/2-1", 1_000],
          ]),
        ]),
      ],
    ],
  ]);
  const size = checkpointSize(chk2, 600, (task) => objects[task as keyof typeof objects]);
  assert.equal(size.checkpointedBytes, 600 + 500 + 8_000);
  assert.equal(size.fullBytes, 600 + 10_000 + 500 + 8_000);
  assert.deepEqual(size.tasks.get("0/0"), { checkpointedBytes: 200 + 500, fullBytes: 200 + 10_500 });
  assert.deepEqual(size.tasks.get("0/1"), { checkpointedBytes: 300 + 8_000, fullBytes: 300 + 8_000 });
});

test("without handles (heap state) both sizes are the objects' bytes; a blob named twice counts once", () => {
  const heap = checkpointSize(checkpoint(5, [["0/0", []]]), 1_234, () => 1_000);
  assert.equal(heap.checkpointedBytes, 1_234);
  assert.equal(heap.fullBytes, 1_234);
  const shared = step(3, true, [["shared/a/3-0", 4_000]]);
  const twice = checkpointSize(
    checkpoint(4, [
      ["0/0", [handle(4, [shared, step(4, false, [["shared/a/4-0", 10]])]), handle(4, [shared])]],
    ]),
    0,
    () => 0,
  );
  assert.equal(twice.fullBytes, 4_010);
  assert.equal(twice.checkpointedBytes, 10);
});
