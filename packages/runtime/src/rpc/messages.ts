/**
 * The messages between the coordinator and the slots: the whole control-plane surface, in one
 * place. Data never travels here; it uses the exchange's channels.
 * @module
 */

import type { ExecutionMode } from "@weir/api";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";

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
  /** Operator snapshots to restore, by vertex (this slot's subtask of each); empty on a fresh start. */
  readonly restore: readonly (readonly [number, readonly OperatorSnapshot[]])[];
  /** Peer slot index -> index into the transferred ports list. */
  readonly peerPorts: readonly (readonly [number, number])[];
}

/** How long a task spent on its part of a checkpoint. */
export interface TaskCheckpointStats {
  /** From the first barrier to the last one of the alignment (0 for sources). */
  readonly alignmentMs: number;
  /** Pre-barrier preparation (sink flushes) plus the synchronous snapshot. */
  readonly snapshotMs: number;
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
  /** Source tasks: take part in checkpoint `checkpointId`. */
  | { readonly type: "trigger-checkpoint"; readonly checkpointId: number }
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
  | {
      readonly type: "checkpoint-ack";
      readonly checkpointId: number;
      readonly vertex: number;
      readonly subtask: number;
      readonly snapshots: OperatorSnapshot[];
      readonly stats: TaskCheckpointStats;
    }
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
