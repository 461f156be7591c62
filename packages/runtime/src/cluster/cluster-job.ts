/**
 * One job submitted to the JobManager: its run (the same job run as the mini-cluster's, with slots
 * on TaskManagers), and what the REST API and metrics report about it: state, attempts, the vertex
 * graph with per-vertex records in/out, checkpoint history, exceptions, savepoints and, once a
 * bounded job finished, its collected results.
 *
 * Savepoints: a savepoint is the next checkpoint that completes after the request, copied into its
 * own directory (`<savepoints dir>/savepoint-<job id>-<checkpoint id>`), so it outlives the job and
 * `weir run --from-savepoint` (or a submission with `fromSavepoint`) restores it. The shared blobs
 * the checkpoint references (on-disk keyed state the workers uploaded) are copied too, while the run
 * keeps the checkpoint from retention: the savepoint needs nothing of the run's checkpoint storage.
 * A savepoint with `cancel-job` cancels the job once it is written. Stop-with-savepoint
 * ({@link stop}) is the run's own: the job's last checkpoint (after a drain, or at a suspend
 * barrier) is written as the savepoint before any sink commits it, and the job then FINISHES.
 * @module
 */

import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { isCollectSink, type JobExecutionResult, type Sink } from "@weir/api";
import { writeSavepoint } from "../checkpoint/savepoint-writer.ts";
import type {
  CheckpointFailure,
  CheckpointStats,
  CompletedCheckpoint,
  TaskCheckpointFigures,
} from "../coordinator/checkpoint-coordinator.ts";
import type { JobExecutionError } from "../coordinator/job-errors.ts";
import type { JobRun, JobRunObserver, JobState } from "../coordinator/job-run.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import type { LocalRecovery } from "./local-recovery.ts";
import type { RemoteSlotGroup } from "./remote-slot-group.ts";

const KEPT_EXCEPTIONS = 20;
const KEPT_CHECKPOINTS = 50;

export interface JobException {
  readonly timestamp: number;
  readonly exceptionName: string;
  readonly message: string;
  readonly stacktrace: string;
  readonly taskName: string | undefined;
  readonly restarting: boolean;
}

export interface CheckpointRecord {
  readonly id: number;
  readonly status: "COMPLETED";
  readonly completedAt: number;
  readonly durationMs: number;
  /** Bytes this checkpoint added (Flink's checkpointed data size). */
  readonly sizeBytes: number;
  /** Bytes a restore from it reads, shared blobs of earlier checkpoints included (full size). */
  readonly fullSizeBytes: number;
  readonly maxAlignmentMs: number;
  /** Whether any task took its part unaligned, and the in-flight bytes persisted over all tasks. */
  readonly unaligned: boolean;
  readonly inFlightBytes: number;
  /** Per task: duration until its ack, state size, in-flight size, alignment time, unaligned. */
  readonly tasks: readonly TaskCheckpointFigures[];
}

export interface SavepointRequest {
  readonly requestId: string;
  status: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  location: string | undefined;
  failure: string | undefined;
  readonly cancelJob: boolean;
  /** The directory the savepoint's own directory is created in. */
  readonly targetDirectory: string;
  /** A client read the final status (a local run that stopped waits for this before it exits). */
  outcomeReported?: boolean;
}

export interface VertexCounters {
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Over the last two counter reports of the live attempt. */
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  /** Subtasks whose output waited for credit at the last report, over the parallelism. */
  readonly backpressuredRatio: number;
  /**
   * The lowest event-time watermark over the vertex's subtasks (Flink's low watermark); null while
   * any subtask has none yet.
   */
  readonly watermark: number | null;
}

interface VertexSum {
  recordsIn: number;
  recordsOut: number;
  backpressured: number;
  /** Subtasks that reported counters, and those of them without an event-time watermark yet. */
  reported: number;
  withoutWatermark: number;
  lowestWatermark: number;
}

const emptyVertexSum = (): VertexSum => ({
  recordsIn: 0,
  recordsOut: 0,
  backpressured: 0,
  reported: 0,
  withoutWatermark: 0,
  lowestWatermark: Number.POSITIVE_INFINITY,
});

export class ClusterJob implements JobRunObserver {
  readonly id = randomUUID().replaceAll("-", "");
  readonly name: string;
  readonly submittedAt = Date.now();
  readonly checkpointingEnabled: boolean;
  readonly exceptions: JobException[] = [];
  readonly checkpoints: CheckpointRecord[] = [];
  readonly savepoints = new Map<string, SavepointRequest>();
  readonly #savepointsDir: string;
  /** Savepoint requests whose checkpoint is being copied. */
  readonly #writing = new Set<string>();
  state: JobState | "INITIALIZING" = "INITIALIZING";
  attempt = 0;
  /** Task-local recovery figures, when the job has it on. */
  localRecovery: LocalRecovery | undefined;
  /** Region restarts so far (full restarts count in `attempt`). */
  regionRestarts = 0;
  lastRegionRestart: { readonly at: number; readonly tasks: readonly string[] } | undefined;
  endedAt: number | undefined;
  completedCheckpoints = 0;
  /** Triggered checkpoints that did not complete (expired, declined, abandoned, not stored). */
  failedCheckpoints = 0;
  /** The latest checkpoint that did not complete, and why (REST `latest.failed`). */
  lastFailedCheckpoint: (CheckpointFailure & { readonly failedAt: number }) | undefined;
  run: JobRun | undefined;
  /** The live attempt's slots (set by the JobManager when an attempt is launched). */
  group: RemoteSlotGroup | undefined;
  result: JobExecutionResult | undefined;

  constructor(name: string, checkpointingEnabled: boolean, savepointsDir: string) {
    this.name = name;
    this.checkpointingEnabled = checkpointingEnabled;
    this.#savepointsDir = savepointsDir;
  }

  get graph(): JobGraph | undefined {
    return this.run?.graph;
  }

  stateChanged(state: JobState, attempt: number): void {
    this.state = state;
    this.attempt = attempt;
    if (state === "FINISHED" || state === "FAILED" || state === "CANCELED") {
      this.endedAt = Date.now();
      for (const request of this.savepoints.values()) {
        if (request.status !== "IN_PROGRESS") continue;
        request.status = "FAILED";
        request.failure = `the job ended (${state}) before a checkpoint completed`;
      }
    }
  }

  /** Region failover: some tasks restart while the job stays RUNNING. */
  regionRestarting(tasks: readonly string[]): void {
    this.regionRestarts++;
    this.lastRegionRestart = { at: Date.now(), tasks: [...tasks] };
  }

  failed(error: JobExecutionError, restarting: boolean): void {
    this.exceptions.push({
      timestamp: Date.now(),
      exceptionName: error.name,
      message: error.message,
      stacktrace: error.stack ?? error.message,
      taskName: error.taskName,
      restarting,
    });
    if (this.exceptions.length > KEPT_EXCEPTIONS) this.exceptions.shift();
  }

  checkpointFailed(failure: CheckpointFailure): void {
    this.failedCheckpoints++;
    this.lastFailedCheckpoint = { ...failure, failedAt: Date.now() };
  }

  checkpointCompleted(checkpoint: CompletedCheckpoint, stats: CheckpointStats): void {
    this.completedCheckpoints++;
    // Here, not where slots are told: a checkpoint may complete while an attempt is being cancelled.
    this.localRecovery?.completed(checkpoint.checkpointId);
    this.checkpoints.push({
      id: stats.checkpointId,
      status: "COMPLETED",
      completedAt: Date.now(),
      durationMs: stats.durationMs,
      sizeBytes: stats.sizeBytes,
      fullSizeBytes: stats.fullSizeBytes,
      maxAlignmentMs: stats.maxAlignmentMs,
      unaligned: stats.unaligned,
      inFlightBytes: stats.inFlightBytes,
      tasks: stats.tasks,
    });
    if (this.checkpoints.length > KEPT_CHECKPOINTS) this.checkpoints.shift();
    for (const request of this.savepoints.values())
      if (request.status === "IN_PROGRESS" && !this.#writing.has(request.requestId))
        void this.#writeSavepoint(request, checkpoint);
  }

  /**
   * Asks for a savepoint: the next completed checkpoint, copied to its own directory under
   * `targetDirectory` (default: the savepoints directory this job was created with).
   */
  triggerSavepoint(cancelJob: boolean, targetDirectory?: string): SavepointRequest {
    const request: SavepointRequest = {
      requestId: randomUUID(),
      status: "IN_PROGRESS",
      location: undefined,
      failure: undefined,
      cancelJob,
      targetDirectory: targetDirectory ?? this.#savepointsDir,
    };
    if (!this.checkpointingEnabled) {
      request.status = "FAILED";
      request.failure =
        "savepoints are taken as the next checkpoint, and this job runs without checkpointing (submit it with checkpointIntervalMs)";
    } else if (this.state !== "RUNNING" && this.state !== "RESTARTING" && this.state !== "INITIALIZING") {
      request.status = "FAILED";
      request.failure = `the job is ${this.state}`;
    }
    this.savepoints.set(request.requestId, request);
    return request;
  }

  /**
   * Stop-with-savepoint (see the module): the request completes with the savepoint's location once
   * it is written; it fails, and the job goes on after a restart, if the stop cannot complete.
   */
  stop(drain: boolean, targetDirectory?: string): SavepointRequest {
    const request = this.triggerSavepoint(true, targetDirectory);
    if (request.status === "FAILED") return request;
    this.#writing.add(request.requestId);
    const run = this.run;
    if (run === undefined) {
      request.status = "FAILED";
      request.failure = "the job has not started yet";
      return request;
    }
    run
      .stopWithSavepoint({
        drain,
        location: (checkpointId) => join(request.targetDirectory, `savepoint-${this.id}-${checkpointId}`),
      })
      .then(
        (location) => {
          request.location = location;
          request.status = "COMPLETED";
        },
        (error: unknown) => {
          request.status = "FAILED";
          request.failure = error instanceof Error ? error.message : String(error);
        },
      );
    return request;
  }

  async #writeSavepoint(request: SavepointRequest, checkpoint: CompletedCheckpoint): Promise<void> {
    this.#writing.add(request.requestId);
    // Before any await: the run's next retention must not delete what is still to be copied.
    const unpin = this.run?.pinCheckpoint(checkpoint.checkpointId);
    const location = join(request.targetDirectory, `savepoint-${this.id}-${checkpoint.checkpointId}`);
    try {
      await writeSavepoint(checkpoint, location, this.run?.checkpointBlobs);
      request.location = location;
      request.status = "COMPLETED";
      if (request.cancelJob) this.run?.cancel();
    } catch (error) {
      request.status = "FAILED";
      request.failure = `could not write the savepoint to ${location}: ${String(error)}`;
    } finally {
      unpin?.();
    }
  }

  /** Per-vertex counters of the live attempt, summed over its subtasks. */
  vertexCounters(): Map<number, VertexCounters> {
    const sums = new Map<number, VertexSum>();
    for (const counters of this.group?.counters.values() ?? []) {
      for (const task of counters) {
        const sum = sums.get(task.vertex) ?? emptyVertexSum();
        sum.recordsIn += task.recordsIn;
        sum.recordsOut += task.recordsOut;
        if (task.backpressured) sum.backpressured++;
        sum.reported++;
        if (task.watermark === null) sum.withoutWatermark++;
        else if (task.watermark < sum.lowestWatermark) sum.lowestWatermark = task.watermark;
        sums.set(task.vertex, sum);
      }
    }
    const result = new Map<number, VertexCounters>();
    const rates = this.group?.rates();
    for (const vertex of this.graph?.vertices ?? []) {
      const sum = sums.get(vertex.id) ?? emptyVertexSum();
      result.set(vertex.id, {
        recordsIn: sum.recordsIn,
        recordsOut: sum.recordsOut,
        recordsInPerSecond: Math.round(rates?.get(vertex.id)?.inPerSecond ?? 0),
        recordsOutPerSecond: Math.round(rates?.get(vertex.id)?.outPerSecond ?? 0),
        backpressuredRatio: sum.backpressured / vertex.parallelism,
        watermark: sum.reported < vertex.parallelism || sum.withoutWatermark > 0 ? null : sum.lowestWatermark,
      });
    }
    return result;
  }

  /** The records each collect sink received, once the job finished. */
  collectedResults(): Record<string, unknown[]> | undefined {
    const result = this.result;
    if (result === undefined) return undefined;
    const out: Record<string, unknown[]> = {};
    for (const vertex of this.graph?.vertices ?? []) {
      for (const op of vertex.operators) {
        if (op.node.kind !== "sink" || !isCollectSink(op.node.sink)) continue;
        const sink = op.node.sink as Sink<unknown, unknown>;
        out[op.node.sink.collectName] = result.collected(sink);
      }
    }
    return out;
  }
}
