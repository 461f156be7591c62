import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeCheckpointFile } from "./checkpoint-format.ts";
import { CheckpointStore } from "./checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "./local-directory-blob-store.ts";

const text = (value: string) => new TextEncoder().encode(value);

async function withStore(body: (blobs: LocalDirectoryBlobStore, store: CheckpointStore) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), "weir-shared-retention-"));
  try {
    const blobs = new LocalDirectoryBlobStore({ root });
    await body(blobs, new CheckpointStore(blobs));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function writeWithShared(store: CheckpointStore, id: number, shared: string[]) {
  for (const key of shared) if (!(await store.blobs.exists(key))) await store.blobs.put(key, text(key));
  await store.write(id, { objects: new Map([["task", text(`state ${id}`)]]), sharedBlobs: shared });
}

test("retention deletes a shared blob once no retained checkpoint references it, and keeps shared ones", async () => {
  await withStore(async (blobs, store) => {
    await writeWithShared(store, 1, ["shared/op/1-0", "shared/op/1-1"]);
    await writeWithShared(store, 2, ["shared/op/1-0", "shared/op/2-0"]);
    // A blob written for a checkpoint that has not completed is nobody's to delete yet.
    await blobs.put("shared/op/3-0", text("pending"));
    assert.deepEqual(await store.retain(1), [1]);
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/1-0", "shared/op/2-0", "shared/op/3-0"]);
    await writeWithShared(store, 3, ["shared/op/3-0"]);
    assert.deepEqual(await store.retain(1), [2]);
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/3-0"]);
  });
});

test("an unreadable reference list of a retained checkpoint stops retention instead of deleting on a guess", async () => {
  await withStore(async (blobs, store) => {
    await writeWithShared(store, 1, ["shared/op/1-0"]);
    await writeWithShared(store, 2, ["shared/op/1-0"]);
    await blobs.put("chk-2/shared-refs", encodeCheckpointFile(text('{"not":"a list"}')));
    await assert.rejects(store.retain(1), /chk-2\/shared-refs.*not a list of shared blob keys/);
    assert.ok(await blobs.exists("shared/op/1-0"));
  });
});

test("shared blob keys must lie under shared/", async () => {
  await withStore(async (_blobs, store) => {
    await assert.rejects(
      store.write(1, { objects: new Map([["task", text("x")]]), sharedBlobs: ["chk-1/data/task"] }),
      /shared blob "chk-1\/data\/task" is not under shared\//,
    );
  });
});

test("a pinned checkpoint (a savepoint copying it) keeps itself and its shared blobs until unpinned", async () => {
  await withStore(async (blobs, store) => {
    await writeWithShared(store, 1, ["shared/op/1-0"]);
    await writeWithShared(store, 2, ["shared/op/2-0"]);
    assert.deepEqual(await store.retain(1, new Set([1])), []);
    assert.deepEqual(await store.listCompleted(), [1, 2]);
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/1-0", "shared/op/2-0"]);
    assert.deepEqual(await store.retain(1), [1], "the next retention after unpinning removes it");
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/2-0"]);
  });
});

test("blobs of checkpoints that never completed go once a later one completes; newer ones stay", async () => {
  await withStore(async (blobs, store) => {
    await writeWithShared(store, 1, ["shared/op-0/1-0"]);
    // Checkpoint 2 expired or was declined after op-1 uploaded its part; 4 is still being taken.
    await blobs.put("shared/op-1/2-0", text("orphan"));
    await blobs.put("shared/op-1/2-1", text("orphan"));
    await blobs.put("shared/op-0/4-0", text("pending"));
    // A key not named as workers name blobs is not guessed about.
    await blobs.put("shared/op-0/manual", text("unknown"));
    await writeWithShared(store, 3, ["shared/op-0/1-0", "shared/op-0/3-0"]);
    assert.deepEqual(await store.retain(1), [1]);
    assert.deepEqual(await blobs.list("shared/"), [
      "shared/op-0/1-0",
      "shared/op-0/3-0",
      "shared/op-0/4-0",
      "shared/op-0/manual",
    ]);
  });
});

test("the sweep runs even when no checkpoint is deleted, and keeps every blob a pinned one lists", async () => {
  await withStore(async (blobs, store) => {
    await writeWithShared(store, 1, ["shared/op/1-0"]);
    await blobs.put("shared/op/2-0", text("declined"));
    await writeWithShared(store, 3, ["shared/op/3-0"]);
    assert.deepEqual(await store.retain(2), []);
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/1-0", "shared/op/3-0"]);
    assert.deepEqual(await store.retain(1, new Set([1])), []);
    assert.deepEqual(await blobs.list("shared/"), ["shared/op/1-0", "shared/op/3-0"]);
  });
});
