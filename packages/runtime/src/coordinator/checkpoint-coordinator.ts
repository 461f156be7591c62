/**
 * Triggers checkpoints and collects the tasks' acknowledgements (Chandy-Lamport, as Flink):
 * every `intervalMs` the coordinator snapshots the split enumerators and asks every source task to
 * checkpoint; barriers then flow with the data; each task acknowledges with its operators'
 * snapshots once it forwarded the barrier. With `unaligned` on, barriers overtake in-flight data
 * and tasks acknowledge with that data as channel state too (FLIP-76); `alignedCheckpointTimeoutMs`
 * > 0 starts each checkpoint aligned and lets tasks switch to unaligned once it has run that long. When every task has acknowledged, the checkpoint is
 * complete: it is kept (the newest `retained` ones) and the tasks are notified, so sinks commit.
 *
 * Invariants: at most one checkpoint is pending (max concurrent checkpoints 1); a checkpoint not
 * complete after `timeoutMs` is abandoned; no checkpoint is triggered once any task has finished
 * (a finished source cannot inject barriers), and a pending one is then abandoned; ids only grow.
 * @module
 */

import type { S3BlobStoreOptions } from "../checkpoint/storage/s3-blob-store.ts";
import type { BarrierOptions } from "../exchange/channel-event.ts";
import type { TaskChannelState } from "../exchange/channel-state.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";

/** Checkpointing settings of a job. @public */
export interface CheckpointingOptions {
  /** Time between the end of one checkpoint and the trigger of the next (ms). */
  readonly intervalMs: number;
  /** A checkpoint not complete after this long is abandoned (default 60 000 ms). */
  readonly timeoutMs?: number;
  /** Completed checkpoints to keep (default 1; keep 2 or more to survive a damaged newest one). */
  readonly retained?: number;
  /**
   * Where completed checkpoints are stored (default: a local directory, `.weir/checkpoints`).
   * Each run writes under its own `<job name>-<run id>` sub-prefix; a finished job deletes it.
   */
  readonly storage?: CheckpointStorageOptions;
  /**
   * Unaligned checkpoints (Flink's `execution.checkpointing.unaligned.enabled`, default false):
   * barriers overtake data waiting in buffers, which is persisted with the checkpoint, so
   * checkpoints complete under backpressure.
   */
  readonly unaligned?: boolean;
  /**
   * With `unaligned`: checkpoints start aligned and a task still aligning this long after the
   * trigger switches to unaligned (Flink's `execution.checkpointing.aligned-checkpoint-timeout`);
   * 0 (the default) means unaligned from the start.
   */
  readonly alignedCheckpointTimeoutMs?: number;
}

/** Checkpoint storage: a local directory, S3-compatible object storage, or memory (tests). @public */
export type CheckpointStorageOptions =
  | { readonly kind: "directory"; readonly path?: string }
  | ({ readonly kind: "s3" } & S3BlobStoreOptions)
  | { readonly kind: "memory" };

export interface CompletedCheckpoint {
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly durationMs: number;
  /** Operator snapshots by task (`vertex/subtask`). */
  readonly tasks: ReadonlyMap<string, OperatorSnapshot[]>;
  /** Split-enumerator state by source vertex. */
  readonly enumerators: ReadonlyMap<number, unknown>;
  /** What each task reported about its part, by task. */
  readonly taskStats: ReadonlyMap<string, TaskCheckpointStats>;
  /** In-flight data of an unaligned checkpoint, by task (absent or empty for aligned ones). */
  readonly channelState?: ReadonlyMap<string, TaskChannelState>;
  /** When each task acknowledged, ms after the trigger, by task. */
  readonly acknowledgedAfterMs?: ReadonlyMap<string, number>;
}

/** Figures of one completed checkpoint, for metrics and logs. @public */
export interface CheckpointStats {
  readonly checkpointId: number;
  /** From trigger to durably stored (ms). */
  readonly durationMs: number;
  /**
   * Bytes this checkpoint added to checkpoint storage (Flink's checkpointed data size): what the
   * coordinator wrote plus the state blobs workers uploaded for it; with incremental state only
   * the delta. 0 when checkpoints stay in memory.
   */
  readonly sizeBytes: number;
  /**
   * Bytes a restore from this checkpoint reads (Flink's full checkpoint data size): `sizeBytes`
   * plus the shared blobs earlier checkpoints uploaded that this one still references.
   */
  readonly fullSizeBytes: number;
  /** The longest barrier alignment of any task (ms). */
  readonly maxAlignmentMs: number;
  /** Whether any task took its part unaligned. */
  readonly unaligned: boolean;
  /** Bytes of in-flight data persisted over all tasks (encoded batches). */
  readonly inFlightBytes: number;
  readonly tasks: readonly TaskCheckpointFigures[];
}

/** One task's figures in a completed checkpoint. @public */
export type TaskCheckpointFigures = {
  readonly task: string;
  /** From the trigger until the task acknowledged (its end-to-end duration, ms). */
  readonly acknowledgedAfterMs?: number;
  /** Stored bytes of the task's operator state, shared blobs it references included (full size). */
  readonly stateBytes?: number;
  /** Of `stateBytes`, what this checkpoint added (the task's object and its new blobs). */
  readonly checkpointedBytes?: number;
} & TaskCheckpointStats;

/** Why a checkpoint did not complete. @public */
export interface CheckpointFailure {
  readonly checkpointId: number;
  /**
   * `expired`: not acknowledged in time; `declined`: a task could not take its part (its state
   * upload failed); `stopped`: checkpointing stopped; `storage`: it could not be stored.
   */
  readonly reason: "expired" | "declined" | "stopped" | "storage";
  readonly message: string;
}

export interface CheckpointCallbacks {
  /** Asks the source tasks to take part in checkpoint `checkpointId`, with these barrier options. */
  trigger(checkpointId: number, options: BarrierOptions): void;
  /** The enumerators' state at the trigger. */
  snapshotEnumerators(checkpointId: number): Map<number, unknown>;
  /**
   * Every task acknowledged: store the checkpoint durably. The checkpoint counts as complete (and
   * sinks may commit) only once this resolves; a rejection abandons it.
   */
  persist(checkpoint: CompletedCheckpoint): Promise<void>;
  /** The checkpoint is durable: tell the tasks (sinks commit). */
  completed(checkpoint: CompletedCheckpoint): void;
  /** One line per event worth telling an operator (an abandoned checkpoint). */
  log(message: string): void;
  /** A triggered checkpoint was abandoned. */
  failed?(failure: CheckpointFailure): void;
}

export function checkCheckpointingOptions(
  options: CheckpointingOptions,
): Required<Omit<CheckpointingOptions, "storage">> {
  const timeout = options.alignedCheckpointTimeoutMs ?? 0;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(
      `checkpointing.alignedCheckpointTimeoutMs must be a number >= 0, got ${String(timeout)}`,
    );
  }
  if (options.unaligned !== undefined && typeof options.unaligned !== "boolean") {
    throw new TypeError(`checkpointing.unaligned must be true or false, got ${String(options.unaligned)}`);
  }
  const positive = (field: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`checkpointing.${field} must be a positive number, got ${String(value)}`);
    }
    return value;
  };
  return {
    intervalMs: positive("intervalMs", options.intervalMs),
    timeoutMs: positive("timeoutMs", options.timeoutMs ?? 60_000),
    retained: Math.floor(positive("retained", options.retained ?? 1)),
    unaligned: options.unaligned ?? false,
    alignedCheckpointTimeoutMs: timeout,
  };
}

/** The barrier options of a checkpoint triggered now (as Flink's CheckpointOptions). */
export function barrierOptionsFor(
  options: Required<Omit<CheckpointingOptions, "storage">>,
  triggeredAt: number,
): BarrierOptions {
  if (!options.unaligned) return {};
  if (options.alignedCheckpointTimeoutMs === 0) return { unaligned: true, triggeredAt };
  return { alignedTimeoutMs: options.alignedCheckpointTimeoutMs, triggeredAt };
}

interface Pending {
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly acks: Map<string, OperatorSnapshot[]>;
  readonly stats: Map<string, TaskCheckpointStats>;
  readonly channelState: Map<string, TaskChannelState>;
  readonly acknowledgedAfterMs: Map<string, number>;
  readonly enumerators: Map<number, unknown>;
  readonly timeout: NodeJS.Timeout;
}

export class CheckpointCoordinator {
  readonly #options: Required<Omit<CheckpointingOptions, "storage">>;
  readonly #callbacks: CheckpointCallbacks;
  readonly #completed: CompletedCheckpoint[] = [];
  #expectedTasks: ReadonlySet<string> = new Set();
  #nextId: number;
  #pending: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #persisting: Promise<void> | undefined;
  /** Checkpoints abandoned (timed out or cut short by a finishing task). */
  abandoned = 0;

  constructor(options: CheckpointingOptions, callbacks: CheckpointCallbacks, firstId = 1) {
    this.#options = checkCheckpointingOptions(options);
    this.#callbacks = callbacks;
    this.#nextId = firstId;
  }

  get latest(): CompletedCheckpoint | undefined {
    return this.#completed[this.#completed.length - 1];
  }

  get completedCount(): number {
    return this.#completedTotal;
  }

  #completedTotal = 0;

  /** The job was restored from checkpoint `checkpointId`: later ids must be larger. */
  continueAfter(checkpointId: number): void {
    this.#nextId = Math.max(this.#nextId, checkpointId + 1);
  }

  /** Starts triggering for an attempt whose tasks are `tasks` (`vertex/subtask` keys). */
  start(tasks: readonly string[]): void {
    this.#expectedTasks = new Set(tasks);
    this.#running = true;
    this.#schedule();
  }

  /** Stops triggering and abandons a pending checkpoint (job ending, failing or restarting). */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abandon();
  }

  /** A task finished: barriers can no longer reach everything, so checkpointing ends here. */
  taskFinished(): void {
    this.stop();
  }

  ack(
    checkpointId: number,
    task: string,
    snapshots: OperatorSnapshot[],
    stats: TaskCheckpointStats,
    channelState?: TaskChannelState,
  ): void {
    const pending = this.#pending;
    if (pending === undefined || pending.checkpointId !== checkpointId || !this.#expectedTasks.has(task))
      return;
    pending.acks.set(task, snapshots);
    pending.stats.set(task, stats);
    pending.acknowledgedAfterMs.set(task, Date.now() - pending.triggeredAt);
    if (channelState !== undefined) pending.channelState.set(task, channelState);
    if (pending.acks.size < this.#expectedTasks.size) return;
    clearTimeout(pending.timeout);
    this.#pending = undefined;
    const checkpoint: CompletedCheckpoint = {
      checkpointId,
      triggeredAt: pending.triggeredAt,
      durationMs: Date.now() - pending.triggeredAt,
      tasks: pending.acks,
      enumerators: pending.enumerators,
      taskStats: pending.stats,
      channelState: pending.channelState,
      acknowledgedAfterMs: pending.acknowledgedAfterMs,
    };
    // Fully acknowledged: it completes once stored, even if a failure stops triggering meanwhile
    // (as in Flink, completion is the coordinator's decision, not the tasks').
    this.#persisting = this.#callbacks
      .persist(checkpoint)
      .then(
        () => {
          this.#completed.push(checkpoint);
          this.#completedTotal++;
          while (this.#completed.length > this.#options.retained) this.#completed.shift();
          this.#callbacks.completed(checkpoint);
        },
        (error: unknown) => {
          this.abandoned++;
          const message = `checkpoint ${checkpointId} could not be stored and is abandoned: ${String(error)}`;
          this.#callbacks.log(message);
          this.#callbacks.failed?.({ checkpointId, reason: "storage", message });
        },
      )
      .finally(() => {
        this.#persisting = undefined;
        this.#schedule();
      });
  }

  /**
   * Task `task` declined checkpoint `checkpointId` (see the `checkpoint-declined` message): a
   * pending checkpoint of that id is abandoned now and the next one scheduled; a stale decline
   * (the checkpoint already expired or completed) changes nothing.
   */
  decline(checkpointId: number, task: string, reason: string): void {
    const pending = this.#pending;
    if (pending === undefined || pending.checkpointId !== checkpointId || !this.#expectedTasks.has(task))
      return;
    this.#abandon("declined", `checkpoint ${checkpointId} declined by task ${task}: ${reason}`);
    this.#schedule();
  }

  /** Resolves once no checkpoint is being stored (call before choosing a restore point). */
  async settled(): Promise<void> {
    await this.#persisting;
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#trigger();
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  #trigger(): void {
    if (!this.#running || this.#pending !== undefined || this.#persisting !== undefined) return;
    const checkpointId = this.#nextId++;
    const timeout = setTimeout(() => {
      this.#abandon("expired");
      this.#schedule();
    }, this.#options.timeoutMs);
    timeout.unref();
    const triggeredAt = Date.now();
    this.#pending = {
      checkpointId,
      triggeredAt,
      acks: new Map(),
      stats: new Map(),
      channelState: new Map(),
      acknowledgedAfterMs: new Map(),
      enumerators: this.#callbacks.snapshotEnumerators(checkpointId),
      timeout,
    };
    this.#callbacks.trigger(checkpointId, barrierOptionsFor(this.#options, triggeredAt));
  }

  #abandon(reason: "expired" | "declined" | "stopped" = "stopped", declined?: string): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    clearTimeout(pending.timeout);
    this.#pending = undefined;
    this.abandoned++;
    const message =
      reason === "expired"
        ? `checkpoint ${pending.checkpointId} expired after ${this.#options.timeoutMs} ms ` +
          `(${pending.acks.size} of ${this.#expectedTasks.size} tasks acknowledged)`
        : reason === "declined"
          ? (declined ?? `checkpoint ${pending.checkpointId} declined`)
          : `checkpoint ${pending.checkpointId} abandoned: checkpointing stopped`;
    if (reason !== "stopped") this.#callbacks.log(message);
    this.#callbacks.failed?.({ checkpointId: pending.checkpointId, reason, message });
  }
}
