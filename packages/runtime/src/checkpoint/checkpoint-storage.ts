/**
 * Opens the checkpoint store of one job run from the user's storage settings: a per-run prefix
 * (`<job name>-<run id>`) inside the configured directory or bucket prefix, so runs never read or
 * overwrite each other's checkpoints. `undefined` means checkpoints stay in memory.
 * @module
 */

import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CheckpointStorageOptions } from "../coordinator/checkpoint-coordinator.ts";
import { CheckpointStore } from "./storage/checkpoint-store.ts";
import {
  DEFAULT_CHECKPOINT_DIRECTORY,
  LocalDirectoryBlobStore,
} from "./storage/local-directory-blob-store.ts";
import { S3BlobStore } from "./storage/s3-blob-store.ts";

export interface RunCheckpointStore {
  readonly store: CheckpointStore;
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
      location: root,
      discard: () => rm(root, { recursive: true, force: true }),
    };
  }
  if (kind === "s3") {
    const options = storage as Extract<CheckpointStorageOptions, { kind: "s3" }>;
    const prefix = join(options.prefix ?? "", runPrefix(jobName)).replaceAll("\\", "/");
    const blobs = new S3BlobStore({ ...options, prefix });
    return {
      store: new CheckpointStore(blobs),
      location: blobs.description,
      discard: async () => {
        await blobs.deletePrefix("chk-");
      },
    };
  }
  throw new TypeError(`unknown checkpoint storage ${JSON.stringify(kind)}; expected directory, s3 or memory`);
}
