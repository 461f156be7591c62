/**
 * The handle an on-disk backend puts into its operator snapshot instead of the state itself: which
 * blobs of the checkpoint storage hold the keyed state of one subtask, with sizes and checksums.
 * Only this small record travels to the coordinator; the worker wrote the blobs.
 *
 * Invariant: replaying `steps` in order (a full step, then deltas) over an empty store rebuilds the
 * subtask's keyed state exactly as it was at `checkpointId`. Each step lists its blobs with their
 * SHA-256, so a damaged or swapped blob is detected before anything of it is applied.
 *
 * Worked sequence (LMDB, full compaction every 3 checkpoints, `F` full, `D` delta):
 * ```text
 * chk 1: steps [F1]              uploads F1 (every key)
 * chk 2: steps [F1, D2]          uploads D2 (keys changed or deleted since chk 1); F1 shared
 * chk 3: steps [F1, D2, D3]      uploads D3
 * chk 4: steps [F4]              full again: the chain reached its limit
 * retention keeps chk 3 and 4: F1, D2, D3, F4 stay; once chk 3 goes, F1, D2, D3 are deleted
 * ```
 * @module
 */

/** One blob of a step: a checkpoint-format file of state entries. */
export interface StateBlobRef {
  /** Blob key in the run's checkpoint storage (under `shared/`). */
  readonly key: string;
  /** Bytes of the stored file (header included). */
  readonly bytes: number;
  /** Lowercase hex SHA-256 of the payload, as in the file's header. */
  readonly sha256: string;
  /** Entries in the blob (puts and deletions). */
  readonly entries: number;
}

export interface StateStep {
  readonly checkpointId: number;
  /** A full step replaces everything; a delta applies puts and deletions on top. */
  readonly full: boolean;
  readonly blobs: readonly StateBlobRef[];
}

export interface KeyedStateHandle {
  readonly format: "weir-state-changelog-v1";
  readonly checkpointId: number;
  /** Key groups this subtask owned when it wrote the state (inclusive). */
  readonly keyGroups: { readonly start: number; readonly end: number };
  readonly steps: readonly StateStep[];
}

/** Every blob key the handle needs, for reference counting by retention. */
export function blobKeysOf(handle: KeyedStateHandle): string[] {
  return handle.steps.flatMap((step) => step.blobs.map((blob) => blob.key));
}

/** Bytes the handle's checkpoint uploaded itself (its own step), as opposed to shared ones. */
export function ownBytesOf(handle: KeyedStateHandle): number {
  const own = handle.steps.find((step) => step.checkpointId === handle.checkpointId);
  return own === undefined ? 0 : own.blobs.reduce((sum, blob) => sum + blob.bytes, 0);
}
