import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { StateDeclarations, type ValueState } from "@weir/api";
import fc from "fast-check";
import { CheckpointStore, type CheckpointToWrite } from "../../checkpoint/storage/checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "../../checkpoint/storage/local-directory-blob-store.ts";
import { blobKeysOf, type KeyedStateHandle } from "../keyed-state-handle.ts";
import { LmdbStateBackend } from "./lmdb-state-backend.ts";

const root = mkdtempSync(join(tmpdir(), "weir-lmdb-incremental-"));
after(() => rmSync(root, { recursive: true, force: true }));

const COUNT = StateDeclarations.value<number>("count");
const ALL_GROUPS = { start: 0, end: 127 };
let run = 0;
let deltasSeen = 0;

function backend(blobs: LocalDirectoryBlobStore, maxDeltas: number): LmdbStateBackend {
  return new LmdbStateBackend("op", true, [COUNT], () => 0, {
    directory: join(root, "work"),
    maxParallelism: 128,
    keyGroupRange: ALL_GROUPS,
    blobs,
    blobPrefix: `shared/op-${run++}`,
    maxDeltas,
    // Small blobs, so steps span several blobs.
    blobBytes: 4096,
  });
}

/** Every key's value as a restored backend reads it. */
async function restoredContents(
  blobs: LocalDirectoryBlobStore,
  handle: KeyedStateHandle,
  keys: number,
): Promise<Map<number, number>> {
  const restored = backend(blobs, 10);
  deltasSeen += handle.steps.length - 1;
  try {
    await restored.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true);
    const count = restored.getState(COUNT) as ValueState<number>;
    const contents = new Map<number, number>();
    for (let key = 0; key < keys; key++) {
      restored.setCurrentKey(key);
      const value = count.value();
      if (value !== undefined) contents.set(key, value);
    }
    return contents;
  } finally {
    await restored.dispose();
  }
}

type Op = { kind: "put"; key: number; value: number } | { kind: "delete"; key: number };
interface Round {
  readonly ops: Op[];
  /** Whether the checkpoint completes (otherwise it is abandoned, as after a timeout). */
  readonly completes: boolean;
}

const KEYS = 200;
const op = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), key: fc.nat(KEYS - 1), value: fc.integer() }),
  fc.record({ kind: fc.constant("delete" as const), key: fc.nat(KEYS - 1) }),
);
const rounds = fc.array(fc.record({ ops: fc.array(op, { maxLength: 30 }), completes: fc.boolean() }), {
  minLength: 1,
  maxLength: 8,
});

test("incremental checkpoints: restoring any retained checkpoint gives the model's state at it, and retention deletes only unreferenced blobs", async () => {
  await fc.assert(
    fc.asyncProperty(
      rounds,
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      async (plan: Round[], maxDeltas, retain) => {
        const blobs = new LocalDirectoryBlobStore({ root: join(root, `chk-${run}`) });
        const store = new CheckpointStore(blobs);
        const live = backend(blobs, maxDeltas);
        const count = live.getState(COUNT) as ValueState<number>;
        const model = new Map<number, number>();
        const modelAt = new Map<number, Map<number, number>>();
        const handles = new Map<number, KeyedStateHandle>();
        try {
          // Every key has state, so a round changes few of them and deltas are the common case.
          for (let key = 0; key < KEYS; key++) {
            live.setCurrentKey(key);
            count.update(key);
            model.set(key, key);
          }
          for (const [index, round] of plan.entries()) {
            const checkpointId = index + 1;
            for (const o of round.ops) {
              live.setCurrentKey(o.key);
              if (o.kind === "put") {
                count.update(o.value);
                model.set(o.key, o.value);
              } else {
                count.clear();
                model.delete(o.key);
              }
            }
            const capture = live.snapshot(checkpointId);
            const atBarrier = new Map(model);
            // Changes after the barrier belong to the next checkpoint.
            live.setCurrentKey(0);
            count.update(-1);
            model.set(0, -1);
            live.endOfBatch();
            const snapshot = await capture.materialize();
            const handle = snapshot.keyedHandle!;
            if (!round.completes) continue;
            const written: CheckpointToWrite = {
              objects: new Map([["task", new Uint8Array([1])]]),
              sharedBlobs: blobKeysOf(handle),
            };
            await store.write(checkpointId, written);
            await store.retain(retain);
            live.notifyCheckpointComplete(checkpointId);
            handles.set(checkpointId, handle);
            modelAt.set(checkpointId, atBarrier);
          }
          const retained = await store.listCompleted();
          const needed = new Set(retained.flatMap((id) => blobKeysOf(handles.get(id)!)));
          for (const id of retained) {
            const actual = await restoredContents(blobs, handles.get(id)!, KEYS);
            assert.deepEqual(actual, modelAt.get(id), `checkpoint ${id}`);
            for (const key of needed)
              assert.ok(await blobs.exists(key), `blob ${key} of a retained checkpoint`);
          }
          // A blob only completed, now-dropped checkpoints referenced is gone.
          const dropped = [...handles.keys()].filter((id) => !retained.includes(id));
          for (const id of dropped)
            for (const key of blobKeysOf(handles.get(id)!))
              if (!needed.has(key))
                assert.equal(await blobs.exists(key), false, `blob ${key} should be deleted`);
        } finally {
          await live.dispose();
        }
      },
    ),
    { numRuns: 15 },
  );
  assert.ok(deltasSeen > 0, "some restores replayed deltas");
});
