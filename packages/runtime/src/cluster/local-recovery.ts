/**
 * The JobManager's side of task-local recovery for one job: which TaskManager holds a local copy
 * of which slot's state for which checkpoint (it saw the acknowledgements pass), so a restart can
 * place a slot back on that TaskManager and tell it to restore from its copy instead of sending
 * the state; and how restores went, for the REST API.
 *
 * A copy counts only on the TaskManager registration that made it: a TaskManager that restarted
 * (even under the same id) is another registration and restores remotely. Sequence: slot 1 on tm-2
 * acknowledges checkpoint 7 -> checkpoint 7 completes (older records dropped) -> slot 1 fails ->
 * {@link copyOf}(7, 1) = tm-2 with its vertices -> slot 1 is placed on tm-2 with a local-restore
 * marker and no state -> tm-2 reports the outcome ({@link restored}); a failed local read makes the
 * JobManager send the state after all.
 *
 * On-disk backends restore from state blobs, which TaskManagers keep local copies of too: slots
 * report how many blobs (and bytes) they read locally and from the checkpoint storage
 * ({@link blobsRead}); a local restore that still downloads shows there.
 * @module
 */

import {
  addStateBlobReads,
  NO_STATE_BLOB_READS,
  type StateBlobReads,
} from "../checkpoint/storage/local-blob-cache.ts";
import type { RegisteredTaskManager } from "./task-manager-registry.ts";

export interface LocalCopy {
  readonly taskManager: RegisteredTaskManager;
  /** The vertices whose subtask this slot ran (each has one copy). */
  readonly vertices: readonly number[];
}

export class LocalRecovery {
  readonly jobId: string;
  /** Slots restored from a TaskManager's local copy. */
  localRestores = 0;
  /** Slots restored from state the JobManager sent (no usable local copy). */
  remoteRestores = 0;
  /** Local restores that failed on the TaskManager (missing or corrupt copy) and went remote. */
  fallbacks = 0;
  /** State blobs restores read from TaskManagers' local copies and from the checkpoint storage. */
  stateBlobReads: StateBlobReads = NO_STATE_BLOB_READS;
  readonly #acks = new Map<
    number,
    Map<number, { taskManager: RegisteredTaskManager; vertices: Set<number> }>
  >();
  #latestCompleted = 0;

  constructor(jobId: string) {
    this.jobId = jobId;
  }

  /** Task `vertex` of slot `slot` acknowledged checkpoint `checkpointId` through `taskManager`. */
  acked(checkpointId: number, slot: number, vertex: number, taskManager: RegisteredTaskManager): void {
    if (checkpointId <= this.#latestCompleted) return;
    let slots = this.#acks.get(checkpointId);
    if (slots === undefined) {
      slots = new Map();
      this.#acks.set(checkpointId, slots);
    }
    const entry = slots.get(slot);
    if (entry === undefined || entry.taskManager !== taskManager)
      slots.set(slot, { taskManager, vertices: new Set([vertex]) });
    else entry.vertices.add(vertex);
  }

  completed(checkpointId: number): void {
    if (checkpointId <= this.#latestCompleted) return;
    this.#latestCompleted = checkpointId;
    for (const id of this.#acks.keys()) if (id < checkpointId) this.#acks.delete(id);
  }

  /** Where slot `slot`'s copy of completed checkpoint `checkpointId` is, if a TaskManager holds one. */
  copyOf(checkpointId: number, slot: number): LocalCopy | undefined {
    if (checkpointId !== this.#latestCompleted) return undefined;
    const entry = this.#acks.get(checkpointId)?.get(slot);
    return entry === undefined
      ? undefined
      : { taskManager: entry.taskManager, vertices: [...entry.vertices].sort((a, b) => a - b) };
  }

  /** A slot read state blobs (on-disk backends restore from them). */
  blobsRead(reads: StateBlobReads): void {
    this.stateBlobReads = addStateBlobReads(this.stateBlobReads, reads);
  }

  /** A TaskManager reported how a local restore went. */
  restored(ok: boolean): void {
    if (ok) this.localRestores++;
    else {
      this.fallbacks++;
      this.remoteRestores++;
    }
  }
}
