/**
 * The local mini-cluster: the coordinator on the calling thread, one worker thread per slot.
 * A job run deploys an attempt (a {@link SlotGroup}), checks that every slot rebuilt the same
 * graph, runs the source enumerators, triggers checkpoints, collects results, and ends the job
 * when every task finished or the caller cancelled. This module is the orchestrator: it owns the
 * run's lifecycle (state, attempts, restarts) and routes slot messages; the concepts it drives
 * live beside it — options and their checks ({@link checkRunnable}), checkpoints and their storage
 * ({@link RunCheckpoints}), slot deployments ({@link slotDeployment}), the enumerators
 * ({@link JobSources}), region failover ({@link RegionRestart}) and results ({@link CollectedResults}).
 *
 * Failure handling: the restart strategy decides whether and when failed tasks restart (every
 * failure counts, whatever it restarts, as Flink's failure handler). A region restart cancels the
 * failed task's failover unit and starts it afresh from the latest completed checkpoint (its
 * operators' state, source readers' splits — with the splits assigned since then given back to the
 * enumerator —, timers and sink transactions), while every other slot keeps running and keeps its
 * progress; checkpointing stops during the restart and resumes over the whole job. The same holds
 * on a cluster (the remote slot group restarts slots on TaskManagers). Every other failure cancels
 * the attempt and restores every task (full failover; without a checkpoint, from the beginning).
 * Invariant: collect-sink results are committed with checkpoints, so restarts neither lose nor
 * duplicate them.
 * @module
 */

import type { JobExecutionResult } from "@weir/api";
import { restoreForSlot } from "../checkpoint/restore-assignment.ts";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import { graphFingerprint } from "../graph/graph-fingerprint.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import { type SerializedError, serializeError, type ToCoordinator } from "../rpc/messages.ts";
import { AttemptTasks, taskKey } from "./attempt-tasks.ts";
import type { CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import { CollectedResults } from "./collected-results.ts";
import { coordinatorError, JobCancelledError, JobExecutionError } from "./job-errors.ts";
import type { JobRun, JobRunObserver, JobRunSeams, JobState } from "./job-run.ts";
import { JobSources } from "./job-sources.ts";
import {
  checkRunnable,
  effectiveRestartStrategy,
  type LocalClusterOptions,
} from "./local-cluster-options.ts";
import { RegionRestart, type RegionRestartRun } from "./region-restart.ts";
import { decideRestart, type RestartStrategy } from "./restart-strategy.ts";
import { RunCheckpoints } from "./run-checkpoints.ts";
import { type DeployedJob, slotDeployment } from "./slot-deployment.ts";
import { type AttemptSlots, launchWorkerThreads, type SlotLauncher } from "./slot-group.ts";
import { WatermarkAlignment } from "./watermark-alignment.ts";

export type { FailoverStrategy, LocalClusterOptions } from "./local-cluster-options.ts";

export async function runOnLocalCluster(
  moduleUrl: string,
  params: unknown,
  request: ExecutionRequest,
  options: LocalClusterOptions = {},
): Promise<JobExecutionResult> {
  const run = startJobRun(
    moduleUrl,
    params,
    request,
    options,
    options.observer === undefined ? {} : { observer: options.observer },
  );
  options.onStart?.(run);
  return run.result();
}

/**
 * Starts a job run and returns at once. Throws (synchronously) on a job that cannot run: an
 * unbounded source in BATCH mode, parallelism above the maximum, a bad restart strategy.
 */
export function startJobRun(
  moduleUrl: string,
  params: unknown,
  request: ExecutionRequest,
  options: LocalClusterOptions = {},
  seams: JobRunSeams = {},
): JobRun {
  const graph = buildJobGraph(request.graph.nodes, request.parallelism);
  checkRunnable(request, graph, options);
  return new LocalJobRun({ moduleUrl, params, request, graph, options }, seams);
}

class LocalJobRun implements JobRun {
  readonly #job: DeployedJob;
  readonly #request: ExecutionRequest;
  readonly #graph: JobGraph;
  readonly #launchSlots: SlotLauncher;
  readonly #observer: JobRunObserver;
  readonly #fingerprint: string;
  readonly #startedAt = Date.now();
  readonly #collected = new CollectedResults();
  readonly #alignment = new WatermarkAlignment();
  readonly #restartStrategy: RestartStrategy;
  readonly #failureTimes: number[] = [];
  readonly #checkpoints: RunCheckpoints;
  readonly #log: (message: string) => void;
  readonly #done: Promise<JobExecutionResult>;
  #resolve!: (result: JobExecutionResult) => void;
  #reject!: (error: Error) => void;
  #state: JobState = "RUNNING";
  #attempt = 0;
  /** Restarts of any kind (full or region), as Flink's numRestarts. */
  #restarts = 0;
  /** A stop-with-savepoint in progress, or `stopped` once its savepoint completed. */
  #stopMode: "suspend" | "drain" | "stopped" | undefined;
  #group: AttemptSlots | undefined;
  #sources = new JobSources();
  readonly #tasks: AttemptTasks;
  readonly #regionRestart: RegionRestart;
  /** What a region restart acts on (see {@link RegionRestartRun}). */
  readonly #regionRun: RegionRestartRun;
  /** Bumped by every full restart and by the end of the job: a region restart in flight stops. */
  #epoch = 0;

  constructor(job: DeployedJob, seams: JobRunSeams) {
    const { request, graph, options } = job;
    this.#launchSlots = seams.launchSlots ?? launchWorkerThreads;
    this.#observer = seams.observer ?? {};
    this.#job = job;
    this.#request = request;
    this.#graph = graph;
    this.#fingerprint = graphFingerprint(graph);
    this.#tasks = new AttemptTasks(graph);
    this.#regionRestart = new RegionRestart(graph, options.failoverStrategy);
    this.#restartStrategy = effectiveRestartStrategy(options);
    this.#done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#log = options.log ?? (() => {});
    if (options.onCollected !== undefined)
      this.#collected.deliver(options.onCollected, options.checkpointing === undefined);
    this.#checkpoints = new RunCheckpoints(options, request.jobName, (message) => this.#log(message), {
      trigger: (checkpointId, barrierOptions) =>
        this.#group?.broadcast({ type: "trigger-checkpoint", checkpointId, options: barrierOptions }),
      snapshotEnumerators: (checkpointId) => this.#sources.snapshot(checkpointId),
      failed: (failure) => {
        this.#observer.checkpointFailed?.(failure);
        // Tasks behind a suspend barrier take no more input: only a restart gets them going again.
        if (failure.terminal === true && failure.reason !== "stopped" && this.#stopMode === "suspend")
          this.#fail(coordinatorError(`stop-with-savepoint failed: ${failure.message}`), undefined);
      },
      completed: (checkpoint, stats) => {
        if (checkpoint.terminal === true) this.#stopMode = "stopped";
        this.#observer.checkpointCompleted?.(checkpoint, stats);
        this.#collected.checkpointCompleted(checkpoint.checkpointId);
        this.#sources.checkpointCompleted(checkpoint.checkpointId);
        this.#group?.broadcast({ type: "checkpoint-complete", checkpointId: checkpoint.checkpointId });
      },
    });
    this.#regionRun = {
      jobName: request.jobName,
      graph,
      epoch: () => this.#epoch,
      checkpoints: this.#checkpoints.coordinator,
      tasksOf: (slots) => this.#tasks.tasksOf(slots),
      restarting: (tasks, failure) => {
        this.#abortStop("the job failed during stop-with-savepoint and restarts");
        this.#restarts++;
        this.#observer.regionRestarting?.(tasks, failure);
      },
      cancelled: (tasks) => {
        this.#collected.discardUncommittedOf(tasks);
        this.#tasks.restarted(tasks);
      },
      restorePoint: () => this.#restorePointOrFail(),
      restored: (slots, checkpoint) => {
        this.#sources.slotsReset(graph, slots, checkpoint?.checkpointId ?? 0);
        this.#tasks.nextAttempt(slots);
      },
      deployment: (slot, checkpoint) => this.#slotDeployment(slot, checkpoint),
      log: (message) => this.#log(message),
    };
    void this.#begin();
    if (options.signal !== undefined) {
      if (options.signal.aborted) this.cancel();
      else options.signal.addEventListener("abort", () => this.cancel(), { once: true });
    }
  }

  result(): Promise<JobExecutionResult> {
    return this.#done;
  }

  get graph(): JobGraph {
    return this.#graph;
  }

  get state(): JobState {
    return this.#state;
  }

  get attempt(): number {
    return this.#attempt;
  }

  get restarts(): number {
    return this.#restarts;
  }

  get checkpointBlobs(): BlobStore | undefined {
    return this.#checkpoints.blobs;
  }

  pinCheckpoint(checkpointId: number): () => void {
    return this.#checkpoints.pin(checkpointId);
  }

  #setState(state: JobState): void {
    this.#state = state;
    this.#observer.stateChanged?.(state, this.#attempt);
  }

  /** The first attempt: from scratch, or from the savepoint the caller named. */
  async #begin(): Promise<void> {
    const from = this.#job.options.restoreFrom;
    if (from === undefined) {
      this.#deploy(undefined);
      return;
    }
    let checkpoint: CompletedCheckpoint;
    try {
      checkpoint = await this.#checkpoints.readSavepoint(from, this.#graph);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#setState("FAILED");
      this.#reject(failure);
      return;
    }
    if (this.#state !== "RUNNING") return;
    this.#checkpoints.startFrom(checkpoint);
    this.#log(
      `restoring job "${this.#request.jobName}" from checkpoint ${checkpoint.checkpointId} in ${from.path}`,
    );
    this.#deploy(checkpoint);
  }

  /** Starts an attempt, restored from `checkpoint` when given. */
  #deploy(checkpoint: CompletedCheckpoint | undefined): void {
    const graph = this.#graph;
    this.#tasks.deploying(this.#attempt);
    this.#sources = new JobSources();
    this.#group = this.#launchSlots(
      this.#tasks.slots,
      (slot) => this.#slotDeployment(slot, checkpoint),
      (slot) => (checkpoint === undefined ? [] : restoreForSlot(checkpoint, graph, slot)),
      {
        message: (slot, message) => this.#onMessage(slot, message, checkpoint),
        crashed: (slot, message) => this.#fail(coordinatorError(message), `slot ${slot}`, slot),
        lost: (lost, message) => this.#fail(coordinatorError(message), `slot(s) ${lost.join(", ")}`, lost),
      },
      this.#regionRestart.unitOf,
      checkpoint?.checkpointId,
    );
  }

  #slotDeployment(slot: number, checkpoint?: CompletedCheckpoint) {
    const storage = {
      checkpointBlobs: this.#checkpoints.blobLocation,
      savepoint: this.#checkpoints.savepoint,
    };
    return slotDeployment(this.#job, storage, slot, this.#tasks.attemptOf(slot, this.#attempt), checkpoint);
  }

  #onMessage(slot: number, message: ToCoordinator, checkpoint: CompletedCheckpoint | undefined): void {
    // A slot being restarted only confirms its cancellation; what else it says is stale.
    if (this.#regionRestart.isCancelling(slot)) {
      if (message.type === "cancelled") this.#group?.cancelled(slot);
      return;
    }
    try {
      this.#dispatch(slot, message, checkpoint);
    } catch (error) {
      this.#fail(serializeError(error), "coordinator");
    }
  }

  #dispatch(slot: number, message: ToCoordinator, checkpoint: CompletedCheckpoint | undefined): void {
    switch (message.type) {
      case "ready": {
        if (message.fingerprint !== this.#fingerprint) {
          const mismatch =
            `slot ${slot} built a different job graph than the coordinator: building the job must be deterministic ` +
            "(do not read clocks, randomness or changing files while declaring the graph)";
          this.#fail(coordinatorError(mismatch), `slot ${slot}`);
          return;
        }
        const restarted = this.#regionRestart.ready(slot);
        if (restarted === "all") this.#resumeAfterRegionRestart();
        if (restarted !== "attempt") return;
        if (this.#tasks.slotReady(this.#group?.size)) void this.#start(checkpoint);
        return;
      }
      case "load-failed":
        this.#fail(message.error, `slot ${slot}`, slot);
        return;
      case "split-request":
        this.#sources.splitRequest(message.vertex, message.subtask);
        return;
      case "collected":
        this.#collected.add(taskKey(message.vertex, message.subtask), message.name, message.records);
        return;
      case "checkpoint-cut":
        this.#collected.taskCheckpointed(taskKey(message.vertex, message.subtask), message.checkpointId);
        return;
      case "checkpoint-ack": {
        const task = taskKey(message.vertex, message.subtask);
        // An unaligned ack comes after its cut; output sent in between belongs to the next checkpoint.
        if (message.stats.unaligned !== true) this.#collected.taskCheckpointed(task, message.checkpointId);
        this.#checkpoints.coordinator?.ack(
          message.checkpointId,
          task,
          message.snapshots,
          message.stats,
          message.channelState,
        );
        return;
      }
      case "checkpoint-declined":
        this.#checkpoints.coordinator?.decline(
          message.checkpointId,
          taskKey(message.vertex, message.subtask),
          message.reason,
        );
        return;
      case "task-ended":
        // Every task ended: the checkpoint that lets them finish (and sinks commit) is due now.
        if (this.#tasks.ended(taskKey(message.vertex, message.subtask)))
          this.#checkpoints.coordinator?.expedite();
        return;
      case "task-finished":
        if (
          this.#tasks.finished(taskKey(message.vertex, message.subtask)) &&
          !this.#regionRestart.cancellingAny
        )
          void this.#finish();
        return;
      case "task-failed": {
        const vertex = this.#graph.vertices[message.vertex];
        const taskName =
          vertex === undefined ? undefined : `${vertex.name} (${message.subtask + 1}/${vertex.parallelism})`;
        this.#fail(message.error, taskName, message.subtask);
        return;
      }
      case "alignment-report": {
        const maxAllowed = this.#alignment.report(
          message.group,
          message.maxDriftMs,
          message.member,
          message.watermark,
        );
        if (maxAllowed !== undefined)
          this.#group?.broadcast({ type: "alignment-update", group: message.group, maxAllowed });
        return;
      }
      case "cancelled":
        this.#group?.cancelled(slot);
        return;
    }
  }

  async #start(checkpoint: CompletedCheckpoint | undefined): Promise<void> {
    if (this.#state !== "RUNNING" || this.#tasks.started) return;
    this.#tasks.started = true;
    const group = this.#group;
    try {
      await this.#sources.start(this.#graph, checkpoint, (slot, message) => group?.send(slot, message));
    } catch (error) {
      this.#fail(serializeError(error), "source enumerator");
      return;
    }
    if (this.#state !== "RUNNING") return;
    this.#group?.broadcast({ type: "start" });
    this.#startCheckpointing();
  }

  /** Tasks whose input ended take part too (they stay up until a checkpoint covers their end). */
  #startCheckpointing(): void {
    this.#checkpoints.coordinator?.start(this.#tasks.all());
  }

  async #finish(): Promise<void> {
    this.#abortStop("the job finished before a savepoint of the stop was taken");
    this.#setState("FINISHED");
    this.#checkpoints.coordinator?.stop();
    await this.#checkpoints.coordinator?.settled();
    await this.#checkpoints.discard();
    await this.#sources.close();
    await this.#group?.shutdown();
    this.#collected.finished();
    const collected = this.#collected;
    this.#resolve({
      jobName: this.#request.jobName,
      durationMs: Date.now() - this.#startedAt,
      restarts: this.#restarts,
      completedCheckpoints: this.#checkpoints.coordinator?.completedCount ?? 0,
      collected: (sink) => collected.collectedOf(sink),
    });
  }

  /**
   * Stop-with-savepoint (Flink's `stop`): with `drain`, the sources end their input and the job's
   * last checkpoint, once every task ended, is the savepoint; without, a suspend checkpoint stops
   * every task where it is. The savepoint is written to `location(checkpointId)`; sinks commit and
   * the job FINISHES after it. Resolves with the location; a failure meanwhile restarts the job in
   * full from its latest checkpoint and rejects (the job goes on, as in Flink).
   */
  stopWithSavepoint(options: {
    drain: boolean;
    location: (checkpointId: number) => string;
  }): Promise<string> {
    if (this.#state !== "RUNNING")
      return Promise.reject(new Error(`the job is ${this.#state}, so it cannot stop with a savepoint`));
    const mode = options.drain ? "drain" : "suspend";
    const stopped = this.#checkpoints.stopWithSavepoint(mode, options.location);
    if (this.#checkpoints.stopping) {
      this.#stopMode = mode;
      if (options.drain) this.#group?.broadcast({ type: "drain" });
    }
    return stopped;
  }

  #abortStop(reason: string): void {
    if (this.#stopMode === "stopped") return;
    this.#stopMode = undefined;
    this.#checkpoints.abortStop(reason);
  }

  /** `slot`: the slot whose task failed; absent for failures outside a task (always a full restart). */
  #fail(error: SerializedError, taskName: string | undefined, failed?: number | readonly number[]): void {
    if (this.#state !== "RUNNING") return;
    if (this.#stopMode === "stopped") {
      // The savepoint is taken and sinks commit from it: a failure now ends the stop (restore it).
      void this.#end("FAILED", new JobExecutionError(this.#request.jobName, error, taskName));
      return;
    }
    const slots = failed === undefined ? undefined : typeof failed === "number" ? [failed] : failed;
    if (slots !== undefined && this.#regionRestart.allCancelling(slots)) return;
    const failure = new JobExecutionError(this.#request.jobName, error, taskName);
    this.#failureTimes.push(Date.now());
    const decision = decideRestart(this.#restartStrategy, this.#failureTimes);
    this.#observer.failed?.(failure, decision.restart);
    if (!decision.restart) {
      void this.#end("FAILED", failure);
      return;
    }
    const group = this.#group;
    // During a stop, tasks are drained or suspended everywhere: only a full restart resumes them all.
    const unit =
      this.#stopMode === undefined
        ? this.#regionRestart.unitFor(slots, group, this.#tasks.started)
        : undefined;
    if (group !== undefined && unit !== undefined)
      void this.#regionRestart.restart(this.#regionRun, group, unit, decision.delayMs, failure);
    else void this.#restart(decision.delayMs);
  }

  /** Every restarted slot is ready: start it, and checkpoint the whole job again. */
  #resumeAfterRegionRestart(): void {
    if (this.#state !== "RUNNING") return;
    for (const slot of this.#regionRestart.take()) this.#group?.send(slot, { type: "start" });
    this.#startCheckpointing();
  }

  cancel(): void {
    if (this.#state !== "RUNNING" && this.#state !== "RESTARTING") return;
    void this.#end("CANCELED", new JobCancelledError(this.#request.jobName));
  }

  /** Cancels the attempt and, after `delayMs`, starts the next one from the latest checkpoint. */
  async #restart(delayMs: number): Promise<void> {
    this.#abortStop("the job failed during stop-with-savepoint and restarts");
    this.#epoch++;
    this.#regionRestart.reset();
    this.#restarts++;
    this.#setState("RESTARTING");
    this.#checkpoints.coordinator?.stop();
    await this.#group?.cancel();
    await this.#sources.close();
    await this.#checkpoints.coordinator?.settled();
    this.#collected.discardUncommitted();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.#state !== "RESTARTING") return;
    const restoreFrom = await this.#restorePointOrFail();
    if (restoreFrom === false || this.#state !== "RESTARTING") return;
    this.#attempt++;
    this.#setState("RUNNING");
    this.#log(
      restoreFrom === undefined
        ? `restarting job "${this.#request.jobName}" (attempt ${this.#attempt}) from the beginning: no checkpoint completed`
        : `restarting job "${this.#request.jobName}" (attempt ${this.#attempt}) from checkpoint ${restoreFrom.checkpointId}`,
    );
    this.#deploy(restoreFrom);
  }

  /** {@link RunCheckpoints.restorePoint}; `false` when it could not be read (the job then fails). */
  async #restorePointOrFail(): Promise<CompletedCheckpoint | undefined | false> {
    try {
      return await this.#checkpoints.restorePoint();
    } catch (error) {
      void this.#end(
        "FAILED",
        new JobExecutionError(this.#request.jobName, serializeError(error), "checkpoint restore"),
      );
      return false;
    }
  }

  async #end(state: "FAILED" | "CANCELED", error: Error): Promise<void> {
    this.#abortStop(`the job ended (${state}) during stop-with-savepoint`);
    this.#epoch++;
    this.#setState(state);
    this.#checkpoints.coordinator?.stop();
    await this.#group?.cancel();
    await this.#sources.close();
    await this.#checkpoints.coordinator?.settled();
    this.#checkpoints.reportKept();
    this.#reject(error);
  }
}
