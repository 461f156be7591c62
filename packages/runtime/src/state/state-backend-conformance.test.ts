import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { LocalDirectoryBlobStore } from "../checkpoint/storage/local-directory-blob-store.ts";
import { HeapStateBackend } from "./heap-state-backend.ts";
import { LmdbStateBackend } from "./lmdb/lmdb-state-backend.ts";
import { type BackendFactory, stateBackendConformance } from "./state-backend-conformance.ts";

const root = mkdtempSync(join(tmpdir(), "weir-state-conformance-"));
after(() => rmSync(root, { recursive: true, force: true }));
const blobs = new LocalDirectoryBlobStore({ root: join(root, "checkpoints") });
const ALL_GROUPS = { start: 0, end: 127 };

const heap: BackendFactory = ({ keyed, states, now }) =>
  new HeapStateBackend("op", keyed, states, now, { blobs });
const heapAsync: BackendFactory = ({ keyed, states, now }) =>
  new HeapStateBackend("op", keyed, states, now, { blobs, asyncSnapshots: true });
const lmdb: BackendFactory = ({ keyed, states, now, keyGroupRange }) =>
  new LmdbStateBackend("op", keyed, states, now, {
    directory: join(root, "lmdb"),
    maxParallelism: 128,
    keyGroupRange: keyGroupRange ?? ALL_GROUPS,
    blobs,
    blobPrefix: `shared/op-${Math.random().toString(36).slice(2)}`,
  });
const lmdbInline: BackendFactory = ({ keyed, states, now, keyGroupRange }) =>
  new LmdbStateBackend("op", keyed, states, now, {
    directory: join(root, "lmdb-inline"),
    maxParallelism: 128,
    keyGroupRange: keyGroupRange ?? ALL_GROUPS,
  });

stateBackendConformance("heap", heap, { name: "lmdb", create: lmdb });
stateBackendConformance("heap (copy-on-write snapshots)", heapAsync, { name: "lmdb", create: lmdb });
stateBackendConformance("lmdb", lmdb, { name: "heap", create: heap });
stateBackendConformance("lmdb (inline snapshots)", lmdbInline, { name: "heap", create: heap });
