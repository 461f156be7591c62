/**
 * The local mini-cluster: the coordinator on the calling thread, one worker thread per slot.
 * A job run deploys an attempt (a {@link SlotGroup}), checks that every slot rebuilt the same
 * graph, runs the source enumerators, triggers checkpoints, collects results, and ends the job
 * when every task finished or the caller cancelled.
 *
 * Failure handling: the restart strategy decides whether and when failed tasks restart (every
 * failure counts, whatever it restarts, as Flink's failure handler). With the `region` failover
 * strategy (the default, as Flink's) a task failure restarts only its failover unit
 * ({@link failoverRegions}): those slots are cancelled and started afresh from the latest completed
 * checkpoint (their operators' state, source readers' splits — with the splits assigned since then
 * given back to the enumerator —, timers and sink transactions), while every other slot keeps
 * running and keeps its progress; checkpointing stops during the restart and resumes over the whole
 * job. A lost TaskManager fails all its slots at once: the union of their units restarts. The
 * same holds on a cluster (the remote slot group restarts slots on TaskManagers). Everything else
 * — a failure outside a task (enumerator, graph check), a second failure while a region restarts,
 * a failure of every unit, a job that is one region, the `full` strategy, or slots that cannot
 * restart alone — cancels the attempt and restores every task (full failover; without a
 * checkpoint, from the beginning). Collect-sink results are committed with checkpoints, so restarts
 * neither lose nor duplicate them.
 * @module
 */

import type { JobExecutionResult, Sink } from "@weir/api";
import { assignChannelState, checkChannelState } from "../checkpoint/channel-state-assignment.ts";
import {
  checkpointFromObjects,
  checkpointToObjects,
  taskObjectName,
} from "../checkpoint/checkpoint-persistence.ts";
import { type CheckpointSize, checkpointSize } from "../checkpoint/checkpoint-size.ts";
import { openRunCheckpointStore, type RunCheckpointStore } from "../checkpoint/checkpoint-storage.ts";
import { checkNonRestoredState, restoreForSlot } from "../checkpoint/restore-assignment.ts";
import type { BlobStore } from "../checkpoint/storage/blob-store.ts";
import { CheckpointStore } from "../checkpoint/storage/checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "../checkpoint/storage/local-directory-blob-store.ts";
import { MAX_SUBTASKS } from "../exchange/channel-id.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import { graphFingerprint } from "../graph/graph-fingerprint.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import type { SourceNode } from "../graph/transformation.ts";
import {
  type SerializedError,
  type SlotDeployment,
  serializeError,
  type ToCoordinator,
} from "../rpc/messages.ts";
import type { StateBackendOptions } from "../state/state-backend-factory.ts";
import {
  CheckpointCoordinator,
  type CheckpointFailure,
  type CheckpointingOptions,
  type CheckpointStats,
  type CompletedCheckpoint,
} from "./checkpoint-coordinator.ts";
import { type CollectedListener, CollectedResults } from "./collected-results.ts";
import { type FailoverRegions, failoverRegions } from "./failover-regions.ts";
import { JobCancelledError, JobExecutionError } from "./job-errors.ts";
import type { JobRun, JobRunObserver, JobRunSeams, JobState } from "./job-run.ts";
import { decideRestart, type RestartStrategy, validateRestartStrategy } from "./restart-strategy.ts";
import { type AttemptSlots, launchWorkerThreads, type SlotLauncher } from "./slot-group.ts";
import { SourceCoordinator } from "./source-coordinator.ts";
import { WatermarkAlignment } from "./watermark-alignment.ts";

export interface LocalClusterOptions {
  /** Records per exchange batch (default 1024). */
  readonly batchSize?: number;
  /** Credits (batches in flight) per channel (default 4). */
  readonly buffersPerChannel?: number;
  /** Cancels the job when aborted; `execute()` then rejects with {@link JobCancelledError}. */
  readonly signal?: AbortSignal;
  /** Periodic aligned checkpoints; off when absent. */
  readonly checkpointing?: CheckpointingOptions;
  /** Where keyed state lives (`state.backend`): heap (default) or lmdb (on local disk). */
  readonly stateBackend?: StateBackendOptions;
  /**
   * What a task failure does. Default: no restart without checkpointing; with checkpointing,
   * exponential delay from 1 s to 60 s, as Flink's default.
   */
  readonly restartStrategy?: RestartStrategy;
  /** Receives one line per event worth telling an operator (restarts, restores, skipped checkpoints). */
  readonly log?: (message: string) => void;
  /** Called with the figures of every completed checkpoint. */
  readonly onCheckpoint?: (stats: CheckpointStats) => void;
  /** Called for every triggered checkpoint that did not complete (expired, stopped, not stored). */
  readonly onCheckpointFailed?: (failure: CheckpointFailure) => void;
  /**
   * Start from the newest intact checkpoint in this directory (a savepoint: what a cancelled or
   * failed run kept), at this job's parallelism; operators are matched by uid.
   */
  readonly restoreFrom?: { readonly path: string; readonly allowNonRestoredState?: boolean };
  /**
   * What a task failure restarts (Flink's `jobmanager.execution.failover-strategy`): `region`
   * (default) restarts only the failed task's pipelined region, `full` every task.
   */
  readonly failoverStrategy?: FailoverStrategy;
  /** Sees state changes, failures and completed checkpoints (e.g. a local REST API's job view). */
  readonly observer?: JobRunObserver;
  /** Called once the run started, with the run (to cancel it, or to serve it over REST). */
  readonly onStart?: (run: JobRun) => void;
  /**
   * Receives collect sinks' records while the job runs, as they become final: per completed
   * checkpoint with checkpointing (a restart never delivers a record twice), at once without it
   * (then the run must not restart). Such records are not kept for `collected()`. Must not throw.
   */
  readonly onCollected?: CollectedListener;
}

/** @public */
export type FailoverStrategy = "region" | "full";

const DEFAULT_RESTARTS_WITH_CHECKPOINTING: RestartStrategy = {
  kind: "exponential-delay",
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 1.5,
  attempts: Number.POSITIVE_INFINITY,
};

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
  if (request.executionMode === "BATCH" && !graph.bounded) {
    const unbounded = request.graph.nodes.filter(
      (n) => n.kind === "source" && n.source.boundedness !== "BOUNDED",
    );
    throw new Error(
      `BATCH execution needs bounded sources; unbounded: ${unbounded.map((n) => `"${n.name}"`).join(", ")}`,
    );
  }
  const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
  if (slots > MAX_SUBTASKS) throw new RangeError(`parallelism above ${MAX_SUBTASKS} is not supported`);
  if (options.restartStrategy !== undefined) validateRestartStrategy(options.restartStrategy);
  if (
    options.onCollected !== undefined &&
    options.checkpointing === undefined &&
    (options.restartStrategy?.kind ?? "none") !== "none"
  )
    throw new Error(
      "onCollected without checkpointing delivers records as they arrive, and a restart would deliver " +
        "them again: enable checkpointing to restart, or use no restart strategy",
    );
  const strategy = options.failoverStrategy;
  if (strategy !== undefined && strategy !== "region" && strategy !== "full")
    throw new TypeError(`unknown failover strategy ${JSON.stringify(strategy)}; expected "region" or "full"`);
  return new LocalJobRun(moduleUrl, params, request, graph, options, seams);
}

const taskKey = (vertex: number, subtask: number) => `${vertex}/${subtask}`;

class LocalJobRun implements JobRun {
  readonly #moduleUrl: string;
  readonly #params: unknown;
  readonly #request: ExecutionRequest;
  readonly #graph: JobGraph;
  readonly #options: LocalClusterOptions;
  readonly #launchSlots: SlotLauncher;
  readonly #observer: JobRunObserver;
  readonly #fingerprint: string;
  readonly #startedAt = Date.now();
  readonly #collected = new CollectedResults();
  readonly #alignment = new WatermarkAlignment();
  readonly #restartStrategy: RestartStrategy;
  /** The checkpoint the run started from (`restoreFrom`), if any. */
  #savepoint: CompletedCheckpoint | undefined;
  readonly #failureTimes: number[] = [];
  readonly #checkpoints: CheckpointCoordinator | undefined;
  readonly #storage: RunCheckpointStore | undefined;
  /** Checkpoints retention keeps while a savepoint copies them: id -> pin count. */
  readonly #pins = new Map<number, number>();
  /** Sizes of each checkpoint (whole and per task), between its write and its completion report. */
  readonly #checkpointSizes = new Map<number, CheckpointSize>();
  readonly #log: (message: string) => void;
  readonly #done: Promise<JobExecutionResult>;
  #resolve!: (result: JobExecutionResult) => void;
  #reject!: (error: Error) => void;
  #state: JobState = "RUNNING";
  #attempt = 0;
  /** Restarts of any kind (full or region), as Flink's numRestarts. */
  #restarts = 0;
  #group: AttemptSlots | undefined;
  #sources = new Map<number, SourceCoordinator>();
  #ready = 0;
  /** Tasks (`vertex/subtask`) that finished; the job finishes when every task has. */
  readonly #finished = new Set<string>();
  #taskCount = 0;
  #started = false;
  /** Failover units; undefined under the `full` strategy or when the job is one unit. */
  readonly #regions: FailoverRegions | undefined;
  /** Attempt number of each slot's tasks (Flink's per-subtask attempt number). */
  #slotAttempts: number[] = [];
  /** Slots of a region restart in progress: their messages are stale until they are restarted. */
  readonly #restartingSlots = new Set<number>();
  /** The slots of the region restart in progress. */
  #regionSlots: readonly number[] = [];
  /** Restarted slots that have not reported `ready` yet. */
  readonly #awaitingReady = new Set<number>();
  /** Bumped by every full restart and by the end of the job: a region restart in flight stops. */
  #epoch = 0;

  constructor(
    moduleUrl: string,
    params: unknown,
    request: ExecutionRequest,
    graph: JobGraph,
    options: LocalClusterOptions,
    seams: JobRunSeams,
  ) {
    this.#launchSlots = seams.launchSlots ?? launchWorkerThreads;
    this.#observer = seams.observer ?? {};
    this.#moduleUrl = moduleUrl;
    this.#params = params;
    this.#request = request;
    this.#graph = graph;
    this.#options = options;
    this.#fingerprint = graphFingerprint(graph);
    this.#taskCount = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    const regions = options.failoverStrategy === "full" ? undefined : failoverRegions(graph);
    this.#regions = regions === undefined || regions.single ? undefined : regions;
    this.#restartStrategy =
      options.restartStrategy ??
      (options.checkpointing !== undefined ? DEFAULT_RESTARTS_WITH_CHECKPOINTING : { kind: "none" });
    this.#done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#log = options.log ?? (() => {});
    if (options.onCollected !== undefined)
      this.#collected.deliver(options.onCollected, options.checkpointing === undefined);
    this.#storage =
      options.checkpointing === undefined
        ? undefined
        : openRunCheckpointStore(options.checkpointing.storage, request.jobName);
    const retained = options.checkpointing?.retained ?? 1;
    this.#checkpoints =
      options.checkpointing === undefined
        ? undefined
        : new CheckpointCoordinator(options.checkpointing, {
            persist: async (checkpoint) => {
              const storage = this.#storage;
              if (storage === undefined) return;
              const written = checkpointToObjects(checkpoint);
              let size = written.manifest?.byteLength ?? 0;
              for (const bytes of written.objects.values()) size += bytes.byteLength;
              this.#checkpointSizes.set(
                checkpoint.checkpointId,
                checkpointSize(
                  checkpoint,
                  size,
                  (task) => written.objects.get(taskObjectName(task))?.byteLength ?? 0,
                ),
              );
              await storage.store.write(checkpoint.checkpointId, written);
              await storage.store.retain(retained, new Set(this.#pins.keys()));
            },
            log: (message) => this.#log(message),
            failed: (failure) => {
              this.#checkpointSizes.delete(failure.checkpointId);
              this.#options.onCheckpointFailed?.(failure);
              this.#observer.checkpointFailed?.(failure);
            },
            trigger: (checkpointId, barrierOptions) =>
              this.#group?.broadcast({ type: "trigger-checkpoint", checkpointId, options: barrierOptions }),
            snapshotEnumerators: (checkpointId) => {
              const states = new Map<number, unknown>();
              for (const [vertex, source] of this.#sources)
                states.set(vertex, source.snapshotState(checkpointId));
              return states;
            },
            completed: (checkpoint) => {
              const stats = this.#reportCheckpoint(checkpoint);
              this.#observer.checkpointCompleted?.(checkpoint, stats);
              this.#collected.checkpointCompleted(checkpoint.checkpointId);
              for (const source of this.#sources.values())
                source.checkpointCompleted(checkpoint.checkpointId);
              this.#group?.broadcast({ type: "checkpoint-complete", checkpointId: checkpoint.checkpointId });
            },
          });
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
    return this.#storage?.store.blobs;
  }

  pinCheckpoint(checkpointId: number): () => void {
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

  #setState(state: JobState): void {
    this.#state = state;
    this.#observer.stateChanged?.(state, this.#attempt);
  }

  #reportCheckpoint(checkpoint: CompletedCheckpoint): CheckpointStats {
    const size = this.#checkpointSizes.get(checkpoint.checkpointId);
    this.#checkpointSizes.delete(checkpoint.checkpointId);
    const tasks = [...checkpoint.taskStats].map(([task, stats]) => ({
      task,
      acknowledgedAfterMs: checkpoint.acknowledgedAfterMs?.get(task) ?? 0,
      stateBytes: size?.tasks.get(task)?.fullBytes ?? 0,
      checkpointedBytes: size?.tasks.get(task)?.checkpointedBytes ?? 0,
      ...stats,
    }));
    const stats: CheckpointStats = {
      checkpointId: checkpoint.checkpointId,
      durationMs: Date.now() - checkpoint.triggeredAt,
      sizeBytes: size?.checkpointedBytes ?? 0,
      fullSizeBytes: size?.fullBytes ?? 0,
      maxAlignmentMs: Math.max(0, ...tasks.map((t) => t.alignmentMs)),
      unaligned: tasks.some((t) => t.unaligned === true),
      inFlightBytes: tasks.reduce((sum, t) => sum + (t.inFlightBytes ?? 0), 0),
      tasks,
    };
    this.#options.onCheckpoint?.(stats);
    this.#log(
      `checkpoint ${stats.checkpointId} completed in ${stats.durationMs} ms (${stats.sizeBytes} bytes` +
        (stats.fullSizeBytes > stats.sizeBytes ? ` added, ${stats.fullSizeBytes} in full, ` : ", ") +
        `longest alignment ${stats.maxAlignmentMs.toFixed(1)} ms` +
        (stats.unaligned ? `, unaligned, ${stats.inFlightBytes} bytes in flight)` : ")"),
    );
    return stats;
  }

  /** The first attempt: from scratch, or from the savepoint the caller named. */
  async #begin(): Promise<void> {
    const from = this.#options.restoreFrom;
    if (from === undefined) {
      this.#deploy(undefined);
      return;
    }
    let checkpoint: CompletedCheckpoint;
    try {
      const stored = await new CheckpointStore(new LocalDirectoryBlobStore({ root: from.path })).latestValid(
        (line) => this.#log(line),
      );
      if (stored === undefined) throw new Error(`no intact checkpoint found in ${from.path}`);
      checkpoint = checkpointFromObjects(stored);
      checkNonRestoredState(checkpoint, this.#graph, from.allowNonRestoredState === true);
      checkChannelState(checkpoint, this.#graph);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#setState("FAILED");
      this.#reject(failure);
      return;
    }
    if (this.#state !== "RUNNING") return;
    this.#savepoint = checkpoint;
    this.#checkpoints?.continueAfter(checkpoint.checkpointId);
    this.#log(
      `restoring job "${this.#request.jobName}" from checkpoint ${checkpoint.checkpointId} in ${from.path}`,
    );
    this.#deploy(checkpoint);
  }

  /** Starts an attempt, restored from `checkpoint` when given. */
  #deploy(checkpoint: CompletedCheckpoint | undefined): void {
    const graph = this.#graph;
    this.#ready = 0;
    this.#started = false;
    this.#finished.clear();
    this.#sources = new Map();
    const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
    this.#slotAttempts = Array.from({ length: slots }, () => this.#attempt);
    this.#group = this.#launchSlots(
      slots,
      (slot) => this.#slotDeployment(slot, checkpoint),
      (slot) => (checkpoint === undefined ? [] : restoreForSlot(checkpoint, graph, slot)),
      {
        message: (slot, message) => this.#onMessage(slot, message, checkpoint),
        crashed: (slot, message) =>
          this.#fail(
            { name: "Error", message, stack: undefined, operatorName: undefined },
            `slot ${slot}`,
            slot,
          ),
        lost: (lost, message) =>
          this.#fail(
            { name: "Error", message, stack: undefined, operatorName: undefined },
            `slot(s) ${lost.join(", ")}`,
            lost,
          ),
      },
      this.#regions === undefined ? undefined : (slot) => this.#regions!.slotsRestartingWith(slot),
      checkpoint?.checkpointId,
    );
  }

  #slotDeployment(
    slot: number,
    checkpoint?: CompletedCheckpoint,
  ): Omit<SlotDeployment, "slot" | "peerPorts" | "restore"> {
    const options = this.#options;
    return {
      // In-flight data of an unaligned checkpoint, replayed before new input.
      ...(checkpoint === undefined ? {} : { inFlight: assignChannelState(checkpoint, this.#graph, slot) }),
      moduleUrl: this.#moduleUrl,
      params: this.#params,
      jobName: this.#request.jobName,
      parallelism: this.#request.parallelism,
      executionMode: this.#request.executionMode,
      attempt: this.#slotAttempts[slot] ?? this.#attempt,
      batchSize: options.batchSize ?? 1024,
      buffersPerChannel: options.buffersPerChannel ?? 4,
      ...(options.stateBackend !== undefined ? { stateBackend: options.stateBackend } : {}),
      ...(this.#storage !== undefined ? { checkpointBlobs: this.#storage.blobLocation } : {}),
      // A savepoint's state blobs stay in the savepoint's directory.
      ...(checkpoint !== undefined && checkpoint === this.#savepoint && options.restoreFrom !== undefined
        ? { restoreBlobs: { kind: "directory" as const, root: options.restoreFrom.path } }
        : {}),
    };
  }

  /** The tasks slot `slot` runs: subtask `slot` of every vertex wider than it. */
  #tasksOf(slots: readonly number[]): string[] {
    const tasks: string[] = [];
    for (const vertex of this.#graph.vertices)
      for (const slot of slots) if (slot < vertex.parallelism) tasks.push(taskKey(vertex.id, slot));
    return tasks;
  }

  #onMessage(slot: number, message: ToCoordinator, checkpoint: CompletedCheckpoint | undefined): void {
    // A slot being restarted only confirms its cancellation; what else it says is stale.
    if (this.#restartingSlots.has(slot)) {
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
      case "ready":
        if (message.fingerprint !== this.#fingerprint) {
          this.#fail(
            {
              name: "Error",
              message:
                `slot ${slot} built a different job graph than the coordinator: building the job must be deterministic ` +
                "(do not read clocks, randomness or changing files while declaring the graph)",
              stack: undefined,
              operatorName: undefined,
            },
            `slot ${slot}`,
          );
          return;
        }
        if (this.#awaitingReady.delete(slot)) {
          if (this.#awaitingReady.size === 0) this.#resumeAfterRegionRestart();
          return;
        }
        if (++this.#ready === this.#group?.size) void this.#start(checkpoint);
        return;
      case "load-failed":
        this.#fail(message.error, `slot ${slot}`, slot);
        return;
      case "split-request":
        this.#sources.get(message.vertex)?.handleSplitRequest(message.subtask);
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
        this.#checkpoints?.ack(
          message.checkpointId,
          task,
          message.snapshots,
          message.stats,
          message.channelState,
        );
        return;
      }
      case "checkpoint-declined":
        this.#checkpoints?.decline(
          message.checkpointId,
          taskKey(message.vertex, message.subtask),
          message.reason,
        );
        return;
      case "task-finished":
        this.#checkpoints?.taskFinished();
        this.#finished.add(taskKey(message.vertex, message.subtask));
        if (this.#finished.size === this.#taskCount && this.#restartingSlots.size === 0) void this.#finish();
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
    if (this.#state !== "RUNNING" || this.#started) return;
    this.#started = true;
    try {
      for (const vertex of this.#graph.vertices) {
        const head = vertex.operators[0]!.node;
        if (head.kind !== "source") continue;
        const group = this.#group;
        const coordinator = new SourceCoordinator({
          vertex: vertex.id,
          node: head as SourceNode,
          parallelism: vertex.parallelism,
          send: (slot, message) => group?.send(slot, message),
          restoredState: checkpoint?.enumerators.get(vertex.id),
          restoredCheckpointId: checkpoint?.checkpointId ?? 0,
        });
        this.#sources.set(vertex.id, coordinator);
        await coordinator.start();
      }
    } catch (error) {
      this.#fail(serializeError(error), "source enumerator");
      return;
    }
    if (this.#state !== "RUNNING") return;
    this.#group?.broadcast({ type: "start" });
    this.#startCheckpointing();
  }

  #startCheckpointing(): void {
    // A finished task cannot take part in checkpoints: once one has, checkpointing is over.
    if (this.#finished.size > 0) return;
    const tasks: string[] = [];
    for (const vertex of this.#graph.vertices)
      for (let s = 0; s < vertex.parallelism; s++) tasks.push(taskKey(vertex.id, s));
    this.#checkpoints?.start(tasks);
  }

  async #finish(): Promise<void> {
    this.#setState("FINISHED");
    this.#checkpoints?.stop();
    await this.#checkpoints?.settled();
    // A finished job needs no checkpoints to restart from (failed or cancelled runs keep theirs).
    await this.#storage
      ?.discard()
      .catch((error: unknown) => this.#log(`could not delete checkpoints: ${String(error)}`));
    await this.#closeSources();
    await this.#group?.shutdown();
    this.#collected.finished();
    const collected = this.#collected;
    this.#resolve({
      jobName: this.#request.jobName,
      durationMs: Date.now() - this.#startedAt,
      restarts: this.#restarts,
      completedCheckpoints: this.#checkpoints?.completedCount ?? 0,
      collected<T>(sink: Sink<T, unknown>): T[] {
        const name = (sink as { collectName?: string }).collectName;
        if (name === undefined) throw new TypeError("collected() expects a sink made by Sinks.collect()");
        return collected.get(name) as T[];
      },
    });
  }

  /** `slot`: the slot whose task failed; absent for failures outside a task (always a full restart). */
  #fail(error: SerializedError, taskName: string | undefined, failed?: number | readonly number[]): void {
    if (this.#state !== "RUNNING") return;
    const slots = failed === undefined ? undefined : typeof failed === "number" ? [failed] : failed;
    if (slots?.every((slot) => this.#restartingSlots.has(slot))) return;
    const failure = new JobExecutionError(this.#request.jobName, error, taskName);
    this.#failureTimes.push(Date.now());
    const decision = decideRestart(this.#restartStrategy, this.#failureTimes);
    this.#observer.failed?.(failure, decision.restart);
    if (!decision.restart) {
      void this.#end("FAILED", failure);
      return;
    }
    const group = this.#group;
    const regions = this.#regions;
    if (
      slots !== undefined &&
      regions !== undefined &&
      this.#started &&
      this.#restartingSlots.size === 0 &&
      this.#awaitingReady.size === 0 &&
      group?.cancelSlots !== undefined &&
      group.startSlots !== undefined
    ) {
      const unit = [...new Set(slots.flatMap((slot) => regions.slotsRestartingWith(slot)))].sort(
        (a, b) => a - b,
      );
      if (unit.length < group.size) {
        void this.#restartRegion(unit, decision.delayMs, failure);
        return;
      }
    }
    void this.#restart(decision.delayMs);
  }

  /**
   * Region failover: cancels `slots`, waits `delayMs`, and starts them again from the latest
   * completed checkpoint; the other slots run on. Sequence: checkpointing stops (a pending one is
   * abandoned) and any checkpoint being stored settles, so the restore point is final; what the
   * restarted tasks sent since it is dropped; their sources' later splits go back to the
   * enumerators; the new slots report ready, start, and checkpointing resumes over every task.
   */
  async #restartRegion(slots: readonly number[], delayMs: number, failure: JobExecutionError): Promise<void> {
    const epoch = this.#epoch;
    const group = this.#group!;
    for (const slot of slots) this.#restartingSlots.add(slot);
    const tasks = this.#tasksOf(slots);
    this.#restarts++;
    this.#observer.regionRestarting?.(tasks, failure);
    this.#log(`${failure.message.split("\n")[0]}: cancelling the region of slot(s) ${slots.join(", ")}`);
    this.#checkpoints?.stop();
    await group.cancelSlots!(slots);
    await this.#checkpoints?.settled();
    if (epoch !== this.#epoch) return;
    const restarted = new Set(tasks);
    this.#collected.discardUncommittedOf(restarted);
    for (const task of restarted) this.#finished.delete(task);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (epoch !== this.#epoch) return;
    let restoreFrom: CompletedCheckpoint | undefined;
    try {
      restoreFrom = await this.#restorePoint();
    } catch (error) {
      void this.#end(
        "FAILED",
        new JobExecutionError(this.#request.jobName, serializeError(error), "checkpoint restore"),
      );
      return;
    }
    if (epoch !== this.#epoch) return;
    for (const [vertex, source] of this.#sources) {
      const parallelism = this.#graph.vertices[vertex]!.parallelism;
      for (const slot of slots)
        if (slot < parallelism) source.subtaskReset(slot, restoreFrom?.checkpointId ?? 0);
    }
    for (const slot of slots) this.#slotAttempts[slot] = (this.#slotAttempts[slot] ?? 0) + 1;
    this.#log(
      `restarting region of ${tasks.length} task(s) in slot(s) ${slots.join(", ")} of job "${this.#request.jobName}" ` +
        (restoreFrom === undefined
          ? "from the beginning: no checkpoint completed"
          : `from checkpoint ${restoreFrom.checkpointId}`) +
        "; the other tasks keep running",
    );
    for (const slot of slots) this.#awaitingReady.add(slot);
    this.#regionSlots = slots;
    const graph = this.#graph;
    // The restarted slots report ready before any other message: only then are they live again.
    this.#restartingSlots.clear();
    group.startSlots!(
      slots,
      (slot) => this.#slotDeployment(slot, restoreFrom),
      (slot) => (restoreFrom === undefined ? [] : restoreForSlot(restoreFrom, graph, slot)),
      restoreFrom?.checkpointId,
    );
  }

  /** Every restarted slot is ready: start it, and checkpoint the whole job again. */
  #resumeAfterRegionRestart(): void {
    if (this.#state !== "RUNNING") return;
    for (const slot of this.#regionSlots) this.#group?.send(slot, { type: "start" });
    this.#regionSlots = [];
    this.#startCheckpointing();
  }

  cancel(): void {
    if (this.#state !== "RUNNING" && this.#state !== "RESTARTING") return;
    void this.#end("CANCELED", new JobCancelledError(this.#request.jobName));
  }

  /** Cancels the attempt and, after `delayMs`, starts the next one from the latest checkpoint. */
  async #restart(delayMs: number): Promise<void> {
    this.#epoch++;
    this.#restartingSlots.clear();
    this.#awaitingReady.clear();
    this.#restarts++;
    this.#setState("RESTARTING");
    this.#checkpoints?.stop();
    await this.#group?.cancel();
    await this.#closeSources();
    await this.#checkpoints?.settled();
    this.#collected.discardUncommitted();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.#state !== "RESTARTING") return;
    let restoreFrom: CompletedCheckpoint | undefined;
    try {
      restoreFrom = await this.#restorePoint();
    } catch (error) {
      void this.#end(
        "FAILED",
        new JobExecutionError(this.#request.jobName, serializeError(error), "checkpoint restore"),
      );
      return;
    }
    if (this.#state !== "RESTARTING") return;
    this.#attempt++;
    this.#setState("RUNNING");
    this.#log(
      restoreFrom === undefined
        ? `restarting job "${this.#request.jobName}" (attempt ${this.#attempt}) from the beginning: no checkpoint completed`
        : `restarting job "${this.#request.jobName}" (attempt ${this.#attempt}) from checkpoint ${restoreFrom.checkpointId}`,
    );
    this.#deploy(restoreFrom);
  }

  /**
   * The newest checkpoint that reads back intact from storage (memory when storage is off); before
   * this run's first checkpoint, the savepoint it started from — restarting from the beginning
   * would replay what the savepoint's sinks already committed.
   */
  async #restorePoint(): Promise<CompletedCheckpoint | undefined> {
    if (this.#storage === undefined) return this.#checkpoints?.latest ?? this.#savepoint;
    const stored = await this.#storage.store.latestValid((message) => this.#log(message));
    return stored === undefined ? this.#savepoint : checkpointFromObjects(stored);
  }

  async #end(state: "FAILED" | "CANCELED", error: Error): Promise<void> {
    this.#epoch++;
    this.#setState(state);
    this.#checkpoints?.stop();
    await this.#group?.cancel();
    await this.#closeSources();
    await this.#checkpoints?.settled();
    if (this.#storage !== undefined && (this.#checkpoints?.completedCount ?? 0) > 0) {
      this.#log(
        `checkpoints of the run are kept in ${this.#storage.location} (restore with --from-savepoint)`,
      );
    }
    this.#reject(error);
  }

  async #closeSources(): Promise<void> {
    for (const source of this.#sources.values()) await source.close().catch(() => {});
  }
}
