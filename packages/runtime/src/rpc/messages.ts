/**
 * The messages between the coordinator and the slots: the whole control-plane surface, in one
 * place. Data never travels here; it uses the exchange's channels.
 * @module
 */

import type { ExecutionMode } from "@weir/api";
import type { BlobStoreLocation } from "../checkpoint/checkpoint-storage.ts";
import type { BarrierOptions } from "../exchange/channel-event.ts";
import type { ReplayedEdge, TaskChannelState } from "../exchange/channel-state.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { StateBackendOptions } from "../state/state-backend-factory.ts";

/** What a worker thread needs to rebuild the job and run its slot's tasks. */
export interface SlotDeployment {
  readonly slot: number;
  readonly moduleUrl: string;
  readonly params: unknown;
  readonly jobName: string;
  readonly parallelism: number;
  readonly executionMode: ExecutionMode;
  readonly attempt: number;
  readonly batchSize: number;
  readonly buffersPerChannel: number;
  /**
   * In-flight data of an unaligned checkpoint to replay before new input, by vertex (this slot's
   * subtask of each); absent or empty otherwise. See `ReplayedEdge`.
   */
  readonly inFlight?: readonly (readonly [number, readonly ReplayedEdge[]])[];
  /** Operator snapshots to restore, by vertex (this slot's subtask of each); empty on a fresh start. */
  readonly restore: readonly (readonly [number, readonly OperatorSnapshot[]])[];
  /**
   * The run takes checkpoints: a task whose input ended takes part in checkpoints until one of
   * them completes, and two-phase sinks commit their last output then (see `StreamTask`).
   */
  readonly checkpointing?: boolean;
  /** The job's `state.backend` setting (default heap). */
  readonly stateBackend?: StateBackendOptions;
  /** The run's checkpoint storage, where on-disk state backends write their snapshots. */
  readonly checkpointBlobs?: BlobStoreLocation;
  /** Where the restored checkpoint's state blobs are (a savepoint's directory); default `checkpointBlobs`. */
  readonly restoreBlobs?: BlobStoreLocation;
  /** Peer slot index -> index into the transferred ports list. */
  readonly peerPorts: readonly (readonly [number, number])[];
}

/** How long a task spent on its part of a checkpoint. */
export interface TaskCheckpointStats {
  /** From the first barrier to the last one of the alignment (0 for sources). */
  readonly alignmentMs: number;
  /** Pre-barrier preparation (sink flushes) plus the synchronous snapshot. */
  readonly snapshotMs: number;
  /** The task's part was unaligned (it started so, or its alignment timed out). */
  readonly unaligned?: boolean;
  /** Bytes of in-flight data persisted as channel state (encoded batches; unaligned only). */
  readonly inFlightBytes?: number;
  /** Records in that in-flight data. */
  readonly inFlightRecords?: number;
  /** From the snapshot until the last barrier arrived, while in-flight data was recorded (ms). */
  readonly channelStateMs?: number;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly operatorName: string | undefined;
}

export type ToSlot =
  | { readonly type: "start" }
  | {
      readonly type: "add-splits";
      readonly vertex: number;
      readonly subtask: number;
      readonly splits: unknown[];
    }
  | { readonly type: "no-more-splits"; readonly vertex: number; readonly subtask: number }
  | { readonly type: "cancel" }
  /**
   * Checkpoint `checkpointId` starts (barrier options: unaligned, timeout): source tasks inject its
   * barrier, tasks whose input ended take their part at once, the others wait for its barrier.
   */
  | { readonly type: "trigger-checkpoint"; readonly checkpointId: number; readonly options?: BarrierOptions }
  /** Stop-with-savepoint with drain: source tasks end their input now. */
  | { readonly type: "drain" }
  /** Every task: checkpoint `checkpointId` completed. */
  | { readonly type: "checkpoint-complete"; readonly checkpointId: number }
  /** A watermark alignment group's maximum allowed watermark changed. */
  | { readonly type: "alignment-update"; readonly group: string; readonly maxAllowed: number }
  /** The job is over: release ports so the thread ends once its output (stdout included) is flushed. */
  | { readonly type: "shutdown" };

export type ToCoordinator =
  | { readonly type: "ready"; readonly slot: number; readonly fingerprint: string }
  | { readonly type: "load-failed"; readonly slot: number; readonly error: SerializedError }
  | { readonly type: "split-request"; readonly vertex: number; readonly subtask: number }
  | {
      readonly type: "collected";
      readonly vertex: number;
      readonly subtask: number;
      readonly name: string;
      readonly records: unknown[];
    }
  /**
   * Unaligned checkpoints: the task snapshotted for `checkpointId`. What it sent before this
   * message (collected results) belongs to the checkpoint; its ack follows once in-flight data is
   * recorded. (Aligned checkpoints need no cut: their ack is sent at the snapshot.)
   */
  | {
      readonly type: "checkpoint-cut";
      readonly checkpointId: number;
      readonly vertex: number;
      readonly subtask: number;
    }
  | {
      readonly type: "checkpoint-ack";
      readonly checkpointId: number;
      readonly vertex: number;
      readonly subtask: number;
      readonly snapshots: OperatorSnapshot[];
      readonly stats: TaskCheckpointStats;
      /** In-flight data of an unaligned checkpoint (absent for aligned ones). */
      readonly channelState?: TaskChannelState;
    }
  /**
   * The task cannot complete its part of `checkpointId` (its state upload failed): the coordinator
   * abandons the checkpoint at once instead of waiting for the timeout (Flink's decline message).
   * The task and the job go on; the next checkpoint is triggered as usual.
   */
  | {
      readonly type: "checkpoint-declined";
      readonly checkpointId: number;
      readonly vertex: number;
      readonly subtask: number;
      readonly reason: string;
    }
  /**
   * The task's input ended and its operators finished; with checkpointing on it stays up and takes
   * part in checkpoints until one taken since then completed (then `task-finished` follows).
   */
  | { readonly type: "task-ended"; readonly vertex: number; readonly subtask: number }
  /** The task is done: everything it produced is final (committed, with checkpointing on). */
  | { readonly type: "task-finished"; readonly vertex: number; readonly subtask: number }
  | {
      readonly type: "task-failed";
      readonly vertex: number;
      readonly subtask: number;
      readonly error: SerializedError;
    }
  | { readonly type: "cancelled"; readonly slot: number }
  | {
      readonly type: "alignment-report";
      readonly group: string;
      readonly maxDriftMs: number;
      readonly member: string;
      readonly watermark: number;
    };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      operatorName: (error as { operatorName?: string }).operatorName,
    };
  }
  return { name: "Error", message: String(error), stack: undefined, operatorName: undefined };
}
