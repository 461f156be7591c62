import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { copySharedBlobs } from "./copy-shared-blobs.ts";
import { encodeCheckpointFile } from "./storage/checkpoint-format.ts";
import { LocalDirectoryBlobStore } from "./storage/local-directory-blob-store.ts";

const text = (value: string) => new TextEncoder().encode(value);

async function withStores(
  body: (from: LocalDirectoryBlobStore, to: LocalDirectoryBlobStore) => Promise<void>,
) {
  const root = await mkdtemp(join(tmpdir(), "weir-copy-shared-"));
  try {
    await body(
      new LocalDirectoryBlobStore({ root: join(root, "run") }),
      new LocalDirectoryBlobStore({ root: join(root, "savepoint") }),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test("copies every listed shared blob byte for byte, under the same keys", async () => {
  await withStores(async (from, to) => {
    const keys = Array.from({ length: 9 }, (_, i) => `shared/op-${i % 3}/1-${i}`);
    for (const key of keys) await from.put(key, encodeCheckpointFile(text(`state of ${key}`)));
    await from.put("shared/op-0/unlisted", encodeCheckpointFile(text("not referenced")));
    const bytes = await copySharedBlobs(from, to, keys, 2);
    assert.deepEqual(await to.list(), [...keys].sort());
    let expected = 0;
    for (const key of keys) {
      const original = (await from.get(key))!;
      expected += original.byteLength;
      assert.deepEqual(await to.get(key), original);
    }
    assert.equal(bytes, expected);
  });
});

test("a missing or damaged source blob fails the copy, naming it", async () => {
  await withStores(async (from, to) => {
    await assert.rejects(
      copySharedBlobs(from, to, ["shared/op/1-0"]),
      /shared blob "shared\/op\/1-0" is missing from/,
    );
    const damaged = encodeCheckpointFile(text("state"));
    damaged[damaged.length - 1]! ^= 0xff;
    await from.put("shared/op/1-1", damaged);
    await assert.rejects(copySharedBlobs(from, to, ["shared/op/1-1"]), /shared\/op\/1-1/);
    assert.deepEqual(await to.list(), [], "nothing damaged was copied");
  });
});
