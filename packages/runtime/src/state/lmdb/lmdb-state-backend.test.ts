import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type ListState, StateDeclarations, type ValueState } from "@weir/api";
import { redistributeOperatorState } from "../../checkpoint/state-redistribution.ts";
import type { BlobStore } from "../../checkpoint/storage/blob-store.ts";
import { LocalDirectoryBlobStore } from "../../checkpoint/storage/local-directory-blob-store.ts";
import { keyGroupForKey, keyGroupRangeForOperator } from "../../keys/key-hash.ts";
import type { OperatorSnapshot } from "../../operators/stream-operator.ts";
import type { KeyedStateHandle } from "../keyed-state-handle.ts";
import { LmdbStateBackend } from "./lmdb-state-backend.ts";

const root = mkdtempSync(join(tmpdir(), "weir-lmdb-backend-"));
after(() => rmSync(root, { recursive: true, force: true }));
const blobs = new LocalDirectoryBlobStore({ root: join(root, "checkpoints") });
const MAX = 128;
const COUNT = StateDeclarations.value<number>("count");
const SEEN = StateDeclarations.list<string>("seen");
let instance = 0;

function backend(
  keyGroupRange: { start: number; end: number },
  store: BlobStore | undefined = blobs,
): LmdbStateBackend {
  return new LmdbStateBackend("counter", true, [COUNT, SEEN], () => 0, {
    directory: join(root, "work"),
    maxParallelism: MAX,
    keyGroupRange,
    ...(store !== undefined ? { blobs: store, blobPrefix: `shared/counter-${instance++}` } : {}),
  });
}

function write(b: LmdbStateBackend, key: number, value: number): void {
  b.setCurrentKey(key);
  (b.getState(COUNT) as ValueState<number>).update(value);
  (b.getState(SEEN) as ListState<string>).add(`v${value}`);
}

function read(b: LmdbStateBackend, key: number): [number | undefined, string[]] {
  b.setCurrentKey(key);
  return [
    (b.getState(COUNT) as ValueState<number>).value(),
    [...(b.getState(SEEN) as ListState<string>).get()],
  ];
}

async function snapshotOf(b: LmdbStateBackend, checkpointId: number): Promise<OperatorSnapshot> {
  const s = await b.snapshot(checkpointId).materialize();
  return {
    operatorId: "counter",
    keyed: s.keyed,
    operator: s.operator,
    ...(s.keyedHandle !== undefined ? { keyedHandles: [s.keyedHandle] } : {}),
  };
}

test("rescaling an LMDB checkpoint from 2 subtasks to 3 and to 1 puts every key on its owner only", async () => {
  const KEYS = 300;
  const old = [0, 1].map((i) => backend(keyGroupRangeForOperator(MAX, 2, i)));
  try {
    for (let key = 0; key < KEYS; key++) {
      const owner = keyGroupForKey(key, MAX) < 64 ? 0 : 1;
      write(old[owner]!, key, key * 2);
    }
    for (const b of old) b.endOfBatch();
    // Two checkpoints, so the handles carry a full step and a delta.
    let snapshots = await Promise.all(old.map((b) => snapshotOf(b, 1)));
    for (const b of old) b.notifyCheckpointComplete(1);
    for (let key = 0; key < KEYS; key += 7) write(old[keyGroupForKey(key, MAX) < 64 ? 0 : 1]!, key, -key);
    snapshots = await Promise.all(old.map((b) => snapshotOf(b, 2)));
    assert.deepEqual(
      snapshots.map((s) => s.keyedHandles![0]!.steps.map((step) => step.full)),
      [
        [true, false],
        [true, false],
      ],
    );
    for (const parallelism of [3, 1]) {
      const restored: LmdbStateBackend[] = [];
      try {
        for (let subtask = 0; subtask < parallelism; subtask++) {
          const range = keyGroupRangeForOperator(MAX, parallelism, subtask);
          const state = redistributeOperatorState(snapshots, parallelism, subtask, "counter");
          const b = backend(range);
          restored.push(b);
          await b.restore(state, () => true);
        }
        for (let key = 0; key < KEYS; key++) {
          const group = keyGroupForKey(key, MAX);
          const expected = key % 7 === 0 ? -key : key * 2;
          const history = key % 7 === 0 ? [`v${key * 2}`, `v${-key}`] : [`v${key * 2}`];
          restored.forEach((b, subtask) => {
            const { start, end } = keyGroupRangeForOperator(MAX, parallelism, subtask);
            const owns = group >= start && group <= end;
            assert.deepEqual(
              read(b, key),
              owns ? [expected, history] : [undefined, []],
              `key ${key} on subtask ${subtask} of ${parallelism}`,
            );
          });
        }
      } finally {
        for (const b of restored) await b.dispose();
      }
    }
  } finally {
    for (const b of old) await b.dispose();
  }
});

test("a damaged or swapped delta blob is detected on restore, naming the blob", async () => {
  const b = backend({ start: 0, end: MAX - 1 });
  try {
    for (let key = 0; key < 50; key++) write(b, key, key);
    await snapshotOf(b, 1);
    b.notifyCheckpointComplete(1);
    write(b, 3, 33);
    const first = await snapshotOf(b, 2);
    b.notifyCheckpointComplete(2);
    write(b, 4, 44);
    const second = await snapshotOf(b, 3);
    const handle = second.keyedHandles![0]!;
    assert.deepEqual(
      handle.steps.map((s) => [s.full, s.blobs.reduce((n, blob) => n + blob.entries, 0)]),
      [
        [true, 100],
        [false, 2],
        [false, 2],
      ],
      "deltas hold only the changed entries (2 states of 1 key)",
    );
    const delta = handle.steps[2]!.blobs[0]!;
    const file = join(root, "checkpoints", delta.key);
    const intact = readFileSync(file);

    const damaged = Buffer.from(intact);
    damaged[damaged.length - 3]! ^= 0xff;
    writeFileSync(file, damaged);
    const target = backend({ start: 0, end: MAX - 1 });
    try {
      await assert.rejects(
        async () => target.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true),
        (error: unknown) =>
          error instanceof Error && error.message.includes(delta.key) && /checksum/i.test(error.message),
      );
      // A well-formed blob of another checkpoint under this key is caught by the recorded checksum.
      const other = first.keyedHandles![0]!.steps[1]!.blobs[0]!;
      writeFileSync(file, readFileSync(join(root, "checkpoints", other.key)));
      await assert.rejects(
        async () => target.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true),
        (error: unknown) =>
          error instanceof Error && error.message.includes(delta.key) && error.message.includes(delta.sha256),
      );
      rmSync(file);
      await assert.rejects(
        async () => target.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true),
        new RegExp(`state blob ${delta.key}.* is missing`),
      );
    } finally {
      await target.dispose();
    }
  } finally {
    await b.dispose();
  }
});

/** A blob store whose writes fail while `failing` is set. */
function flaky(inner: BlobStore): BlobStore & { failing: boolean } {
  const store: BlobStore & { failing: boolean } = {
    failing: false,
    put: (key, bytes) =>
      store.failing ? Promise.reject(new Error("storage unavailable")) : inner.put(key, bytes),
    get: (key) => inner.get(key),
    exists: (key) => inner.exists(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => inner.delete(key),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
    close: () => inner.close(),
    description: inner.description,
  };
  return store;
}

test("a failed upload fails only its checkpoint: the backend goes on, and the next delta carries its changes", async () => {
  const store = flaky(blobs);
  const b = backend({ start: 0, end: MAX - 1 }, store);
  try {
    for (let key = 0; key < 20; key++) write(b, key, key);
    await snapshotOf(b, 1);
    b.notifyCheckpointComplete(1);
    write(b, 5, 500);
    store.failing = true;
    await assert.rejects(b.snapshot(2).materialize(), /storage unavailable/);
    store.failing = false;
    write(b, 6, 600);
    assert.deepEqual(read(b, 5), [500, ["v5", "v500"]]);
    const handle = (await snapshotOf(b, 3)).keyedHandles![0] as KeyedStateHandle;
    assert.deepEqual(
      handle.steps.map((s) => s.checkpointId),
      [1, 3],
    );
    const restored = backend({ start: 0, end: MAX - 1 });
    try {
      await restored.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true);
      assert.deepEqual(read(restored, 5), [500, ["v5", "v500"]]);
      assert.deepEqual(read(restored, 6), [600, ["v6", "v600"]]);
      assert.deepEqual(read(restored, 7), [7, ["v7"]]);
    } finally {
      await restored.dispose();
    }
  } finally {
    await b.dispose();
  }
});

test("state outlives the batch cache, prefetch accepts a batch's keys, and dispose removes the working directory", async () => {
  const b = backend({ start: 0, end: MAX - 1 }, undefined);
  write(b, 1, 10);
  b.endOfBatch();
  await b.prefetch([1, 2, "absent"]);
  assert.deepEqual(read(b, 1), [10, ["v10"]]);
  assert.deepEqual(read(b, 2), [undefined, []]);
  const directory = b.directory;
  await b.dispose();
  assert.throws(() => readFileSync(join(directory, "data.mdb")), /ENOENT/);
});

test("more changes than the backend tracks make the next checkpoint a full step, and the chain restarts", async () => {
  const b = new LmdbStateBackend("counter", true, [COUNT, SEEN], () => 0, {
    directory: join(root, "work"),
    maxParallelism: MAX,
    keyGroupRange: { start: 0, end: MAX - 1 },
    blobs,
    blobPrefix: `shared/counter-${instance++}`,
    maxTrackedChanges: 10,
  });
  try {
    for (let key = 0; key < 100; key++) write(b, key, key);
    await snapshotOf(b, 1);
    b.notifyCheckpointComplete(1);
    write(b, 1, 1000);
    b.endOfBatch();
    const delta = (await snapshotOf(b, 2)).keyedHandles![0]!;
    assert.deepEqual(
      delta.steps.map((s) => s.full),
      [true, false],
    );
    b.notifyCheckpointComplete(2);
    for (let key = 0; key < 12; key++) write(b, key, -key);
    b.endOfBatch();
    const full = (await snapshotOf(b, 3)).keyedHandles![0]!;
    assert.deepEqual(
      full.steps.map((s) => [s.checkpointId, s.full]),
      [[3, true]],
    );
    const restored = backend({ start: 0, end: MAX - 1 });
    try {
      await restored.restore({ keyed: {}, operator: {}, keyedHandles: [full] }, () => true);
      assert.deepEqual(read(restored, 1), [-1, ["v1", "v1000", "v-1"]]);
      assert.deepEqual(read(restored, 50), [50, ["v50"]]);
    } finally {
      await restored.dispose();
    }
  } finally {
    await b.dispose();
  }
});
