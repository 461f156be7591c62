/**
 * The {@link BlobStore} contract as tests: `blobStoreConformance` registers the same suite for any
 * implementation, so the local and S3 stores are held to one behaviour and the checkpoint code
 * above them can rely on the interface alone.
 *
 * Invariant: every clause of the contract in `blob-store.ts` has a test here that fails on a store
 * breaking it (except put atomicity under concurrent readers, which the local store tests itself:
 * s3rver, the S3 stand-in, writes objects in place and would fail it where real S3 does not).
 * @module
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidBlobKeyError } from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";

/** Returns a fresh, empty store for each call; stores are closed by the suite. */
export type BlobStoreFactory = () => BlobStore | Promise<BlobStore>;

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

export const INVALID_KEYS: readonly string[] = [
  "",
  "/etc/passwd",
  "../outside",
  "a/../../outside",
  "a/..",
  "a//b",
  "a/",
  "./a",
  "a/./b",
  "a\\b",
  "..\\outside",
  "a\u0000b",
  "C:/windows",
  "a/.weir-tmp-123",
];

export function blobStoreConformance(name: string, factory: BlobStoreFactory): void {
  /** Runs `body` on a fresh store and closes it afterwards, even when the body fails. */
  const withStore = (title: string, body: (store: BlobStore) => Promise<void>) =>
    test(title, async () => {
      const store = await factory();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });

  describe(`BlobStore conformance: ${name}`, () => {
    withStore("put then get returns the same bytes, including empty and all byte values", async (store) => {
      const every = new Uint8Array(256).map((_, i) => i);
      await store.put("a", every);
      await store.put("nested/deeper/b", bytes());
      assert.deepEqual(await store.get("a"), every);
      assert.deepEqual(await store.get("nested/deeper/b"), bytes());
      assert.ok((await store.get("a")) instanceof Uint8Array);
    });

    withStore(
      "a missing object reads as undefined / false, and so does a 'directory' of keys",
      async (store) => {
        assert.equal(await store.get("missing"), undefined);
        assert.equal(await store.exists("missing"), false);
        await store.put("dir/child", bytes(1));
        assert.equal(await store.exists("dir/child"), true);
        assert.equal(await store.exists("dir"), false);
        assert.equal(await store.get("dir"), undefined);
        assert.equal(await store.get("dir/child/grandchild"), undefined);
        assert.equal(await store.exists("dir/child/grandchild"), false);
      },
    );

    withStore(
      "put replaces the whole object: a shorter value leaves no tail of the longer one",
      async (store) => {
        await store.put("k", text("a much longer first value"));
        await store.put("k", text("short"));
        assert.deepEqual(await store.get("k"), text("short"));
      },
    );

    withStore("the stored bytes are independent of the caller's buffers", async (store) => {
      const input = bytes(1, 2, 3);
      await store.put("k", input);
      input[0] = 99;
      const read = (await store.get("k"))!;
      read[1] = 99;
      assert.deepEqual(await store.get("k"), bytes(1, 2, 3));
    });

    withStore("a 3 MiB object round-trips", async (store) => {
      const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
      await store.put("big", big);
      assert.deepEqual(await store.get("big"), big);
    });

    withStore("keys with URL-special and non-ASCII characters round-trip and list", async (store) => {
      const keys = ["sp ace", "plus+sign", "pct%20", "q?x=1&y#z", "tilde~", "ünï/cødé", "emoji😀"];
      for (const [i, key] of keys.entries()) await store.put(key, bytes(i));
      for (const [i, key] of keys.entries()) assert.deepEqual(await store.get(key), bytes(i), key);
      assert.deepEqual(await store.list(), [...keys].sort(byCodePoint));
    });

    withStore("list matches a plain string prefix, sorted by code point, like S3", async (store) => {
      for (const key of [
        "chk-1/_metadata",
        "chk-1/data/x",
        "chk-10/data/y",
        "chk-2/z",
        "other",
        "a😀",
        "a\uFFFD",
      ]) {
        await store.put(key, bytes(0));
      }
      assert.deepEqual(await store.list("chk-1"), ["chk-1/_metadata", "chk-1/data/x", "chk-10/data/y"]);
      assert.deepEqual(await store.list("chk-1/"), ["chk-1/_metadata", "chk-1/data/x"]);
      assert.deepEqual(await store.list("chk-1/data/"), ["chk-1/data/x"]);
      assert.deepEqual(await store.list("chk-1/da"), ["chk-1/data/x"]);
      assert.deepEqual(await store.list("nothing"), []);
      assert.deepEqual(await store.list("nothing/"), []);
      // U+FFFD sorts before U+1F600 by code point (and S3's UTF-8 order), though not by UTF-16 unit.
      assert.deepEqual(await store.list(), [
        "a\uFFFD",
        "a😀",
        "chk-1/_metadata",
        "chk-1/data/x",
        "chk-10/data/y",
        "chk-2/z",
        "other",
      ]);
      assert.deepEqual(await store.list(""), await store.list());
    });

    withStore("an empty store lists nothing", async (store) => {
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await store.list("x/"), []);
    });

    withStore("delete removes one object, is idempotent, and leaves longer keys alone", async (store) => {
      await store.put("a/b", bytes(1));
      await store.put("a/bc", bytes(2));
      await store.delete("a/b");
      await store.delete("a/b");
      await store.delete("never-written");
      await store.delete("a"); // a "directory", not an object: nothing happens
      assert.equal(await store.exists("a/b"), false);
      assert.deepEqual(await store.list(), ["a/bc"]);
    });

    withStore("deletePrefix removes exactly the matching keys and counts them", async (store) => {
      for (const key of ["chk-1/_metadata", "chk-1/data/x/y", "chk-10/data/y", "chk-2/z"]) {
        await store.put(key, bytes(0));
      }
      assert.equal(await store.deletePrefix("chk-1/"), 2);
      assert.deepEqual(await store.list(), ["chk-10/data/y", "chk-2/z"]);
      assert.equal(await store.deletePrefix("chk-1/"), 0);
      assert.equal(await store.deletePrefix("chk-"), 2);
      assert.deepEqual(await store.list(), []);
      // The emptied place can be written again.
      await store.put("chk-1/data/x/y", bytes(7));
      assert.deepEqual(await store.get("chk-1/data/x/y"), bytes(7));
    });

    withStore("deletePrefix refuses the empty prefix", async (store) => {
      await store.put("keep", bytes(1));
      await assert.rejects(store.deletePrefix(""), InvalidBlobKeyError);
      assert.deepEqual(await store.list(), ["keep"]);
    });

    withStore("concurrent puts to different keys all land", async (store) => {
      const keys = Array.from({ length: 40 }, (_, i) => `p/${i % 4}/k${i}`);
      await Promise.all(keys.map((key, i) => store.put(key, bytes(i))));
      assert.equal((await store.list("p/")).length, 40);
      for (const [i, key] of keys.entries()) assert.deepEqual(await store.get(key), bytes(i));
    });

    withStore("invalid keys are rejected by every operation, with an error naming the key", async (store) => {
      for (const key of INVALID_KEYS) {
        const named = (error: unknown) =>
          error instanceof InvalidBlobKeyError &&
          error.key === key &&
          error.message.includes(JSON.stringify(key));
        await assert.rejects(store.put(key, bytes(1)), named, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), named, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.exists(key), named, `exists ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), named, `delete ${JSON.stringify(key)}`);
      }
      for (const prefix of ["../", "/abs", "a//", "a\\", "a/../"]) {
        await assert.rejects(store.list(prefix), InvalidBlobKeyError, `list ${JSON.stringify(prefix)}`);
        await assert.rejects(store.deletePrefix(prefix), InvalidBlobKeyError, `deletePrefix ${prefix}`);
      }
      assert.deepEqual(await store.list(), []);
    });
  });
}

function byCodePoint(a: string, b: string): number {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return Buffer.compare(x, y);
}
