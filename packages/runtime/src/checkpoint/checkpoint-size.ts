/**
 * The two sizes of a checkpoint, as Flink reports them: the *checkpointed data size* (bytes this
 * checkpoint added to storage: the objects the coordinator wrote plus the blobs workers uploaded
 * for it) and the *full checkpoint data size* (bytes a restore reads: those objects plus every
 * shared blob the checkpoint references, including ones earlier checkpoints uploaded).
 *
 * Invariant: checkpointed <= full, and both are equal when no keyed state is incremental (heap
 * state, or an LMDB step that was full). Each shared blob counts once, however many handles name it.
 *
 * Worked sequence (LMDB, objects 2 KB each time): chk 1 uploads F1 = 100 KB -> checkpointed 102 KB,
 * full 102 KB; chk 2 uploads D2 = 5 KB on top of F1 -> checkpointed 7 KB, full 107 KB.
 * @module
 */

import type { CompletedCheckpoint } from "../coordinator/checkpoint-coordinator.ts";

export interface CheckpointSize {
  /** Bytes this checkpoint added (Flink's checkpointed data size). */
  readonly checkpointedBytes: number;
  /** Bytes of everything the checkpoint needs (Flink's full checkpoint data size). */
  readonly fullBytes: number;
  /** Per task (`vertex/subtask`): its object plus the blobs of its handles, full and own. */
  readonly tasks: ReadonlyMap<string, { readonly checkpointedBytes: number; readonly fullBytes: number }>;
}

/**
 * Sizes of `checkpoint` given the stored bytes of its objects: `objectBytes` in total, and
 * `taskObjectBytes` of each task's own object.
 */
export function checkpointSize(
  checkpoint: CompletedCheckpoint,
  objectBytes: number,
  taskObjectBytes: (task: string) => number,
): CheckpointSize {
  const counted = new Set<string>();
  let sharedFull = 0;
  let sharedOwn = 0;
  const tasks = new Map<string, { checkpointedBytes: number; fullBytes: number }>();
  for (const [task, snapshots] of checkpoint.tasks) {
    const own = taskObjectBytes(task);
    const sizes = { checkpointedBytes: own, fullBytes: own };
    for (const snapshot of snapshots)
      for (const handle of snapshot.keyedHandles ?? [])
        for (const step of handle.steps) {
          const added = step.checkpointId === handle.checkpointId;
          for (const blob of step.blobs) {
            sizes.fullBytes += blob.bytes;
            if (added) sizes.checkpointedBytes += blob.bytes;
            if (counted.has(blob.key)) continue;
            counted.add(blob.key);
            sharedFull += blob.bytes;
            if (added) sharedOwn += blob.bytes;
          }
        }
    tasks.set(task, sizes);
  }
  return { checkpointedBytes: objectBytes + sharedOwn, fullBytes: objectBytes + sharedFull, tasks };
}
