/**
 * Chooses and builds an operator's state backend from the job's `state.backend` setting (Flink's
 * names: `hashmap` is accepted for `heap`, `rocksdb`-like embedded storage is `lmdb`).
 * @module
 */

import type { StateDeclaration } from "@weir/api";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import { HeapStateBackend } from "./heap-state-backend.ts";
import { LmdbStateBackend } from "./lmdb/lmdb-state-backend.ts";
import type { StateBackend } from "./state-backend.ts";

/** The `state.backend` settings of a job. @public */
export interface StateBackendOptions {
  /** `heap` (default) keeps state in JS Maps; `lmdb` keeps keyed state on local disk. */
  readonly kind: "heap" | "lmdb";
  /** Parent directory of LMDB working directories (default `<tmpdir>/weir-state`). */
  readonly directory?: string;
  /** LMDB: deltas between two full checkpoint steps (default 10). */
  readonly maxDeltas?: number;
}

/** Reads a user's backend name; throws naming the accepted values. */
export function parseStateBackendKind(value: string, where: string): StateBackendOptions["kind"] {
  const normalized = value.trim().toLowerCase();
  if (normalized === "heap" || normalized === "hashmap") return "heap";
  if (normalized === "lmdb") return "lmdb";
  throw new TypeError(
    `${where}: unknown state backend ${JSON.stringify(value)}; expected "heap" (alias "hashmap") or "lmdb"`,
  );
}

export interface StateBackendContext {
  readonly operatorName: string;
  /** Unique within the job: names the backend's blobs. */
  readonly operatorId: string;
  readonly subtask: number;
  readonly keyed: boolean;
  readonly states: readonly StateDeclaration[];
  readonly now: () => number;
  readonly maxParallelism: number;
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** The run's checkpoint storage, when the worker can reach it. */
  readonly blobs?: BlobStore;
  /** Where restored state blobs are, when not in `blobs` (a savepoint's directory). */
  readonly restoreBlobs?: BlobStore;
  /** The task completes snapshots asynchronously (see `OperatorEnvironment.asyncSnapshots`). */
  readonly asyncSnapshots?: boolean;
}

export function createStateBackend(
  options: StateBackendOptions | undefined,
  context: StateBackendContext,
): StateBackend {
  const kind = options?.kind ?? "heap";
  // Non-keyed operators only have operator state, which lives on the heap on every backend.
  if (kind === "heap" || !context.keyed || context.states.length === 0) {
    const blobs = context.restoreBlobs ?? context.blobs;
    return new HeapStateBackend(context.operatorName, context.keyed, context.states, context.now, {
      ...(blobs !== undefined ? { blobs } : {}),
      ...(context.asyncSnapshots === true ? { asyncSnapshots: true } : {}),
    });
  }
  if (kind !== "lmdb") throw new TypeError(`unknown state backend ${JSON.stringify(kind)}`);
  const safeId = context.operatorId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80) || "operator";
  return new LmdbStateBackend(context.operatorName, context.keyed, context.states, context.now, {
    maxParallelism: context.maxParallelism,
    keyGroupRange: context.keyGroupRange,
    ...(options?.directory !== undefined ? { directory: options.directory } : {}),
    ...(options?.maxDeltas !== undefined ? { maxDeltas: options.maxDeltas } : {}),
    ...(context.restoreBlobs !== undefined ? { restoreBlobs: context.restoreBlobs } : {}),
    ...(context.blobs !== undefined
      ? {
          blobs: context.blobs,
          blobPrefix: `shared/${safeId}-${context.subtask}-${crypto.randomUUID().slice(0, 8)}`,
        }
      : {}),
  });
}
