import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { blobStoreConformance, INVALID_KEYS } from "./blob-store-conformance.ts";
import { DEFAULT_CHECKPOINT_DIRECTORY, LocalDirectoryBlobStore } from "./local-directory-blob-store.ts";

let base: string;
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), "weir-local-blob-"));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Each store gets its own root inside a sandbox directory, so escapes would land in the sandbox. */
function freshStore(): LocalDirectoryBlobStore {
  return new LocalDirectoryBlobStore({ root: join(base, `sandbox-${counter++}`, "root") });
}

blobStoreConformance("LocalDirectoryBlobStore", freshStore);

/** Every file under `directory`, relative, with `/` separators. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

test("the default root is .weir/checkpoints under the working directory, fixed at construction", () => {
  assert.equal(DEFAULT_CHECKPOINT_DIRECTORY, ".weir/checkpoints");
  assert.equal(new LocalDirectoryBlobStore().root, resolve(".weir/checkpoints"));
  assert.equal(new LocalDirectoryBlobStore({ root: "relative/dir" }).root, resolve("relative/dir"));
});

test("readers never see a partial object while puts replace it", async () => {
  const store = freshStore();
  // Large enough that a non-atomic write would be observed half done.
  const a = new Uint8Array(4 * 1024 * 1024).fill(0xaa);
  const b = new Uint8Array(4 * 1024 * 1024).fill(0xbb);
  await store.put("k", a);
  let writing = true;
  const writer = (async () => {
    for (let i = 0; i < 12 && writing; i++) await store.put("k", i % 2 === 0 ? b : a);
    writing = false;
  })();
  let reads = 0;
  try {
    while (writing) {
      const read = (await store.get("k"))!;
      reads++;
      assert.equal(read.byteLength, a.byteLength, "a reader saw a partial object");
      assert.ok(read[0] === read[read.byteLength - 1], "a reader saw a mix of two objects");
    }
  } finally {
    writing = false;
    await writer;
  }
  assert.ok(reads > 0);
});

test("puts leave no temp files, and temp files left by a crash are not listed", async () => {
  const store = freshStore();
  await Promise.all(Array.from({ length: 10 }, (_, i) => store.put(`d/k${i}`, new Uint8Array([i]))));
  const files = await filesUnder(store.root);
  assert.deepEqual(files, Array.from({ length: 10 }, (_, i) => `d/k${i}`).sort());
  // A crash between write and rename leaves a temp file behind.
  await writeFile(join(store.root, "d", ".weir-tmp-crashed"), "partial");
  assert.equal((await store.list()).length, 10);
  assert.equal((await store.list("d/.weir")).length, 0);
});

test("invalid keys never touch the file system outside (or inside) the root", async () => {
  const sandbox = join(base, `sandbox-${counter++}`);
  const store = new LocalDirectoryBlobStore({ root: join(sandbox, "root") });
  await mkdir(sandbox, { recursive: true });
  for (const key of INVALID_KEYS) await assert.rejects(store.put(key, new Uint8Array([1])));
  assert.deepEqual(await filesUnder(sandbox), []);
});

test("a key that is also a directory of keys is refused with a clear error, leaving no temp file", async () => {
  const store = freshStore();
  await store.put("a/b", new Uint8Array([1]));
  await assert.rejects(store.put("a", new Uint8Array([2])), /cannot put "a" .*directory of other keys/);
  await store.put("file", new Uint8Array([1]));
  await assert.rejects(
    store.put("file/child", new Uint8Array([2])),
    /cannot put "file\/child" .*parent of it is an object/,
  );
  assert.deepEqual(await filesUnder(store.root), ["a/b", "file"]);
});

test("deleting objects removes the directories they emptied, but not the root", async () => {
  const store = freshStore();
  await store.put("chk-1/data/op/0", new Uint8Array([1]));
  await store.put("chk-1/_metadata", new Uint8Array([1]));
  await store.put("chk-2/_metadata", new Uint8Array([1]));
  await store.deletePrefix("chk-1/");
  assert.deepEqual(await readdir(store.root), ["chk-2"]);
  await store.delete("chk-2/_metadata");
  assert.deepEqual(await readdir(store.root), []);
});

test("deletePrefix also removes temp files of crashed puts under the prefix, and only those", async () => {
  const store = freshStore();
  await store.put("chk-1/data/x", new Uint8Array([1]));
  await store.put("chk-10/data/x", new Uint8Array([1]));
  await writeFile(join(store.root, "chk-1", "data", ".weir-tmp-crashed"), "partial");
  await writeFile(join(store.root, "chk-10", ".weir-tmp-crashed"), "partial");
  await writeFile(join(store.root, ".weir-tmp-at-root"), "partial");
  assert.equal(await store.deletePrefix("chk-1/"), 1);
  assert.deepEqual(await filesUnder(store.root), [
    ".weir-tmp-at-root",
    "chk-10/.weir-tmp-crashed",
    "chk-10/data/x",
  ]);
  // "chk-1" as a partial prefix covers chk-10's directory too.
  assert.equal(await store.deletePrefix("chk-1"), 1);
  assert.deepEqual(await filesUnder(store.root), [".weir-tmp-at-root"]);
});

test("files the store did not write with valid names are not listed", async () => {
  const store = freshStore();
  await store.put("ok", new Uint8Array([1]));
  await writeFile(join(store.root, "back\\slash"), "x");
  assert.deepEqual(await store.list(), ["ok"]);
});
