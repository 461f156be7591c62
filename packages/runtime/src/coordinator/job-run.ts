/**
 * A started job run as its owner sees it (the local CLI, or the cluster's JobManager): state,
 * attempt, result and cancellation, plus the seams a cluster plugs in: where slots run
 * ({@link SlotLauncher}) and an observer of state changes, failures and completed checkpoints for
 * the REST API and metrics. Local mode uses neither seam.
 *
 * Example: the JobManager passes `{ launchSlots: remoteSlotLauncher(...), observer: clusterJob }`,
 * so the same run logic (checkpoints, restarts, collected results) drives slots on TaskManagers.
 * @module
 */

import type { JobExecutionResult } from "@weir/api";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import type { CheckpointFailure, CheckpointStats, CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import type { JobExecutionError } from "./job-errors.ts";
import type { SlotLauncher } from "./slot-group.ts";

/** A job's lifecycle state, as Flink names them. */
export type JobState = "RUNNING" | "RESTARTING" | "FINISHED" | "FAILED" | "CANCELED";

/**
 * What a cluster needs beyond the local options: where slots run, and a view of the run for the
 * REST API and metrics. Local mode uses neither.
 */
export interface JobRunSeams {
  readonly launchSlots?: SlotLauncher;
  readonly observer?: JobRunObserver;
}

export interface JobRunObserver {
  stateChanged?(state: JobState, attempt: number): void;
  /** A failure of the job or of an attempt; `restarting` tells whether another attempt follows. */
  failed?(error: JobExecutionError, restarting: boolean): void;
  /**
   * Region failover: these tasks (`vertex/subtask`) restart because of `error` (already reported
   * to {@link failed}); every other task keeps running and the job stays RUNNING.
   */
  regionRestarting?(tasks: readonly string[], error: JobExecutionError): void;
  /** A checkpoint is stored and complete (the whole checkpoint, e.g. to copy it as a savepoint). */
  checkpointCompleted?(checkpoint: CompletedCheckpoint, stats: CheckpointStats): void;
  /** A triggered checkpoint did not complete. */
  checkpointFailed?(failure: CheckpointFailure): void;
}

/** A started job run: its result, and cancellation. */
export interface JobRun {
  readonly graph: JobGraph;
  readonly state: JobState;
  readonly attempt: number;
  /** Restarts so far, full and region ones (Flink's numRestarts). */
  readonly restarts: number;
  /**
   * The run's checkpoint storage, where workers wrote the shared blobs (`shared/`) its checkpoints
   * reference; undefined when checkpoints stay in memory.
   */
  readonly checkpointBlobs: BlobStore | undefined;
  /**
   * Keeps checkpoint `checkpointId` and the shared blobs it references from retention until the
   * returned function is called (a savepoint copies them meanwhile). Call it synchronously in
   * `checkpointCompleted`: the next retention may run as soon as that returns.
   */
  pinCheckpoint(checkpointId: number): () => void;
  result(): Promise<JobExecutionResult>;
  cancel(): void;
  /**
   * Stop-with-savepoint: the job's last checkpoint is written as a savepoint to
   * `location(checkpointId)`, sinks commit, and the job finishes. `drain`: sources end their input
   * first (windows and timers fire, as at the end of bounded data); otherwise every task stops
   * where the savepoint's barrier found it. Resolves with the savepoint's location.
   */
  stopWithSavepoint(options: { drain: boolean; location: (checkpointId: number) => string }): Promise<string>;
}
