/**
 * The embedded on-disk state backend: keyed state in an LMDB environment in a local working
 * directory (state larger than memory), non-keyed and broadcast state on the heap (as in Flink).
 * Reads are synchronous (memory-mapped); a batch's writes go in one synchronous transaction at the
 * end of the batch (see `lmdb-state-table.ts`). The working directory is scratch space: durability
 * comes from checkpoints, so LMDB runs without fsync.
 *
 * Snapshots (worker-side, asynchronous, incremental):
 * - synchronous part at the barrier: write the batch's changes, open an LMDB read transaction (a
 *   consistent view that later writes do not change), and take the set of keys changed since the
 *   last checkpoint this backend heard completed;
 * - asynchronous part: read those keys (or every key, for a full step) in the read transaction,
 *   write them as state blobs into the checkpoint storage, and return a {@link KeyedStateHandle}:
 *   the previous completed checkpoint's steps plus the new one.
 * A full step is written for the first checkpoint, after a restore, every `maxDeltas` deltas, and
 * when more than half of the keys changed. Without checkpoint storage on the worker (checkpoints in
 * memory), keyed state goes inline into the snapshot as plain entries, like the heap backend's.
 *
 * Worked sequence (maxDeltas 2):
 * ```text
 * chk 1  changed {a,b}  no base            → full F1 [a,b]         handle [F1]
 * complete(1)                              → base = [F1]
 * chk 2  changed {b}    base [F1]          → delta D2 [b]          handle [F1,D2]
 * chk 3  changed {c}    (2 not completed)  → delta D3 [b,c]        handle [F1,D3]  (b again: 2 may never complete)
 * complete(3)                              → base = [F1,D3]; the change sets of 2 and 3 are dropped
 * chk 4  delete a       base [F1,D3]       → delta D4 [-a]         handle [F1,D3,D4]
 * complete(4); chk 5                       → chain of 2 deltas: full F5
 * ```
 * Invariant: a handle only references blobs of checkpoints that completed (or its own), so
 * retention, which keeps every blob a retained checkpoint references, never deletes a blob a
 * future checkpoint of this backend will reference.
 * @module
 */

import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyValue, StateDeclaration } from "@weir/api";
import { type Database, open, type RootDatabase } from "lmdb";
import type { BlobStore } from "../../checkpoint/storage/blob-store.ts";
import { encodeCheckpointFile, storedChecksum } from "../../checkpoint/storage/checkpoint-format.ts";
import { sharedBlobKey } from "../../checkpoint/storage/checkpoint-layout.ts";
import { keyGroupForKey } from "../../keys/key-hash.ts";
import type { KeyedStateHandle, StateBlobRef, StateStep } from "../keyed-state-handle.ts";
import type {
  BackendSnapshot,
  KeyId,
  RestorableState,
  SnapshotCapture,
  StateTable,
} from "../state-backend.ts";
import { StateBackendBase, snapshotValue } from "../state-backend-base.ts";
import { unexpiredCopy } from "../ttl-state-handles.ts";
import { LmdbStateTable } from "./lmdb-state-table.ts";
import { StateBlobBuilder } from "./state-changelog-format.ts";
import { forEachStateBlobEntry } from "./state-changelog-reader.ts";
import {
  decodeStateKeyId,
  decodeStateValue,
  encodeStateKey,
  encodeStateValue,
  keyGroupOfStateKey,
  stateIndexOfStateKey,
  withStateIndex,
} from "./state-key-codec.ts";

export interface LmdbStateBackendOptions {
  /** Parent of the working directories (default `<tmpdir>/weir-state`). */
  readonly directory?: string;
  readonly maxParallelism: number;
  /** This subtask's key groups (inclusive); restores keep only these. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** Checkpoint storage of the run; without it snapshots are inline. */
  readonly blobs?: BlobStore;
  /** Where restored state blobs are, when not in `blobs` (a savepoint's directory). */
  readonly restoreBlobs?: BlobStore;
  /** Blob key prefix of this backend's blobs, unique per backend instance (`shared/<...>`). */
  readonly blobPrefix?: string;
  /** Deltas on one full step before the next full step (default 10). */
  readonly maxDeltas?: number;
  /** Payload bytes per state blob (default 64 MiB). */
  readonly blobBytes?: number;
  /** Changed keys remembered between checkpoints before giving up on a delta (default 1 000 000). */
  readonly maxTrackedChanges?: number;
}

const MAX_TRACKED_CHANGES = 1_000_000;

/** Entries read from the read transaction before yielding to the event loop. */
const SLICE = 4096;

export class LmdbStateBackend extends StateBackendBase {
  readonly kind = "lmdb";
  readonly directory: string;
  readonly #env: RootDatabase;
  readonly #db: Database<Buffer, Buffer>;
  readonly #options: LmdbStateBackendOptions;
  readonly #tables: LmdbStateTable[] = [];
  readonly #stateNames: string[] = [];
  readonly #dirtyTables = new Set<LmdbStateTable>();
  #group = -1;
  /** Database keys (latin1) written since the last snapshot (only with blob storage). */
  #changed = new Set<string>();
  /** Too many changes to track: the next snapshot is a full step. */
  #forceFull = false;
  /** Change sets of snapshots whose checkpoint has not completed yet, by checkpoint id. */
  readonly #pending = new Map<number, { changed: Set<string>; handle?: KeyedStateHandle }>();
  /** The handle of the newest completed checkpoint: the base of the next delta. */
  #base: KeyedStateHandle | undefined;
  #blobCounter = 0;
  #disposed = false;
  /** Snapshots being materialized; `dispose` waits for them before closing the environment. */
  readonly #inflight = new Set<Promise<unknown>>();

  constructor(
    operatorName: string,
    keyed: boolean,
    declarations: readonly StateDeclaration[],
    now: () => number,
    options: LmdbStateBackendOptions,
  ) {
    super(operatorName, keyed, declarations, now);
    this.#options = options;
    const parent = options.directory ?? join(tmpdir(), "weir-state");
    const safe = operatorName.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 60) || "operator";
    this.directory = join(parent, `${safe}-${randomUUID().slice(0, 8)}`);
    mkdirSync(this.directory, { recursive: true });
    this.#env = open({
      path: this.directory,
      compression: false,
      noSync: true,
      noMetaSync: true,
      // The working copy is scratch space; a larger map only reserves address space.
      mapSize: 2 ** 40,
    });
    this.#db = this.#env.openDB<Buffer, Buffer>({ name: "keyed", encoding: "binary", keyEncoding: "binary" });
    this.createTables();
  }

  protected keyedTable(declaration: StateDeclaration): StateTable {
    const mutableOnRead =
      declaration.ttl !== undefined || declaration.kind === "list" || declaration.kind === "map";
    const table = new LmdbStateTable(this, this.#tables.length, mutableOnRead);
    this.#tables.push(table);
    this.#stateNames.push(declaration.name);
    return table;
  }

  override setCurrentKey(key: KeyValue): void {
    super.setCurrentKey(key);
    this.#group = -1;
  }

  currentGroup(): number {
    if (this.#group < 0) this.#group = keyGroupForKey(this.currentKey, this.#options.maxParallelism);
    return this.#group;
  }

  readBytes(key: Buffer): Uint8Array | undefined {
    return this.#db.get(key) ?? undefined;
  }

  markDirty(table: LmdbStateTable): void {
    this.#dirtyTables.add(table);
  }

  /**
   * Warms the OS page cache for the batch's keys on LMDB's own thread (a page fault on the task's
   * thread would stall it). Reads stay synchronous; the promise only makes the task wait until the
   * pages are in memory, which pays off when state is larger than memory.
   */
  override prefetch(keys: readonly KeyValue[]): Promise<void> | undefined {
    if (keys.length === 0 || this.#tables.length === 0) return undefined;
    const max = this.#options.maxParallelism;
    const ids: Buffer[] = [];
    for (const key of keys) {
      this.setCurrentKey(key);
      const group = keyGroupForKey(key, max);
      for (const table of this.#tables) ids.push(encodeStateKey(group, table.stateIndex, this.currentKeyId));
    }
    return this.#db.prefetch(ids);
  }

  /** Writes the batch's changes in one transaction and empties the read caches. */
  override endOfBatch(): void {
    if (this.#dirtyTables.size === 0) {
      for (const table of this.#tables) if (table.cachedEntries > 0) table.clearCache();
      return;
    }
    const db = this.#db;
    const changed = this.#changed;
    // Without blob storage there are no deltas; past the limit a full step is cheaper than a delta.
    const tracking = this.#options.blobs !== undefined && !this.#forceFull;
    this.#env.transactionSync(() => {
      for (const table of this.#tables) {
        table.flush((key, value) => {
          if (value === undefined) db.removeSync(key);
          else db.putSync(key, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
          if (tracking) changed.add(key.toString("latin1"));
        });
      }
    });
    this.#dirtyTables.clear();
    if (changed.size > (this.#options.maxTrackedChanges ?? MAX_TRACKED_CHANGES)) {
      this.#forceFull = true;
      changed.clear();
    }
  }

  keysWithState(): KeyValue[] {
    this.endOfBatch();
    const seen = new Map<KeyId, KeyValue>();
    for (const { key, value } of this.#db.getRange({})) {
      const id = decodeStateKeyId(key, this.operatorName);
      if (seen.has(id)) continue;
      seen.set(
        id,
        typeof id === "string" && id.startsWith("\u0000")
          ? decodeStateValue(value, id).key
          : (id as KeyValue),
      );
    }
    return [...seen.values()];
  }

  snapshot(checkpointId: number): SnapshotCapture {
    this.endOfBatch();
    const operator = this.snapshotOperatorState();
    const ttlStates = this.#stateNames.filter((name) => this.declarations.get(name)!.ttl !== undefined);
    const own = this.#changed;
    this.#changed = new Set();
    if (this.#options.blobs !== undefined) this.#pending.set(checkpointId, { changed: own });
    const transaction = this.#env.useReadTransaction();
    // TTL expiry is judged at the barrier, as the heap backend does.
    const now = this.now();
    let released = false;
    const release = () => {
      if (!released) transaction.done();
      released = true;
    };
    const blobs = this.#options.blobs;
    if (blobs === undefined) {
      const inline = async (): Promise<BackendSnapshot> => {
        try {
          return { keyed: await this.#inlineEntries(transaction, now), operator, ttlStates };
        } finally {
          release();
        }
      };
      return { materialize: () => this.#track(inline()), discard: release };
    }
    const base = this.#base;
    let deltaKeys: Set<string> | undefined;
    const forceFull = this.#forceFull;
    this.#forceFull = false;
    if (!forceFull && base !== undefined && base.steps.length <= (this.#options.maxDeltas ?? 10)) {
      deltaKeys = new Set();
      for (const [id, pending] of this.#pending) {
        if (id > base.checkpointId) for (const key of pending.changed) deltaKeys.add(key);
      }
      const entries = this.#db.getStats() as { entryCount: number };
      if (deltaKeys.size > entries.entryCount / 2) deltaKeys = undefined;
    }
    const upload = async (): Promise<BackendSnapshot> => {
      try {
        // Retention keeps the base while this checkpoint is in flight, even when others complete
        // meanwhile (the coordinator's `basesInUse`), so its blobs cannot go after this check; if an
        // earlier retention already removed them (this backend heard of a newer completion late),
        // a full step is written instead.
        if (deltaKeys !== undefined && !(await allExist(blobs, base!))) deltaKeys = undefined;
        const step = await this.#writeStep(blobs, checkpointId, transaction, deltaKeys, now);
        const handle: KeyedStateHandle = {
          format: "weir-state-changelog-v1",
          checkpointId,
          keyGroups: this.#options.keyGroupRange,
          steps: deltaKeys === undefined ? [step] : [...base!.steps, step],
        };
        const pending = this.#pending.get(checkpointId);
        if (pending !== undefined) pending.handle = handle;
        return { keyed: {}, operator, ttlStates, keyedHandle: handle };
      } finally {
        release();
      }
    };
    return { materialize: () => this.#track(upload()), discard: release };
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    const done = () => this.#inflight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Writes one step: every key (full) or the given keys (delta) as read in `transaction`. */
  async #writeStep(
    blobs: BlobStore,
    checkpointId: number,
    transaction: unknown,
    deltaKeys: Set<string> | undefined,
    now: number,
  ): Promise<StateStep> {
    const refs: StateBlobRef[] = [];
    const limit = this.#options.blobBytes ?? 64 * 1024 * 1024;
    const prefix = this.#options.blobPrefix ?? `shared/${randomUUID()}`;
    let builder = new StateBlobBuilder(this.#stateNames);
    const upload = async () => {
      const file = encodeCheckpointFile(builder.finish());
      const key = sharedBlobKey(prefix, checkpointId, this.#blobCounter++);
      await blobs.put(key, file);
      refs.push({ key, bytes: file.byteLength, sha256: storedChecksum(file), entries: builder.entries });
      builder = new StateBlobBuilder(this.#stateNames);
    };
    const db = this.#db;
    let n = 0;
    // Like the heap backend's, snapshots leave out expired values of states with a TTL.
    const ttlByIndex = this.#stateNames.map((name) => this.declarations.get(name)!);
    const visit = async (key: Buffer, stored: Buffer | undefined) => {
      let value: Uint8Array | undefined = stored;
      const declaration = ttlByIndex[stateIndexOfStateKey(key)];
      if (value !== undefined && declaration?.ttl !== undefined) {
        const id = decodeStateKeyId(key, this.operatorName);
        const decoded = decodeStateValue(value, id);
        const kept = unexpiredCopy(declaration.kind, decoded.value, declaration.ttl, now);
        value =
          kept === undefined
            ? undefined
            : encodeStateValue(this.revive(declaration.name, kept), id, decoded.key);
        if (value === undefined && deltaKeys === undefined) return;
      }
      if (value === undefined) builder.delete(key);
      else builder.put(key, value);
      if (builder.bytes >= limit) await upload();
      if (++n % SLICE === 0) await yieldToEventLoop();
    };
    if (deltaKeys === undefined) {
      let start: Buffer | undefined;
      for (;;) {
        const slice = [...db.getRange({ transaction, start, limit: SLICE } as never)] as {
          key: Buffer;
          value: Buffer;
        }[];
        for (const { key, value } of slice) await visit(key, value);
        if (this.#disposed) throw new Error(`${this.operatorName}: state backend closed during a snapshot`);
        if (slice.length < SLICE) break;
        // The next slice starts just after the last key.
        start = Buffer.concat([slice[slice.length - 1]!.key, Buffer.from([0])]);
      }
    } else {
      for (const latin1 of deltaKeys) {
        const key = Buffer.from(latin1, "latin1");
        await visit(key, (db.get(key, { transaction } as never) as Buffer | undefined) ?? undefined);
      }
    }
    if (builder.entries > 0 || refs.length === 0) await upload();
    return { checkpointId, full: deltaKeys === undefined, blobs: refs };
  }

  /** Every keyed entry read in `transaction`, decoded (no checkpoint storage on the worker). */
  async #inlineEntries(transaction: unknown, now: number): Promise<Record<string, [unknown, unknown][]>> {
    const keyed: Record<string, [unknown, unknown][]> = {};
    for (const name of this.#stateNames) keyed[name] = [];
    let n = 0;
    for (const { key, value } of this.#db.getRange({ transaction } as never)) {
      const name = this.#stateNames[stateIndexOfStateKey(key)]!;
      const declaration = this.declarations.get(name)!;
      const id = decodeStateKeyId(key, this.operatorName);
      const decoded = decodeStateValue(value, id);
      let stored = snapshotValue(decoded.value);
      if (declaration.ttl !== undefined) {
        stored = unexpiredCopy(declaration.kind, decoded.value, declaration.ttl, now);
        if (stored === undefined) continue;
      }
      keyed[name]!.push([decoded.key, stored]);
      if (++n % SLICE === 0) await yieldToEventLoop();
    }
    return keyed;
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    const pending = this.#pending.get(checkpointId);
    if (pending?.handle !== undefined) this.#base = pending.handle;
    for (const id of [...this.#pending.keys()]) if (id <= checkpointId) this.#pending.delete(id);
  }

  override restore(snapshot: RestorableState, acceptKey: (key: KeyValue) => boolean): void | Promise<void> {
    super.restore(snapshot, acceptKey);
    this.endOfBatch();
    // Restored keys are no change relative to any checkpoint of this backend: the next one is full.
    this.#changed.clear();
    this.#base = undefined;
    const handles = snapshot.keyedHandles;
    if (handles === undefined || handles.length === 0) return;
    const ttlStored = new Set(snapshot.ttlStates ?? []);
    const { start, end } = this.#options.keyGroupRange;
    const db = this.#db;
    const indexOf = new Map(this.#stateNames.map((name, i) => [name, i]));
    const checked = new Set<string>();
    let batch: [Buffer, Buffer | undefined][] = [];
    const write = () => {
      const writes = batch;
      batch = [];
      this.#env.transactionSync(() => {
        for (const [key, value] of writes) {
          if (value === undefined) db.removeSync(key);
          else db.putSync(key, value);
        }
      });
    };
    return forEachStateBlobEntry(
      this.#options.restoreBlobs ?? this.#options.blobs,
      handles,
      this.operatorName,
      (states, entry) => {
        const group = keyGroupOfStateKey(entry.key);
        if (group < start || group > end) return;
        const name = states[stateIndexOfStateKey(entry.key)];
        const index = name === undefined ? undefined : indexOf.get(name);
        if (index === undefined) {
          throw new Error(
            `${this.operatorName}: the snapshot has state ${JSON.stringify(name)}, which this operator does not declare`,
          );
        }
        if (!checked.has(name!)) {
          checked.add(name!);
          this.checkTtlStored(name!, ttlStored.has(name!));
          if (this.declarations.get(name!)!.ttl !== undefined && !ttlStored.has(name!)) {
            throw new Error(
              `${this.operatorName}: state "${name}" declares a TTL, but the snapshot holds it without TTL timestamps; a TTL cannot be added to existing state (restore without the TTL, or under a new state name)`,
            );
          }
        }
        batch.push([
          withStateIndex(entry.key, index),
          entry.value === undefined ? undefined : Buffer.from(entry.value),
        ]);
        if (batch.length >= SLICE) write();
      },
    ).then(() => {
      if (batch.length > 0) write();
    });
  }

  override async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.allSettled([...this.#inflight]);
    await this.#env.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

async function allExist(blobs: BlobStore, handle: KeyedStateHandle): Promise<boolean> {
  for (const step of handle.steps)
    for (const blob of step.blobs) if (!(await blobs.exists(blob.key))) return false;
  return true;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
