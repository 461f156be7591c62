import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { blobStoreConformance } from "./blob-store-conformance.ts";
import { encodeCheckpointFile } from "./checkpoint-format.ts";
import { sharedBlobKey } from "./checkpoint-layout.ts";
import { LocalBlobCache, pruneLocalBlobs } from "./local-blob-cache.ts";
import { LocalDirectoryBlobStore } from "./local-directory-blob-store.ts";

let base: string;
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), "weir-local-blob-cache-"));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

interface Fixture {
  readonly cache: LocalBlobCache;
  readonly remote: LocalDirectoryBlobStore;
  readonly localDir: string;
  readonly reads: { source: "local" | "remote"; bytes: number }[];
  readonly problems: string[];
}

function fixture(): Fixture {
  const dir = join(base, `case-${counter++}`);
  const remote = new LocalDirectoryBlobStore({ root: join(dir, "remote") });
  const localDir = join(dir, "local");
  const reads: Fixture["reads"] = [];
  const problems: string[] = [];
  const cache = new LocalBlobCache({
    remote,
    directory: localDir,
    onRead: (source, bytes) => reads.push({ source, bytes }),
    log: (problem) => problems.push(problem),
  });
  return { cache, remote, localDir, reads, problems };
}

// The cache is a BlobStore like any other: everything the contract says holds through it.
blobStoreConformance("LocalBlobCache", () => fixture().cache);

const blob = (text: string) => encodeCheckpointFile(new TextEncoder().encode(text));

test("a state blob put is kept locally too; a read is then served locally", async () => {
  const { cache, remote, localDir, reads, problems } = fixture();
  const key = sharedBlobKey("shared/op-1", 3, 0);
  const bytes = blob("state of checkpoint 3");
  await cache.put(key, bytes);
  assert.deepEqual(await remote.get(key), bytes, "the remote store got the blob");
  assert.ok(existsSync(join(localDir, "shared", "op-1", "3-0")), "and a local copy was kept");
  assert.deepEqual(await cache.get(key), bytes);
  assert.deepEqual(reads, [{ source: "local", bytes: bytes.byteLength }]);
  assert.deepEqual(problems, []);
  // Not a state blob: no local copy, reads are not counted.
  await cache.put("chk-3/_metadata", blob("metadata"));
  assert.ok(!existsSync(join(localDir, "chk-3")));
  assert.ok((await cache.get("chk-3/_metadata")) !== undefined);
  assert.equal(reads.length, 1);
});

test("a missing local copy is read remotely (logged) and kept for next time", async () => {
  const { cache, remote, reads, problems } = fixture();
  const key = sharedBlobKey("shared/op-2", 5, 1);
  const bytes = blob("written by another TaskManager");
  await remote.put(key, bytes);
  assert.deepEqual(await cache.get(key), bytes);
  assert.deepEqual(reads, [{ source: "remote", bytes: bytes.byteLength }]);
  assert.match(problems[0]!, /no local copy of state blob shared\/op-2\/5-1: reading it remotely/);
  assert.deepEqual(await cache.get(key), bytes);
  assert.equal(reads[1]!.source, "local", "the remote read was kept locally");
  assert.equal(await cache.get("shared/op-2/absent"), undefined, "absent everywhere is absent");
});

test("a damaged local copy is never returned: the remote blob is, with a log line", async () => {
  const { cache, localDir, reads, problems } = fixture();
  const key = sharedBlobKey("shared/op-3", 7, 0);
  const bytes = blob("the true state");
  await cache.put(key, bytes);
  const file = join(localDir, "shared", "op-3", "7-0");
  const damaged = readFileSync(file);
  damaged[damaged.length - 1]! ^= 0xff;
  writeFileSync(file, damaged);
  assert.deepEqual(await cache.get(key), bytes);
  assert.deepEqual(reads, [{ source: "remote", bytes: bytes.byteLength }]);
  assert.equal(problems.length, 1);
  assert.match(
    problems[0]!,
    /local copy of state blob shared\/op-3\/7-0 is damaged \(.*checksum.*\): reading it remotely/,
  );
  // Truncated below the header: refused as well.
  writeFileSync(file, "WEIR");
  assert.deepEqual(await cache.get(key), bytes);
  assert.equal(reads.at(-1)!.source, "remote");
  assert.match(problems[1]!, /is damaged/);
});

test("pruning deletes unreferenced blobs up to the completed checkpoint, never newer ones", async () => {
  const { cache, localDir } = fixture();
  const keys = {
    old: sharedBlobKey("shared/op-4", 1, 0),
    kept: sharedBlobKey("shared/op-4", 2, 0),
    replaced: sharedBlobKey("shared/op-4", 3, 0),
    newer: sharedBlobKey("shared/op-4", 4, 0),
  };
  for (const key of Object.values(keys)) await cache.put(key, blob(key));
  const deleted = pruneLocalBlobs(localDir, new Set([keys.kept]), 3);
  assert.deepEqual(deleted.sort(), [keys.old, keys.replaced].sort());
  const local = new LocalDirectoryBlobStore({ root: localDir });
  assert.deepEqual(await local.list("shared/"), [keys.kept, keys.newer]);
  assert.deepEqual(pruneLocalBlobs(join(localDir, "absent"), new Set(), 3), []);
});
