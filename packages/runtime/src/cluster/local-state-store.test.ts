import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
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
