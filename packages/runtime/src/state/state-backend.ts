/**
 * The state backend contract every operator's declared state goes through: the heap backend
 * (default, Flink's HashMapStateBackend) and the embedded on-disk LMDB backend implement it.
 *
 * Invariant: user state access is synchronous on every backend; anything slow (reading pages from
 * disk, encoding, uploading) happens in `prefetch` before a batch or in the asynchronous part of a
 * snapshot, never inside a user function.
 *
 * Sequence for one checkpoint, as the operator and its task drive it:
 * ```text
 * prefetch(keys of batch n)       // may warm a cache; processing waits for a returned promise
 * setCurrentKey(k) / handle calls // synchronous, per record
 * endOfBatch()                    // write-back backends persist the batch's changes here
 * snapshot(id)                    // SYNCHRONOUS PART at the barrier: capture a consistent view
 *                                 // (heap: a deep copy; LMDB: flush + a read transaction)
 * ... the task forwards the barrier and keeps processing batches n+1, n+2 ...
 * await capture.materialize()     // ASYNCHRONOUS PART: encode and upload; the task acknowledges
 *                                 // the checkpoint only when it resolves; a rejection declines it
 * notifyCheckpointComplete(id)    // an incremental backend may base its next delta on `id`
 * ```
 * @module
 */

import type { KeyValue, StateDeclaration } from "@weir/api";
import type { KeyedStateHandle } from "./keyed-state-handle.ts";

/** A key's canonical id (`canonicalKeyId`): what state tables are keyed by. */
export type KeyId = string | number | bigint | boolean | null;

/**
 * One declared state's storage as the state handles see it: a map from key id to the stored
 * value. The heap backend passes a plain `Map`; the LMDB backend a write-back cache over the
 * database. Handles may mutate a value they got in place (list push, map entries, TTL timestamps);
 * a backend that is not a `Map` must treat values it handed out as possibly changed.
 */
export interface StateTable {
  get(id: KeyId): unknown;
  set(id: KeyId, value: unknown): unknown;
  delete(id: KeyId): unknown;
}

/** What state handles read from their backend at call time. */
export interface KeyContext {
  readonly currentKeyId: KeyId;
  readonly broadcastWritable: boolean;
}

/** The backend's part of an operator snapshot (see `OperatorSnapshot`). */
export interface BackendSnapshot {
  /** Keyed state inline, as [key, value] pairs per state name (heap; LMDB without blob storage). */
  readonly keyed: Record<string, [unknown, unknown][]>;
  readonly operator: Record<string, { readonly redistribution: string; readonly value: unknown }>;
  readonly ttlStates: string[];
  /** Keyed state written by the worker to blob storage (LMDB); `keyed` is then empty. */
  readonly keyedHandle?: KeyedStateHandle;
}

/** The synchronous capture of a snapshot; `materialize` is its asynchronous part. */
export interface SnapshotCapture {
  /** Set when the capture is already the finished snapshot (heap): nothing asynchronous is left. */
  readonly ready?: BackendSnapshot;
  /** Encodes (and uploads) the captured view. Runs while the task keeps processing. */
  materialize(): Promise<BackendSnapshot>;
  /** Releases the captured view without materializing it (the checkpoint was abandoned). */
  discard(): void;
}

/** What a backend restores from: an operator snapshot's backend parts. */
export interface RestorableState {
  readonly keyed: Record<string, [unknown, unknown][]>;
  readonly operator: Record<string, { readonly value: unknown }>;
  readonly ttlStates?: readonly string[];
  /** Handles of old subtasks' keyed state in blob storage (several after rescaling). */
  readonly keyedHandles?: readonly KeyedStateHandle[];
}

export interface StateBackend extends KeyContext {
  readonly keyed: boolean;
  /** `heap` or `lmdb`, for logs and errors. */
  readonly kind: string;
  currentKey: KeyValue;
  currentKeyId: KeyId;
  broadcastWritable: boolean;
  setCurrentKey(key: KeyValue): void;
  getCurrentKey(): KeyValue;
  getState(declaration: StateDeclaration): unknown;
  /** Every key that has keyed state, as the original key values. */
  keysWithState(): KeyValue[];
  /**
   * The keys the next batch will access. A backend with slow reads warms its cache; a returned
   * promise makes the task wait before processing the batch. The heap backend ignores it.
   */
  prefetch(keys: readonly KeyValue[]): void | Promise<void>;
  /** The batch ended: a write-back backend persists the batch's changes. */
  endOfBatch(): void;
  /** The synchronous part of a snapshot (see the module comment). */
  snapshot(checkpointId: number): SnapshotCapture;
  /** Restores state; `acceptKey` filters keyed entries (a subtask keeps its own key groups). */
  restore(snapshot: RestorableState, acceptKey: (key: KeyValue) => boolean): void | Promise<void>;
  notifyCheckpointComplete(checkpointId: number): void;
  /** Releases files and handles; the backend must not be used afterwards. */
  dispose(): Promise<void>;
}
