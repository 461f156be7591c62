/**
 * The local mini-cluster: the coordinator on the calling thread, one worker thread per slot.
 * A job run deploys an attempt (a {@link SlotGroup}), checks that every slot rebuilt the same
 * graph, runs the source enumerators, triggers checkpoints, collects results, and ends the job
 * when every task finished or the caller cancelled.
 *
 * Failure handling: a task failure cancels the attempt; the restart strategy decides whether and
 * when a new attempt starts, restored from the latest completed checkpoint (every task, as Flink's
 * full failover; without a checkpoint, from the beginning). Collect-sink results are committed with
 * checkpoints, so restarts neither lose nor duplicate them.
 * @module
 */

import type { JobExecutionResult, Sink } from "@weir/api";
import { checkpointFromObjects, checkpointToObjects } from "../checkpoint/checkpoint-persistence.ts";
import { openRunCheckpointStore, type RunCheckpointStore } from "../checkpoint/checkpoint-storage.ts";
import { checkNonRestoredState, restoreForSlot } from "../checkpoint/restore-assignment.ts";
import { CheckpointStore } from "../checkpoint/storage/checkpoint-store.ts";
import { LocalDirectoryBlobStore } from "../checkpoint/storage/local-directory-blob-store.ts";
import { MAX_SUBTASKS } from "../exchange/channel-id.ts";
import type { ExecutionRequest } from "../graph/environment-impl.ts";
import { graphFingerprint } from "../graph/graph-fingerprint.ts";
import { buildJobGraph, type JobGraph } from "../graph/job-graph.ts";
import type { SourceNode } from "../graph/transformation.ts";
import { type SerializedError, serializeError, type ToCoordinator } from "../rpc/messages.ts";
import {
  CheckpointCoordinator,
  type CheckpointingOptions,
  type CheckpointStats,
  type CompletedCheckpoint,
} from "./checkpoint-coordinator.ts";
import { CollectedResults } from "./collected-results.ts";
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
  /**
   * What a task failure does. Default: no restart without checkpointing; with checkpointing,
   * exponential delay from 1 s to 60 s, as Flink's default.
   */
  readonly restartStrategy?: RestartStrategy;
  /** Receives one line per event worth telling an operator (restarts, restores, skipped checkpoints). */
  readonly log?: (message: string) => void;
  /** Called with the figures of every completed checkpoint. */
  readonly onCheckpoint?: (stats: CheckpointStats) => void;
  /**
   * Start from the newest intact checkpoint in this directory (a savepoint: what a cancelled or
   * failed run kept), at this job's parallelism; operators are matched by uid.
   */
  readonly restoreFrom?: { readonly path: string; readonly allowNonRestoredState?: boolean };
}

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
  return startJobRun(moduleUrl, params, request, options).result();
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
  /** Bytes stored per checkpoint, between its write and its completion report. */
  readonly #checkpointSizes = new Map<number, number>();
  readonly #log: (message: string) => void;
  readonly #done: Promise<JobExecutionResult>;
  #resolve!: (result: JobExecutionResult) => void;
  #reject!: (error: Error) => void;
  #state: JobState = "RUNNING";
  #attempt = 0;
  #group: AttemptSlots | undefined;
  #sources = new Map<number, SourceCoordinator>();
  #ready = 0;
  #pendingTasks = 0;
  #started = false;

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
    this.#restartStrategy =
      options.restartStrategy ??
      (options.checkpointing !== undefined ? DEFAULT_RESTARTS_WITH_CHECKPOINTING : { kind: "none" });
    this.#done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#log = options.log ?? (() => {});
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
              this.#checkpointSizes.set(checkpoint.checkpointId, size);
              await storage.store.write(checkpoint.checkpointId, written);
              await storage.store.retain(retained);
            },
            log: (message) => this.#log(message),
            trigger: (checkpointId) => this.#group?.broadcast({ type: "trigger-checkpoint", checkpointId }),
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

  #setState(state: JobState): void {
    this.#state = state;
    this.#observer.stateChanged?.(state, this.#attempt);
  }

  #reportCheckpoint(checkpoint: CompletedCheckpoint): CheckpointStats {
    const tasks = [...checkpoint.taskStats].map(([task, stats]) => ({ task, ...stats }));
    const sizeBytes = this.#checkpointSizes.get(checkpoint.checkpointId) ?? 0;
    this.#checkpointSizes.delete(checkpoint.checkpointId);
    const stats: CheckpointStats = {
      checkpointId: checkpoint.checkpointId,
      durationMs: Date.now() - checkpoint.triggeredAt,
      sizeBytes,
      maxAlignmentMs: Math.max(0, ...tasks.map((t) => t.alignmentMs)),
      tasks,
    };
    this.#options.onCheckpoint?.(stats);
    this.#log(
      `checkpoint ${stats.checkpointId} completed in ${stats.durationMs} ms (${stats.sizeBytes} bytes, ` +
        `longest alignment ${stats.maxAlignmentMs.toFixed(1)} ms)`,
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
    this.#pendingTasks = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    this.#sources = new Map();
    const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
    const attempt = this.#attempt;
    const options = this.#options;
    this.#group = this.#launchSlots(
      slots,
      () => ({
        moduleUrl: this.#moduleUrl,
        params: this.#params,
        jobName: this.#request.jobName,
        parallelism: this.#request.parallelism,
        executionMode: this.#request.executionMode,
        attempt,
        batchSize: options.batchSize ?? 1024,
        buffersPerChannel: options.buffersPerChannel ?? 4,
      }),
      (slot) => (checkpoint === undefined ? [] : restoreForSlot(checkpoint, graph, slot)),
      {
        message: (slot, message) => this.#onMessage(slot, message, checkpoint),
        crashed: (slot, message) =>
          this.#fail({ name: "Error", message, stack: undefined, operatorName: undefined }, `slot ${slot}`),
      },
    );
  }

  #onMessage(slot: number, message: ToCoordinator, checkpoint: CompletedCheckpoint | undefined): void {
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
        if (++this.#ready === this.#group?.size) void this.#start(checkpoint);
        return;
      case "load-failed":
        this.#fail(message.error, `slot ${slot}`);
        return;
      case "split-request":
        this.#sources.get(message.vertex)?.handleSplitRequest(message.subtask);
        return;
      case "collected":
        this.#collected.add(taskKey(message.vertex, message.subtask), message.name, message.records);
        return;
      case "checkpoint-ack": {
        const task = taskKey(message.vertex, message.subtask);
        this.#collected.taskCheckpointed(task, message.checkpointId);
        this.#checkpoints?.ack(message.checkpointId, task, message.snapshots, message.stats);
        return;
      }
      case "task-finished":
        this.#checkpoints?.taskFinished();
        if (--this.#pendingTasks === 0) void this.#finish();
        return;
      case "task-failed": {
        const vertex = this.#graph.vertices[message.vertex];
        const taskName =
          vertex === undefined ? undefined : `${vertex.name} (${message.subtask + 1}/${vertex.parallelism})`;
        this.#fail(message.error, taskName);
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
      restarts: this.#attempt,
      completedCheckpoints: this.#checkpoints?.completedCount ?? 0,
      collected<T>(sink: Sink<T, unknown>): T[] {
        const name = (sink as { collectName?: string }).collectName;
        if (name === undefined) throw new TypeError("collected() expects a sink made by Sinks.collect()");
        return collected.get(name) as T[];
      },
    });
  }

  #fail(error: SerializedError, taskName: string | undefined): void {
    if (this.#state !== "RUNNING") return;
    const failure = new JobExecutionError(this.#request.jobName, error, taskName);
    this.#failureTimes.push(Date.now());
    const decision = decideRestart(this.#restartStrategy, this.#failureTimes);
    this.#observer.failed?.(failure, decision.restart);
    if (!decision.restart) {
      void this.#end("FAILED", failure);
      return;
    }
    void this.#restart(decision.delayMs);
  }

  cancel(): void {
    if (this.#state !== "RUNNING" && this.#state !== "RESTARTING") return;
    void this.#end("CANCELED", new JobCancelledError(this.#request.jobName));
  }

  /** Cancels the attempt and, after `delayMs`, starts the next one from the latest checkpoint. */
  async #restart(delayMs: number): Promise<void> {
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
