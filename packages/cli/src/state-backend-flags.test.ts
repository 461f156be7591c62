/** `weir run --state-backend/--state-dir`: parsed into the invocation, refused when they make no sense. */

import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseRunArgs, type RunInvocation } from "./run-command.ts";

// Any existing file will do: parsing checks only that the job file exists.
const JOB = fileURLToPath(import.meta.url);

function parse(...flags: string[]): RunInvocation {
  const invocation = parseRunArgs([JOB, ...flags]);
  assert.notEqual(invocation, "help");
  return invocation as RunInvocation;
}

test("--state-backend selects the backend (Flink's hashmap means heap) and --state-dir LMDB's directory", () => {
  assert.equal(parse().stateBackend, undefined);
  assert.deepEqual(parse("--state-backend", "hashmap").stateBackend, { kind: "heap" });
  assert.deepEqual(parse("--state-backend", "LMDB").stateBackend, { kind: "lmdb" });
  assert.deepEqual(parse("--state-backend", "lmdb", "--state-dir", "work/state").stateBackend, {
    kind: "lmdb",
    directory: resolve("work/state"),
  });
});

test("an unknown backend and --state-dir without lmdb are usage errors naming the flag", () => {
  assert.throws(
    () => parse("--state-backend", "rocksdb"),
    /--state-backend: unknown state backend "rocksdb"; expected "heap" \(alias "hashmap"\) or "lmdb"/,
  );
  assert.throws(() => parse("--state-dir", "x"), /--state-dir needs --state-backend lmdb/);
  assert.throws(
    () => parse("--state-backend", "heap", "--state-dir", "x"),
    /--state-dir needs --state-backend lmdb/,
  );
});
