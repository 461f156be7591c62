/**
 * Opens the checkpoint store of one job run from the user's storage settings: a per-run prefix
 * (`<job name>-<run id>`) inside the configured directory or bucket prefix, so runs never read or
 * overwrite each other's checkpoints. `undefined` means checkpoints stay in memory.
 * @module
 */

import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CheckpointStorageOptions } from "../coordinator/checkpointing-options.ts";
import type { BlobStore } from "./storage/blob-store.ts";
import { SHARED_PREFIX } from "./storage/checkpoint-layout.ts";
import { CheckpointStore } from "./storage/checkpoint-store.ts";
import {
  DEFAULT_CHECKPOINT_DIRECTORY,
  LocalDirectoryBlobStore,
} from "./storage/local-directory-blob-store.ts";
import { S3BlobStore, type S3BlobStoreOptions } from "./storage/s3-blob-store.ts";

/**
 * Where a blob store is, as plain data: what a worker needs to open the same store (workers write
 * on-disk state snapshots there themselves).
 */
export type BlobStoreLocation =
  | { readonly kind: "directory"; readonly root: string }
  | ({ readonly kind: "s3" } & S3BlobStoreOptions);

/** Opens the store at `location` (in a worker, the run's checkpoint storage). */
export function openBlobStore(location: BlobStoreLocation): BlobStore {
  if (location.kind === "directory") return new LocalDirectoryBlobStore({ root: location.root });
  if (location.kind === "s3") {
    const { kind: _kind, ...options } = location;
    return new S3BlobStore(options);
  }
  throw new TypeError(`unknown blob store location ${JSON.stringify((location as { kind: unknown }).kind)}`);
}

export interface RunCheckpointStore {
  readonly store: CheckpointStore;
  /** The run's blob store as plain data, for workers. */
  readonly blobLocation: BlobStoreLocation;
  /** Where the run's checkpoints are, for log lines. */
  readonly location: string;
  /** Deletes every checkpoint of the run (after the job finished). */
  discard(): Promise<void>;
}

function runPrefix(jobName: string): string {
  const safe = jobName.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80) || "job";
  return `${safe}-${randomUUID().slice(0, 8)}`;
}

export function openRunCheckpointStore(
  storage: CheckpointStorageOptions | undefined,
  jobName: string,
): RunCheckpointStore | undefined {
  const kind = storage?.kind ?? "directory";
  if (kind === "memory") return undefined;
  if (kind === "directory") {
    const root = resolve(
      (storage as { path?: string } | undefined)?.path ?? DEFAULT_CHECKPOINT_DIRECTORY,
      runPrefix(jobName),
    );
    return {
      store: new CheckpointStore(new LocalDirectoryBlobStore({ root })),
      blobLocation: { kind: "directory", root },
      location: root,
      discard: () => rm(root, { recursive: true, force: true }),
    };
  }
  if (kind === "s3") {
    const options = storage as Extract<CheckpointStorageOptions, { kind: "s3" }>;
    const prefix = join(options.prefix ?? "", runPrefix(jobName)).replaceAll("\\", "/");
    const blobs = new S3BlobStore({ ...options, prefix });
    const { kind: _kind, ...s3 } = options;
    return {
      store: new CheckpointStore(blobs),
      blobLocation: { kind: "s3", ...s3, prefix },
      location: blobs.description,
      discard: async () => {
        await blobs.deletePrefix("chk-");
        await blobs.deletePrefix(SHARED_PREFIX);
      },
    };
  }
  throw new TypeError(`unknown checkpoint storage ${JSON.stringify(kind)}; expected directory, s3 or memory`);
}
