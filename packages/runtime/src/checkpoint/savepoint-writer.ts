/**
 * Writes a completed checkpoint as a self-contained savepoint directory: the checkpoint's objects
 * plus copies of the shared state blobs it references (on-disk keyed state the workers uploaded
 * into the run's checkpoint storage), so the savepoint needs nothing of the run's storage and
 * outlives it. `weir run --from-savepoint DIR` reads it back.
 *
 * Invariant: the checkpoint's metadata is written last (by {@link CheckpointStore.write}), after
 * every blob it lists, so a half-written savepoint is never read as intact.
 * @module
 */

import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";
import { checkpointToObjects } from "./checkpoint-persistence.ts";
import { copySharedBlobs } from "./copy-shared-blobs.ts";
import type { BlobStore } from "./storage/blob-store.ts";
import { CheckpointStore } from "./storage/checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "./storage/local-directory-blob-store.ts";

/** Writes `checkpoint` into the directory `location`; `runBlobs` holds the shared blobs it references. */
export async function writeSavepoint(
  checkpoint: CompletedCheckpoint,
  location: string,
  runBlobs: BlobStore | undefined,
): Promise<void> {
  const blobs = new LocalDirectoryBlobStore({ root: location });
  const written = checkpointToObjects(checkpoint);
  const shared = written.sharedBlobs ?? [];
  if (shared.length > 0) {
    if (runBlobs === undefined)
      throw new Error("the checkpoint references shared state blobs but the run has no checkpoint storage");
    await copySharedBlobs(runBlobs, blobs, shared);
  }
  await new CheckpointStore(blobs).write(checkpoint.checkpointId, written);
}
