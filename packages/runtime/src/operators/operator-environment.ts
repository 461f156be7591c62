/**
 * What a task provides to the operators of its chain: job and task facts, the clock, and the few
 * ways an operator may affect its task (pause input on a promise, ask to be woken for timers, run
 * work through the mailbox, send collected records to the job client).
 * @module
 */

import type { JobInfo, TaskInfo, WatermarkDeclaration } from "@weir/api";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import type { StateBackendOptions } from "../state/state-backend-factory.ts";
import type { ProcessingClock } from "../time/processing-clock.ts";

export interface OperatorEnvironment {
  readonly jobInfo: JobInfo;
  /** Task facts; `taskName` is replaced by each operator's own name. */
  readonly taskInfo: TaskInfo;
  readonly clock: ProcessingClock;
  /** Inclusive key-group range of this subtask. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** Pauses the task's input until `promise` settles; a rejection fails the task. */
  blockOn(promise: Promise<unknown>, what: string): void;
  /**
   * Runs `mail` through the task's mailbox: after the current record or mail, never inside one.
   * How work that completes outside the task (a settled promise) gets back in. What the mail
   * emits is handed on at once, as after an input batch (`endOfBatch`, partial batches flushed).
   * Mails posted after the task stopped running (finishing, failed, cancelled) are dropped.
   */
  post(mail: () => void): void;
  /** Calls `fire(now)` through the mailbox once the clock reaches `at`. */
  scheduleTimer(at: number, fire: (now: number) => void): void;
  /** Sends records of a collect sink to the job client. */
  sendCollected(name: string, records: unknown[]): void;
  /** Asks the enumerator for splits (source operators). */
  requestSplit(): void;
  /** Every watermark declaration of the job, by identifier. */
  readonly watermarks: ReadonlyMap<string, WatermarkDeclaration>;
  /** Watermark alignment: report this subtask's watermark, hear what its group allows. */
  readonly alignment: WatermarkAlignmentService;
  /** The batch size the exchange uses; sources use it as their poll size hint. */
  readonly batchSize: number;
  /**
   * The run takes checkpoints, so a task whose input ended takes part in one more before it
   * finishes: two-phase sinks pre-commit their last output there instead of committing at
   * `finish` (so a failure elsewhere cannot make them publish it twice).
   */
  readonly checkpointing?: boolean;
  /** The job's `state.backend` setting (default heap). */
  readonly stateBackend?: StateBackendOptions;
  /** The run's checkpoint storage, when this worker can reach it (on-disk state snapshots). */
  readonly checkpointBlobs?: BlobStore;
  /** Where the restored checkpoint's state blobs are, when not in `checkpointBlobs` (a savepoint). */
  readonly restoreBlobs?: BlobStore;
  /**
   * The task finishes snapshots asynchronously (`completeSnapshot` before acknowledging), so the
   * heap backend may copy its state after the barrier. Harnesses that read snapshots synchronously
   * leave it unset.
   */
  readonly asyncSnapshots?: boolean;
}

/** The runtime's side of watermark alignment, as one subtask sees it. */
export interface WatermarkAlignmentService {
  /** Reports this subtask's current watermark in `group` to the coordinator. */
  report(group: string, maxDriftMs: number, watermark: number): void;
  /** `onAllowed` runs through the mailbox whenever the group's maximum allowed watermark changes. */
  subscribe(group: string, onAllowed: (maxAllowed: number) => void): void;
}
