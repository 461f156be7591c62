/**
 * A job run's checkpoints: the {@link CheckpointCoordinator} wired to the run's checkpoint storage,
 * the figures of each completed checkpoint, the savepoint the run started from, and the pins that
 * keep checkpoints from retention while a savepoint copies them.
 *
 * Invariants: a checkpoint is reported complete only once it is durably written and retention ran
 * (retention never removes a pinned checkpoint or the blobs it references); the restore point is
 * the newest checkpoint that reads back intact from storage — before the run's first checkpoint,
 * the savepoint it started from, so a restart never replays what that savepoint's sinks committed.
 *
 * Sequence per checkpoint: trigger -> tasks ack -> `persist` writes the objects, measures both
 * sizes, applies retention -> `completed` reports {@link CheckpointStats} (and calls
 * `onCheckpoint`) -> the run's `completed` hook commits results and notifies tasks. A checkpoint
 * that fails in between drops its sizes and reaches `onCheckpointFailed` and the `failed` hook.
 *
 * Stop-with-savepoint ({@link stopWithSavepoint}): the terminal checkpoint is also written as a
 * self-contained savepoint before it counts as complete, so sinks commit (and the job ends) only
 * once the savepoint is durable; the stop resolves with its location just before the `completed`
 * hook runs, or rejects when the terminal checkpoint fails or the run aborts the stop.
 * @module
 */

import { checkChannelState } from "../checkpoint/channel-state-assignment.ts";
import {
  checkpointFromObjects,
  checkpointToObjects,
  taskObjectName,
} from "../checkpoint/checkpoint-persistence.ts";
import { type CheckpointSize, checkpointSize } from "../checkpoint/checkpoint-size.ts";
import {
  type BlobStoreLocation,
  openRunCheckpointStore,
  type RunCheckpointStore,
} from "../checkpoint/checkpoint-storage.ts";
import { checkNonRestoredState } from "../checkpoint/restore-assignment.ts";
import { writeSavepoint } from "../checkpoint/savepoint-writer.ts";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import { CheckpointStore } from "../checkpoint/storage/checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "../checkpoint/storage/local-directory-blob-store.ts";
import type { BarrierOptions } from "../exchange/channel-event.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import {
  CheckpointCoordinator,
  type CheckpointFailure,
  type CheckpointStats,
  type CompletedCheckpoint,
} from "./checkpoint-coordinator.ts";
import { checkpointStats, checkpointStatsLine } from "./checkpoint-statistics.ts";
import type { LocalClusterOptions } from "./local-cluster-options.ts";

/** What the run does around its checkpoints: reach the tasks and enumerators, act on outcomes. */
export interface RunCheckpointHooks {
  /** Sends checkpoint `checkpointId`'s barriers into the sources. */
  trigger(checkpointId: number, options: BarrierOptions): void;
  /** The enumerators' states for the checkpoint, by source vertex. */
  snapshotEnumerators(checkpointId: number): Map<number, unknown>;
  /** After the checkpoint is stored and its figures are reported. */
  completed(checkpoint: CompletedCheckpoint, stats: CheckpointStats): void;
  /** After `onCheckpointFailed` saw the failure. */
  failed(failure: CheckpointFailure): void;
}

export class RunCheckpoints {
  /** Undefined when checkpointing is off. */
  readonly coordinator: CheckpointCoordinator | undefined;
  /** Undefined when checkpointing is off or checkpoints stay in memory. */
  readonly #storage: RunCheckpointStore | undefined;
  readonly #options: LocalClusterOptions;
  readonly #log: (message: string) => void;
  /** Checkpoints retention keeps while a savepoint copies them: id -> pin count. */
  readonly #pins = new Map<number, number>();
  /** Sizes of each checkpoint (whole and per task), between its write and its completion report. */
  readonly #sizes = new Map<number, CheckpointSize>();
  /** The checkpoint the run started from (`restoreFrom`), if any. */
  #savepoint: CompletedCheckpoint | undefined;
  /** A stop-with-savepoint in progress: where its savepoint goes, and its outcome. */
  #stop:
    | {
        readonly location: (checkpointId: number) => string;
        readonly resolve: (location: string) => void;
        readonly reject: (error: Error) => void;
        written?: string;
      }
    | undefined;

  constructor(
    options: LocalClusterOptions,
    jobName: string,
    log: (message: string) => void,
    hooks: RunCheckpointHooks,
  ) {
    this.#options = options;
    this.#log = log;
    const checkpointing = options.checkpointing;
    this.#storage =
      checkpointing === undefined ? undefined : openRunCheckpointStore(checkpointing.storage, jobName);
    const retained = checkpointing?.retained ?? 1;
    this.coordinator =
      checkpointing === undefined
        ? undefined
        : new CheckpointCoordinator(checkpointing, {
            persist: async (checkpoint) => {
              const storage = this.#storage;
              const stop = this.#stop;
              if (checkpoint.terminal === true && stop !== undefined) {
                const location = stop.location(checkpoint.checkpointId);
                await writeSavepoint(checkpoint, location, storage?.store.blobs);
                stop.written = location;
              }
              if (storage === undefined) return;
              const written = checkpointToObjects(checkpoint);
              let size = written.manifest?.byteLength ?? 0;
              for (const bytes of written.objects.values()) size += bytes.byteLength;
              this.#sizes.set(
                checkpoint.checkpointId,
                checkpointSize(
                  checkpoint,
                  size,
                  (task) => written.objects.get(taskObjectName(task))?.byteLength ?? 0,
                ),
              );
              await storage.store.write(checkpoint.checkpointId, written);
              // Also kept: checkpoints a concurrent checkpoint still in flight may build on.
              const keep = new Set([...this.#pins.keys(), ...(this.coordinator?.basesInUse() ?? [])]);
              await storage.store.retain(retained, keep);
            },
            log: (message) => this.#log(message),
            failed: (failure) => {
              this.#sizes.delete(failure.checkpointId);
              if (failure.terminal === true) this.abortStop(`stop-with-savepoint failed: ${failure.message}`);
              this.#options.onCheckpointFailed?.(failure);
              hooks.failed(failure);
            },
            trigger: (checkpointId, barrierOptions) => hooks.trigger(checkpointId, barrierOptions),
            snapshotEnumerators: (checkpointId) => hooks.snapshotEnumerators(checkpointId),
            completed: (checkpoint) => {
              const stop = this.#stop;
              if (checkpoint.terminal === true && stop?.written !== undefined) {
                this.#stop = undefined;
                stop.resolve(stop.written);
              }
              hooks.completed(checkpoint, this.#report(checkpoint));
            },
          });
  }

  /** The run's checkpoint storage as plain data, for workers; undefined when checkpoints stay in memory. */
  get blobLocation(): BlobStoreLocation | undefined {
    return this.#storage?.blobLocation;
  }

  /** See {@link JobRun.checkpointBlobs}. */
  get blobs(): BlobStore | undefined {
    return this.#storage?.store.blobs;
  }

  /** The savepoint the run started from, once {@link startFrom} accepted it. */
  get savepoint(): CompletedCheckpoint | undefined {
    return this.#savepoint;
  }

  /** See {@link JobRun.pinCheckpoint}. */
  pin(checkpointId: number): () => void {
    this.#pins.set(checkpointId, (this.#pins.get(checkpointId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.#pins.get(checkpointId) ?? 1) - 1;
      if (count > 0) this.#pins.set(checkpointId, count);
      else this.#pins.delete(checkpointId);
    };
  }

  /**
   * Reads the newest intact checkpoint in the savepoint directory `path` and checks that it fits
   * `graph`: every operator state has a home (unless `allowNonRestoredState`), and in-flight data
   * can be assigned. Throws with the reason otherwise.
   */
  async readSavepoint(
    from: { readonly path: string; readonly allowNonRestoredState?: boolean },
    graph: JobGraph,
  ): Promise<CompletedCheckpoint> {
    const stored = await new CheckpointStore(new LocalDirectoryBlobStore({ root: from.path })).latestValid(
      (line) => this.#log(line),
    );
    if (stored === undefined) throw new Error(`no intact checkpoint found in ${from.path}`);
    const checkpoint = checkpointFromObjects(stored);
    checkNonRestoredState(checkpoint, graph, from.allowNonRestoredState === true);
    checkChannelState(checkpoint, graph);
    return checkpoint;
  }

  /** Whether a stop-with-savepoint is in progress. */
  get stopping(): boolean {
    return this.#stop !== undefined;
  }

  /**
   * Stop-with-savepoint: the coordinator ends in a terminal checkpoint (`suspend` or `drain`, see
   * {@link CheckpointCoordinator.stopWithSavepoint}) written to `location(checkpointId)` too;
   * resolves with that location. The run tells the sources to drain.
   */
  stopWithSavepoint(mode: "suspend" | "drain", location: (checkpointId: number) => string): Promise<string> {
    const coordinator = this.coordinator;
    if (coordinator === undefined)
      return Promise.reject(
        new Error("the job runs without checkpointing, so it cannot stop with a savepoint"),
      );
    if (this.#stop !== undefined)
      return Promise.reject(new Error("a stop-with-savepoint is already in progress"));
    return new Promise((resolve, reject) => {
      this.#stop = { location, resolve, reject };
      coordinator.stopWithSavepoint(mode);
    });
  }

  /** The stop in progress, if any, fails with `reason` (its terminal checkpoint failed, or the run restarts). */
  abortStop(reason: string): void {
    const stop = this.#stop;
    this.#stop = undefined;
    stop?.reject(new Error(reason));
  }

  /** The run starts from `savepoint`: the restore point until a checkpoint completes; ids continue after it. */
  startFrom(savepoint: CompletedCheckpoint): void {
    this.#savepoint = savepoint;
    this.coordinator?.continueAfter(savepoint.checkpointId);
  }

  /** Where a restart restores from (see the module's invariant); undefined: from the beginning. */
  async restorePoint(): Promise<CompletedCheckpoint | undefined> {
    if (this.#storage === undefined) return this.coordinator?.latest ?? this.#savepoint;
    const stored = await this.#storage.store.latestValid((message) => this.#log(message));
    return stored === undefined ? this.#savepoint : checkpointFromObjects(stored);
  }

  /** The job finished: it needs no checkpoints to restart from (failed or cancelled runs keep theirs). */
  async discard(): Promise<void> {
    await this.#storage
      ?.discard()
      .catch((error: unknown) => this.#log(`could not delete checkpoints: ${String(error)}`));
  }

  /** The job failed or was cancelled: tells where its checkpoints are kept, if any completed. */
  reportKept(): void {
    if (this.#storage !== undefined && (this.coordinator?.completedCount ?? 0) > 0) {
      this.#log(
        `checkpoints of the run are kept in ${this.#storage.location} (restore with --from-savepoint)`,
      );
    }
  }

  #report(checkpoint: CompletedCheckpoint): CheckpointStats {
    const size = this.#sizes.get(checkpoint.checkpointId);
    this.#sizes.delete(checkpoint.checkpointId);
    const stats = checkpointStats(checkpoint, size);
    this.#options.onCheckpoint?.(stats);
    this.#log(checkpointStatsLine(stats));
    return stats;
  }
}
