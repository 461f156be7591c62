/**
 * `node bench/src/state/checkpoint-benchmark.ts [--heap-mb N] [--lmdb-mb N] [--changed F] [--json]`:
 * checkpoint duration and size of keyed state, on the heap backend (full checkpoints, encoded and
 * stored as the coordinator does; copy-on-write capture at the barrier, as in the runtime's tasks) and on the LMDB backend (worker-written, full then incremental
 * with a fraction `F` of the keys changed, default 0.01), plus the restore of the incremental one.
 *
 * Each key holds one 1 KiB value of random bytes (incompressible), so N MB of state is about
 * N × 1000 keys. Durations: `sync` is the synchronous part at the barrier (the task is paused),
 * `async` the encoding and upload that run while the task goes on, `total` both. Storage is a local
 * directory under the system temp directory (on this machine's disk; no network).
 * @module
 */

import { randomFillSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { StateDeclarations, type ValueState } from "@weir/api";
import {
  CheckpointStore,
  checkpointToObjects,
  HeapStateBackend,
  type KeyedStateHandle,
  LmdbStateBackend,
  LocalDirectoryBlobStore,
} from "@weir/runtime";

const VALUE_BYTES = 1024;
const STATE = StateDeclarations.value<Uint8Array>("payload");
const MAX_PARALLELISM = 128;

export interface CheckpointMeasurement {
  readonly name: string;
  readonly backend: "heap" | "lmdb";
  readonly kind: "full" | "incremental" | "restore";
  readonly keys: number;
  /** Raw state (keys × value bytes). */
  readonly state_bytes: number;
  readonly changed_keys: number;
  readonly sync_ms: number;
  readonly async_ms: number;
  readonly total_ms: number;
  /** Bytes this checkpoint wrote to storage (for a restore: bytes read). */
  readonly written_bytes: number;
}

function value(): Uint8Array {
  return randomFillSync(new Uint8Array(VALUE_BYTES));
}

function ms(from: number): number {
  return Math.round((performance.now() - from) * 10) / 10;
}

async function heapFull(megabytes: number, root: string): Promise<CheckpointMeasurement> {
  const keys = megabytes * 1000;
  // As in the runtime's tasks: copy-on-write snapshots, deep-copied after the barrier.
  const backend = new HeapStateBackend("bench", true, [STATE], Date.now, { asyncSnapshots: true });
  const state = backend.getState(STATE) as ValueState<Uint8Array>;
  for (let key = 0; key < keys; key++) {
    backend.setCurrentKey(key);
    state.update(value());
  }
  const store = new CheckpointStore(new LocalDirectoryBlobStore({ root: join(root, "heap") }));
  const started = performance.now();
  const capture = backend.snapshot(1);
  const sync = ms(started);
  const asyncStarted = performance.now();
  const snapshot = await capture.materialize();
  // What the coordinator does with a heap snapshot: encode it and store it.
  const objects = checkpointToObjects({
    checkpointId: 1,
    triggeredAt: Date.now(),
    durationMs: 0,
    tasks: new Map([["1/0", [{ operatorId: "bench", ...snapshot }]]]),
    enumerators: new Map(),
    taskStats: new Map(),
  });
  await store.write(1, objects);
  const written = [...objects.objects.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
  return {
    name: `heap ${megabytes} MB full`,
    backend: "heap",
    kind: "full",
    keys,
    state_bytes: keys * VALUE_BYTES,
    changed_keys: keys,
    sync_ms: sync,
    async_ms: ms(asyncStarted),
    total_ms: ms(started),
    written_bytes: written,
  };
}

async function lmdbRuns(megabytes: number, changed: number, root: string): Promise<CheckpointMeasurement[]> {
  const keys = megabytes * 1000;
  const blobs = new LocalDirectoryBlobStore({ root: join(root, "lmdb-checkpoints") });
  const options = {
    directory: join(root, "lmdb-work"),
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 },
    blobs,
  };
  const backend = new LmdbStateBackend("bench", true, [STATE], Date.now, {
    ...options,
    blobPrefix: "shared/bench",
  });
  const results: CheckpointMeasurement[] = [];
  try {
    const state = backend.getState(STATE) as ValueState<Uint8Array>;
    for (let key = 0; key < keys; key++) {
      backend.setCurrentKey(key);
      state.update(value());
      if (key % 1000 === 999) backend.endOfBatch();
    }
    backend.endOfBatch();
    const measure = async (checkpointId: number, kind: "full" | "incremental", changedKeys: number) => {
      const started = performance.now();
      const capture = backend.snapshot(checkpointId);
      const sync = ms(started);
      const asyncStarted = performance.now();
      const snapshot = await capture.materialize();
      const handle = snapshot.keyedHandle!;
      const own = handle.steps.at(-1)!;
      results.push({
        name: `lmdb ${megabytes} MB ${kind}`,
        backend: "lmdb",
        kind,
        keys,
        state_bytes: keys * VALUE_BYTES,
        changed_keys: changedKeys,
        sync_ms: sync,
        async_ms: ms(asyncStarted),
        total_ms: ms(started),
        written_bytes: own.blobs.reduce((sum, blob) => sum + blob.bytes, 0),
      });
      backend.notifyCheckpointComplete(checkpointId);
      return handle;
    };
    await measure(1, "full", keys);
    // Every `step`-th key changes, spread over all key groups.
    const changedKeys = Math.max(1, Math.round(keys * changed));
    const step = Math.floor(keys / changedKeys);
    for (let i = 0; i < changedKeys; i++) {
      backend.setCurrentKey(i * step);
      state.update(value());
      if (i % 1000 === 999) backend.endOfBatch();
    }
    backend.endOfBatch();
    const handle: KeyedStateHandle = await measure(2, "incremental", changedKeys);
    if (handle.steps.length !== 2 || handle.steps[1]!.full)
      throw new Error("expected a full step and a delta");
    const restored = new LmdbStateBackend("bench", true, [STATE], Date.now, options);
    try {
      const started = performance.now();
      await restored.restore({ keyed: {}, operator: {}, keyedHandles: [handle] }, () => true);
      results.push({
        name: `lmdb ${megabytes} MB restore`,
        backend: "lmdb",
        kind: "restore",
        keys,
        state_bytes: keys * VALUE_BYTES,
        changed_keys: changedKeys,
        sync_ms: 0,
        async_ms: ms(started),
        total_ms: ms(started),
        written_bytes: handle.steps.reduce((sum, s) => sum + s.blobs.reduce((n, b) => n + b.bytes, 0), 0),
      });
      restored.setCurrentKey(step);
      if ((restored.getState(STATE) as ValueState<Uint8Array>).value()?.byteLength !== VALUE_BYTES)
        throw new Error("restored state is missing a value");
    } finally {
      await restored.dispose();
    }
  } finally {
    await backend.dispose();
  }
  return results;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const parsed = Number(args[at + 1]);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} needs a positive number, got ${args[at + 1]}`);
  return parsed;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const heapMb = Math.round(option(args, "--heap-mb", 100));
  const lmdbMb = Math.round(option(args, "--lmdb-mb", 1024));
  const changed = option(args, "--changed", 0.01);
  const json = args.includes("--json");
  const root = mkdtempSync(join(tmpdir(), "weir-checkpoint-bench-"));
  try {
    if (!json)
      console.log(
        `Weir checkpoint benchmark: node ${process.version}, ${availableParallelism()} CPUs, storage ${root}`,
      );
    const results = [await heapFull(heapMb, root), ...(await lmdbRuns(lmdbMb, changed, root))];
    for (const r of results) {
      if (json) console.log(JSON.stringify(r));
      else
        console.log(
          `${r.name.padEnd(26)} keys ${String(r.keys).padStart(8)}  changed ${String(r.changed_keys).padStart(8)}  ` +
            `sync ${r.sync_ms.toFixed(1).padStart(8)} ms  async ${r.async_ms.toFixed(1).padStart(9)} ms  ` +
            `total ${r.total_ms.toFixed(1).padStart(9)} ms  ${r.kind === "restore" ? "read" : "written"} ${(r.written_bytes / 1e6).toFixed(1).padStart(8)} MB`,
        );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
