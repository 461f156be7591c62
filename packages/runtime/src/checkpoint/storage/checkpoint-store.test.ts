import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { InvalidBlobKeyError } from "./blob-key.ts";
import type { BlobStore } from "./blob-store.ts";
import { encodeCheckpointFile } from "./checkpoint-format.ts";
import { CheckpointStore } from "./checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "./local-directory-blob-store.ts";
import { type S3TestServer, startS3TestServer } from "./s3-test-server.ts";

const text = (value: string) => new TextEncoder().encode(value);

/** A delegating store whose puts and gets can be made to fail, to play crashes and outages. */
class FaultyStore implements BlobStore {
  readonly inner: BlobStore;
  failPut: (key: string) => boolean = () => false;
  failGet: (key: string) => boolean = () => false;
  constructor(inner: BlobStore) {
    this.inner = inner;
  }
  get description() {
    return this.inner.description;
  }
  async put(key: string, bytes: Uint8Array) {
    if (this.failPut(key)) throw new Error(`injected put failure for ${key}`);
    return this.inner.put(key, bytes);
  }
  async get(key: string) {
    if (this.failGet(key)) throw new Error(`injected get failure for ${key}`);
    return this.inner.get(key);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  list(prefix?: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  deletePrefix(prefix: string) {
    return this.inner.deletePrefix(prefix);
  }
  close() {
    return this.inner.close();
  }
}

/** A checkpoint whose contents say which one it is, so a wrong restore cannot pass unnoticed. */
function checkpointContents(id: number) {
  return {
    objects: new Map([
      ["op-1/subtask-0", text(`state of op-1/0 at ${id}`)],
      ["op-1/subtask-1", text(`state of op-1/1 at ${id}`)],
      ["source/offsets", text(`offsets at ${id}`)],
    ]),
    manifest: text(`manifest ${id}`),
  };
}

/** Reads, changes and rewrites one stored object, as bit rot or a bad disk would. */
async function damage(
  blobs: BlobStore,
  key: string,
  change: (bytes: Uint8Array) => Uint8Array,
): Promise<void> {
  const bytes = await blobs.get(key);
  assert.ok(bytes !== undefined, `${key} should exist before it is damaged`);
  await blobs.put(key, change(new Uint8Array(bytes)));
}

function checkpointStoreScenarios(name: string, newBlobStore: () => BlobStore): void {
  describe(`CheckpointStore on ${name}`, () => {
    /** A store holding complete checkpoints 1..count, with the log lines it writes. */
    async function withCheckpoints(
      count: number,
      body: (s: {
        store: CheckpointStore;
        blobs: FaultyStore;
        lines: string[];
        log: (line: string) => void;
      }) => Promise<void>,
    ) {
      const blobs = new FaultyStore(newBlobStore());
      const store = new CheckpointStore(blobs);
      const lines: string[] = [];
      try {
        for (let id = 1; id <= count; id++) await store.write(id, checkpointContents(id));
        await body({ store, blobs, lines, log: (line) => lines.push(line) });
      } finally {
        await blobs.close();
      }
    }

    /** Damages checkpoint 2 of 2, then expects checkpoint 1 back and a log line naming 2 and `problem`. */
    async function expectFallback(damageIt: (blobs: BlobStore) => Promise<void>, problem: RegExp) {
      await withCheckpoints(2, async ({ store, blobs, lines, log }) => {
        await damageIt(blobs);
        const restored = await store.latestValid(log);
        assert.equal(restored?.checkpointId, 1);
        assert.deepEqual(restored.objects, checkpointContents(1).objects);
        assert.equal(lines.length, 2, lines.join("\n"));
        assert.match(lines[0]!, /^checkpoint 2 in .* skipped: /);
        assert.match(lines[0]!, problem);
        assert.match(lines[1]!, /^restoring checkpoint 1 from .* \(1 newer checkpoint\(s\) skipped\)$/);
      });
    }

    test("writes checkpoints and restores the newest one exactly", async () => {
      await withCheckpoints(3, async ({ store, lines, log }) => {
        assert.deepEqual(await store.listCompleted(), [1, 2, 3]);
        const restored = await store.latestValid(log);
        assert.ok(restored !== undefined);
        assert.equal(restored.checkpointId, 3);
        assert.deepEqual(restored.manifest, text("manifest 3"));
        assert.deepEqual(restored.objects, checkpointContents(3).objects);
        assert.deepEqual(
          [...restored.objects.keys()],
          ["op-1/subtask-0", "op-1/subtask-1", "source/offsets"],
        );
        assert.deepEqual(lines.length, 1);
        assert.match(lines[0]!, /^restoring checkpoint 3 from /);
      });
    });

    test("a flipped byte in a data object falls back to the previous checkpoint", async () => {
      await expectFallback(
        (blobs) =>
          damage(blobs, "chk-2/data/op-1/subtask-1", (bytes) => {
            bytes[bytes.length - 2]! ^= 0x01;
            return bytes;
          }),
        /checkpoint file "chk-2\/data\/op-1\/subtask-1": checksum mismatch/,
      );
    });

    test("a truncated data object falls back", async () => {
      await expectFallback(
        (blobs) => damage(blobs, "chk-2/data/source/offsets", (bytes) => bytes.subarray(0, bytes.length - 5)),
        /"chk-2\/data\/source\/offsets": truncated/,
      );
    });

    test("a missing _metadata (a partial checkpoint) falls back", async () => {
      await expectFallback((blobs) => blobs.delete("chk-2/_metadata"), /incomplete: it has no _metadata/);
    });

    test("a _metadata of an unknown format version falls back, naming the version", async () => {
      await expectFallback(
        (blobs) =>
          damage(blobs, "chk-2/_metadata", (bytes) => {
            new DataView(bytes.buffer).setUint32(8, 9);
            return bytes;
          }),
        /"chk-2\/_metadata": format version 9 is not supported \(this build reads 1\)/,
      );
    });

    test("a data object of an unknown format version falls back", async () => {
      await expectFallback(
        (blobs) =>
          damage(blobs, "chk-2/data/op-1/subtask-0", (bytes) => {
            new DataView(bytes.buffer).setUint32(8, 2);
            return bytes;
          }),
        /"chk-2\/data\/op-1\/subtask-0": format version 2 is not supported/,
      );
    });

    test("a truncated _metadata falls back", async () => {
      await expectFallback(
        (blobs) => damage(blobs, "chk-2/_metadata", (bytes) => bytes.subarray(0, 30)),
        /"chk-2\/_metadata": truncated/,
      );
    });

    test("a missing data object falls back", async () => {
      await expectFallback(
        (blobs) => blobs.delete("chk-2/data/op-1/subtask-0"),
        /data object "op-1\/subtask-0" is missing/,
      );
    });

    test("an intact data object that is not the one _metadata lists falls back", async () => {
      await expectFallback(
        async (blobs) =>
          blobs.put("chk-2/data/source/offsets", (await blobs.get("chk-1/data/source/offsets"))!),
        /data object "source\/offsets" is intact but not the one _metadata lists/,
      );
    });

    test("skips several bad checkpoints, newest first, and starts fresh when none is valid", async () => {
      await withCheckpoints(3, async ({ store, blobs, lines, log }) => {
        await blobs.put("chk-4/data/op-1/subtask-0", encodeCheckpointFile(text("never finished")));
        await blobs.delete("chk-3/data/source/offsets");
        await damage(blobs, "chk-2/_metadata", (bytes) => bytes.subarray(0, 60));
        await blobs.put("chk-1/_metadata", text("not a checkpoint file"));
        assert.equal(await store.latestValid(log), undefined);
        assert.equal(lines.length, 5, lines.join("\n"));
        assert.match(lines[0]!, /^checkpoint 4 .* skipped: incomplete/);
        assert.match(lines[1]!, /^checkpoint 3 .* skipped: data object "source\/offsets" is missing/);
        assert.match(lines[2]!, /^checkpoint 2 .* skipped: .*"chk-2\/_metadata": truncated/);
        assert.match(lines[3]!, /^checkpoint 1 .* skipped: .*"chk-1\/_metadata": not a Weir checkpoint file/);
        assert.match(lines[4]!, /^no valid checkpoint in .*; starting from empty state$/);
      });
    });

    test("an empty store restores nothing and says so", async () => {
      await withCheckpoints(0, async ({ store, lines, log }) => {
        assert.equal(await store.latestValid(log), undefined);
        assert.deepEqual(await store.listCompleted(), []);
        assert.equal(lines.length, 1);
        assert.match(lines[0]!, /^no checkpoint in .*; starting from empty state$/);
      });
    });

    test("a write that fails midway leaves an incomplete checkpoint that restore passes over", async () => {
      await withCheckpoints(1, async ({ store, blobs, lines, log }) => {
        blobs.failPut = (key) => key === "chk-2/data/source/offsets";
        await assert.rejects(store.write(2, checkpointContents(2)), /injected put failure/);
        blobs.failPut = () => false;
        // Settled, not abandoned: the puts that were running finished before write rejected.
        assert.deepEqual(await blobs.list("chk-2/"), [
          "chk-2/data/op-1/subtask-0",
          "chk-2/data/op-1/subtask-1",
        ]);
        assert.deepEqual(await store.listCompleted(), [1]);
        assert.equal((await store.latestValid(log))?.checkpointId, 1);
        assert.match(lines[0]!, /^checkpoint 2 .* skipped: incomplete/);
        // The id was never completed, so a retry may use it.
        await store.write(2, checkpointContents(2));
        assert.equal((await store.latestValid(() => {}))?.checkpointId, 2);
      });
    });

    test("a storage failure while restoring rejects instead of falling back", async () => {
      await withCheckpoints(2, async ({ store, blobs, lines, log }) => {
        blobs.failGet = (key) => key === "chk-2/data/op-1/subtask-1";
        await assert.rejects(store.latestValid(log), /injected get failure for chk-2\/data\/op-1\/subtask-1/);
        assert.deepEqual(lines, []);
      });
    });

    test("writes are checked: ids are not reused, names and ids must be valid", async () => {
      await withCheckpoints(1, async ({ store, blobs }) => {
        await assert.rejects(
          store.write(1, checkpointContents(1)),
          /checkpoint 1 already exists in .*never reused/,
        );
        await assert.rejects(
          store.write(5, {
            objects: new Map([
              ["ok", text("x")],
              ["../escape", text("y")],
            ]),
          }),
          InvalidBlobKeyError,
        );
        await assert.rejects(store.write(-1, checkpointContents(1)), RangeError);
        await assert.rejects(store.write(1.5, checkpointContents(1)), RangeError);
        assert.deepEqual(await blobs.list("chk-5"), []);
      });
    });

    test("a checkpoint with no objects and no manifest round-trips", async () => {
      await withCheckpoints(0, async ({ store, log }) => {
        await store.write(0, { objects: new Map() });
        const restored = await store.latestValid(log);
        assert.equal(restored?.checkpointId, 0);
        assert.deepEqual(restored.manifest, new Uint8Array(0));
        assert.equal(restored.objects.size, 0);
      });
    });

    test("retain keeps the newest complete checkpoints and in-progress ones, deletes the rest", async () => {
      await withCheckpoints(4, async ({ store, blobs }) => {
        await blobs.delete("chk-2/_metadata"); // an old leftover
        await blobs.put("chk-6/data/x", encodeCheckpointFile(text("in progress"))); // being written now
        assert.deepEqual(await store.retain(2), [1, 2]);
        assert.deepEqual(await store.listCompleted(), [3, 4]);
        assert.deepEqual(await blobs.list("chk-1/"), []);
        assert.deepEqual(await blobs.list("chk-2/"), []);
        assert.deepEqual(await blobs.list("chk-6/"), ["chk-6/data/x"]);
        assert.deepEqual(await store.retain(2), []);
        await assert.rejects(store.retain(0), RangeError);
      });
    });

    test("many objects are written and read with bounded concurrency", async () => {
      await withCheckpoints(0, async ({ store, log }) => {
        const objects = new Map(
          Array.from({ length: 60 }, (_, i) => [`op/${i % 5}/part-${i}`, text(`p${i}`)] as const),
        );
        await store.write(1, { objects });
        assert.deepEqual((await store.latestValid(log))?.objects, objects);
      });
    });
  });
}

let sandbox: string;
let counter = 0;
let s3: S3TestServer | undefined;
before(async () => {
  sandbox = await mkdtemp(join(tmpdir(), "weir-checkpoint-store-"));
  s3 = await startS3TestServer();
});
after(async () => {
  await s3?.close();
  await rm(sandbox, { recursive: true, force: true });
});

checkpointStoreScenarios(
  "a local directory",
  () => new LocalDirectoryBlobStore({ root: join(sandbox, `store-${counter++}`) }),
);
checkpointStoreScenarios("S3 (s3rver)", () => {
  if (s3 === undefined) throw new Error("the s3rver test server did not start (see the before hook's error)");
  return s3.newStore();
});
