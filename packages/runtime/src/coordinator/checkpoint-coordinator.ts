/**
 * Triggers aligned checkpoints and collects the tasks' acknowledgements (Chandy-Lamport, as Flink):
 * every `intervalMs` the coordinator snapshots the split enumerators and asks every source task to
 * checkpoint; barriers then flow with the data; each task acknowledges with its operators'
 * snapshots once it forwarded the barrier. When every task has acknowledged, the checkpoint is
 * complete: it is kept (the newest `retained` ones) and the tasks are notified, so sinks commit.
 *
 * Invariants: at most one checkpoint is pending (max concurrent checkpoints 1); a checkpoint not
 * complete after `timeoutMs` is abandoned; no checkpoint is triggered once any task has finished
 * (a finished source cannot inject barriers), and a pending one is then abandoned; ids only grow.
 * @module
 */

import type { S3BlobStoreOptions } from "../checkpoint/storage/s3-blob-store.ts";
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
}

/** Figures of one completed checkpoint, for metrics and logs. @public */
export interface CheckpointStats {
  readonly checkpointId: number;
  /** From trigger to durably stored (ms). */
  readonly durationMs: number;
  /** Bytes written to checkpoint storage (0 when checkpoints stay in memory). */
  readonly sizeBytes: number;
  /** The longest barrier alignment of any task (ms). */
  readonly maxAlignmentMs: number;
  readonly tasks: readonly ({ readonly task: string } & TaskCheckpointStats)[];
}

export interface CheckpointCallbacks {
  /** Asks the source tasks to take part in checkpoint `checkpointId`. */
  trigger(checkpointId: number): void;
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
}

export function checkCheckpointingOptions(
  options: CheckpointingOptions,
): Required<Omit<CheckpointingOptions, "storage">> {
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
  };
}

interface Pending {
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly acks: Map<string, OperatorSnapshot[]>;
  readonly stats: Map<string, TaskCheckpointStats>;
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

  ack(checkpointId: number, task: string, snapshots: OperatorSnapshot[], stats: TaskCheckpointStats): void {
    const pending = this.#pending;
    if (pending === undefined || pending.checkpointId !== checkpointId || !this.#expectedTasks.has(task))
      return;
    pending.acks.set(task, snapshots);
    pending.stats.set(task, stats);
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
          this.#callbacks.log(
            `checkpoint ${checkpointId} could not be stored and is abandoned: ${String(error)}`,
          );
        },
      )
      .finally(() => {
        this.#persisting = undefined;
        this.#schedule();
      });
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
      this.#abandon();
      this.#schedule();
    }, this.#options.timeoutMs);
    timeout.unref();
    this.#pending = {
      checkpointId,
      triggeredAt: Date.now(),
      acks: new Map(),
      stats: new Map(),
      enumerators: this.#callbacks.snapshotEnumerators(checkpointId),
      timeout,
    };
    this.#callbacks.trigger(checkpointId);
  }

  #abandon(): void {
    if (this.#pending === undefined) return;
    clearTimeout(this.#pending.timeout);
    this.#pending = undefined;
    this.abandoned++;
  }
}
