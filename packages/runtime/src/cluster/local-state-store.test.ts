import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeCheckpointFile } from "../checkpoint/storage/checkpoint-format.ts";
import { sharedBlobKey } from "../checkpoint/storage/checkpoint-layout.ts";
import { LocalBlobCache } from "../checkpoint/storage/local-blob-cache.ts";
import { LocalDirectoryBlobStore } from "../checkpoint/storage/local-directory-blob-store.ts";
import { LocalStateStore } from "./local-state-store.ts";

const JOB = "0123456789abcdef0123456789abcdef";

test("copies round-trip, older checkpoints go when a newer one completes, discard empties a job", () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-local-state-"));
  try {
    const store = new LocalStateStore(join(dir, "tm"));
    const snapshot = [{ operatorId: "op", keyed: { s: [[1, 2n]] }, operator: {} }];
    store.write(JOB, 3, 0, 1, snapshot);
    store.write(JOB, 4, 0, 1, [{ operatorId: "op", keyed: {}, operator: {} }]);
    assert.deepEqual(store.read(JOB, 3, 0, 1), snapshot);
    store.completed(JOB, 4);
    assert.deepEqual(store.checkpoints(JOB), [4]);
    assert.throws(() => store.read(JOB, 3, 0, 1), /no local copy of task 0\/1 for checkpoint 3 \(ENOENT\)/);
    store.discard(JOB);
    assert.deepEqual(store.checkpoints(JOB), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a corrupt copy is refused with where and why; a new store starts empty", () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-local-state-"));
  try {
    const store = new LocalStateStore(join(dir, "tm"));
    store.write(JOB, 2, 1, 0, { value: 42 });
    const file = join(dir, "tm", JOB, "chk-2", "1-0.state");
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(file, bytes);
    assert.throws(
      () => store.read(JOB, 2, 1, 0),
      /local copy of task 1\/0 for checkpoint 2 is corrupt \(checksum mismatch\)/,
    );
    writeFileSync(file, "short");
    assert.throws(() => store.read(JOB, 2, 1, 0), /is corrupt/);
    const restarted = new LocalStateStore(join(dir, "tm"));
    assert.deepEqual(restarted.checkpoints(JOB), [], "a restarted TaskManager holds no copies");
    assert.throws(() => store.write("../etc", 1, 0, 0, {}), /malformed job id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("local state blobs go once no retained copy references them; a newer checkpoint's stay", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-local-state-"));
  try {
    const store = new LocalStateStore(join(dir, "tm"));
    const blobs = new LocalBlobCache({
      remote: new LocalDirectoryBlobStore({ root: join(dir, "remote") }),
      directory: store.blobDirectory(JOB),
    });
    const key = (checkpointId: number) => sharedBlobKey("shared/op", checkpointId, 0);
    for (const id of [1, 2, 3, 4]) await blobs.put(key(id), encodeCheckpointFile(Buffer.from(`chk ${id}`)));
    const handle = (checkpointId: number, steps: number[]) => ({
      format: "weir-state-changelog-v1",
      checkpointId,
      keyGroups: { start: 0, end: 127 },
      steps: steps.map((id) => ({ checkpointId: id, full: id === steps[0], blobs: [{ key: key(id) }] })),
    });
    // Checkpoint 3 is a delta on 1 (2 was a delta replaced since); 4 is not acknowledged yet.
    store.write(JOB, 2, 0, 0, [{ operatorId: "op", keyed: {}, keyedHandles: [handle(2, [1, 2])] }]);
    store.write(JOB, 3, 0, 0, [{ operatorId: "op", keyed: {}, keyedHandles: [handle(3, [1, 3])] }]);
    store.completed(JOB, 3);
    const local = new LocalDirectoryBlobStore({ root: store.blobDirectory(JOB) });
    assert.deepEqual(await local.list("shared/"), [key(1), key(3), key(4)]);
    store.discard(JOB);
    assert.deepEqual(await local.list("shared/"), [], "the job's local blobs went with it");
    assert.throws(() => store.blobDirectory("../x"), /malformed job id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
