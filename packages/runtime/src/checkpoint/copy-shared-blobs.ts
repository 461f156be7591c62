/**
 * Copies the shared blobs (`shared/`, written by workers: incremental keyed state) a checkpoint
 * references from the run's checkpoint storage into another store, under the same keys. A savepoint
 * does this so it is self-contained: it restores after the run's checkpoints are deleted.
 *
 * Invariant: every blob is verified (its checkpoint-file frame and checksum) before it is written,
 * so a savepoint never holds a damaged copy; a missing or damaged source blob fails the copy with
 * its key and store named. The caller writes the savepoint's `_metadata` only after this resolved.
 * @module
 */

import type { BlobStore } from "./storage/blob-store.ts";
import { decodeCheckpointFile } from "./storage/checkpoint-format.ts";

/** Copies `keys` from `from` to `to`, `concurrency` at a time; resolves with the bytes copied. */
export async function copySharedBlobs(
  from: BlobStore,
  to: BlobStore,
  keys: readonly string[],
  concurrency = 4,
): Promise<number> {
  let next = 0;
  let bytes = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < keys.length) {
      const key = keys[next++]!;
      try {
        const blob = await from.get(key);
        if (blob === undefined)
          throw new Error(`shared blob ${JSON.stringify(key)} is missing from ${from.description}`);
        decodeCheckpointFile(blob, key);
        await to.put(key, blob);
        bytes += blob.byteLength;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return bytes;
}
