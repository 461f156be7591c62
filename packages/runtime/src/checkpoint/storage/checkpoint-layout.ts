/**
 * Where a checkpoint's objects live in a blob store, Flink-style:
 * ```text
 * chk-42/data/<name>   data objects, each a checkpoint file
 * chk-42/_metadata     written last, deleted first
 * ```
 * Invariant: the layout maps ids and names to keys one to one, and {@link parseCheckpointListing}
 * recovers exactly the checkpoints written through it while ignoring foreign keys, so the store
 * can share a root with other files without misreading them.
 * @module
 */

import type { CheckpointListingEntry } from "./restore-decision.ts";

export const METADATA_OBJECT = "_metadata";
const DATA_DIRECTORY = "data";
/** Canonical decimal only: `chk-042` is someone else's directory, not checkpoint 42. */
const CHECKPOINT_DIRECTORY = /^chk-(0|[1-9][0-9]*)$/;

export function checkpointPrefix(checkpointId: number): string {
  return `chk-${checkpointId}/`;
}

export function metadataKey(checkpointId: number): string {
  return `${checkpointPrefix(checkpointId)}${METADATA_OBJECT}`;
}

/**
 * The list of shared blobs (under `shared/`, written by workers, possibly used by several
 * checkpoints) a checkpoint references; retention counts references with it.
 */
export function sharedRefsKey(checkpointId: number): string {
  return `${checkpointPrefix(checkpointId)}shared-refs`;
}

/** Where workers write blobs that several checkpoints may share (incremental state). */
export const SHARED_PREFIX = "shared/";

/**
 * The key of the `n`th blob a worker uploads for checkpoint `checkpointId` under its own prefix
 * (`shared/<owner>`): `shared/<owner>/<checkpointId>-<n>`. Retention reads the id back to remove
 * blobs of checkpoints that never completed (see {@link sharedBlobCheckpointId}).
 */
export function sharedBlobKey(ownerPrefix: string, checkpointId: number, n: number): string {
  return `${ownerPrefix}/${checkpointId}-${n}`;
}

/** The checkpoint a shared blob was uploaded for, or undefined for a key not named by {@link sharedBlobKey}. */
export function sharedBlobCheckpointId(key: string): number | undefined {
  if (!key.startsWith(SHARED_PREFIX)) return undefined;
  const match = /\/(0|[1-9][0-9]{0,14})-[0-9]+$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

export function dataKey(checkpointId: number, name: string): string {
  return `${checkpointPrefix(checkpointId)}${DATA_DIRECTORY}/${name}`;
}

/** The checkpoints present among `keys` (a store listing), ascending by id. */
export function parseCheckpointListing(keys: readonly string[]): CheckpointListingEntry[] {
  const complete = new Map<number, boolean>();
  for (const key of keys) {
    const slash = key.indexOf("/");
    if (slash < 0) continue;
    const match = CHECKPOINT_DIRECTORY.exec(key.slice(0, slash));
    if (match === null) continue;
    const checkpointId = Number(match[1]);
    if (!Number.isSafeInteger(checkpointId)) continue;
    const isMetadata = key.slice(slash + 1) === METADATA_OBJECT;
    complete.set(checkpointId, (complete.get(checkpointId) ?? false) || isMetadata);
  }
  return [...complete]
    .sort(([a], [b]) => a - b)
    .map(([checkpointId, isComplete]) => ({ checkpointId, complete: isComplete }));
}

/** Checks an id before it becomes part of a key. */
export function checkCheckpointId(checkpointId: number): void {
  if (!Number.isSafeInteger(checkpointId) || checkpointId < 0) {
    throw new RangeError(`checkpoint id must be a non-negative safe integer, got ${checkpointId}`);
  }
}
