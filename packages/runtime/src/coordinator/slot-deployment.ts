/**
 * What a slot is told to run: the job module and its parameters, the runtime settings, and where
 * the state it restores lives. The operator snapshots themselves (`restore`) and the peers
 * (`peerPorts`) are added by the slot launcher.
 *
 * Invariant: every slot of an attempt gets the same job settings, so each rebuilds the same graph
 * (checked by fingerprint when it reports ready); only the attempt number and the restored
 * in-flight data are per slot. A slot restored from the savepoint the run started with reads that
 * savepoint's state blobs from the savepoint's directory, not from the run's storage.
 * @module
 */

import { assignChannelState } from "../checkpoint/channel-state-assignment.ts";
import type { BlobStoreLocation } from "../checkpoint/checkpoint-storage.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import type { SlotDeployment } from "../rpc/messages.ts";
import type { CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import type { LocalClusterOptions } from "./local-cluster-options.ts";

/** The job as every slot loads it. */
export interface DeployedJob {
  readonly moduleUrl: string;
  readonly params: unknown;
  readonly request: ExecutionRequest;
  readonly graph: JobGraph;
  readonly options: LocalClusterOptions;
}

/** Where checkpoint state lives for this deployment. */
export interface DeploymentStorage {
  /** The run's checkpoint storage; undefined when checkpoints stay in memory. */
  readonly checkpointBlobs: BlobStoreLocation | undefined;
  /** The savepoint the run started from, if any. */
  readonly savepoint: CompletedCheckpoint | undefined;
}

/** Slot `slot`'s deployment for task attempt `attempt`, restored from `checkpoint` when given. */
export function slotDeployment(
  job: DeployedJob,
  storage: DeploymentStorage,
  slot: number,
  attempt: number,
  checkpoint?: CompletedCheckpoint,
): Omit<SlotDeployment, "slot" | "peerPorts" | "restore"> {
  const { options, request } = job;
  return {
    // In-flight data of an unaligned checkpoint, replayed before new input.
    ...(checkpoint === undefined ? {} : { inFlight: assignChannelState(checkpoint, job.graph, slot) }),
    moduleUrl: job.moduleUrl,
    params: job.params,
    jobName: request.jobName,
    parallelism: request.parallelism,
    executionMode: request.executionMode,
    attempt,
    batchSize: options.batchSize ?? 1024,
    buffersPerChannel: options.buffersPerChannel ?? 4,
    ...(options.checkpointing !== undefined ? { checkpointing: true } : {}),
    ...(options.stateBackend !== undefined ? { stateBackend: options.stateBackend } : {}),
    ...(storage.checkpointBlobs !== undefined ? { checkpointBlobs: storage.checkpointBlobs } : {}),
    // A savepoint's state blobs stay in the savepoint's directory.
    ...(checkpoint !== undefined && checkpoint === storage.savepoint && options.restoreFrom !== undefined
      ? { restoreBlobs: { kind: "directory" as const, root: options.restoreFrom.path } }
      : {}),
  };
}
