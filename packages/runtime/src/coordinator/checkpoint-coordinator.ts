/**
 * Triggers checkpoints and collects the tasks' acknowledgements (Chandy-Lamport, as Flink):
 * every `intervalMs` the coordinator snapshots the split enumerators and asks every source task to
 * checkpoint; barriers then flow with the data; each task acknowledges with its operators'
 * snapshots once it forwarded the barrier. With `unaligned` on, barriers overtake in-flight data
 * and tasks acknowledge with that data as channel state too (FLIP-76); `alignedCheckpointTimeoutMs`
 * > 0 starts each checkpoint aligned and lets tasks switch to unaligned once it has run that long.
 * When every task has acknowledged, the checkpoint is complete: it is kept (the newest `retained`
 * ones) and the tasks are notified, so sinks commit.
 *
 * Invariants:
 * - at most `maxConcurrent` checkpoints are in flight (triggered, not yet complete or abandoned);
 *   unaligned checkpoints run one at a time (the options refuse more, as Flink does);
 * - a trigger is due `intervalMs` after the previous trigger and never sooner than `minPauseMs`
 *   after the last completion (Flink's interval and min-pause);
 * - checkpoints complete in id order: one fully acknowledged subsumes (abandons) every earlier one
 *   still waiting, and stores run one after another, so retention — run while storing — only ever
 *   sees complete checkpoints older than those still pending and never sweeps a pending one's
 *   shared blobs (their ids are above the newest complete one); the complete checkpoints a pending
 *   one may build on incrementally are reported by `basesInUse` for retention to keep;
 * - a checkpoint not complete after `timeoutMs` is abandoned; ids only grow;
 * - tasks whose input ended take part too (they answer the trigger at once, see `StreamTask`);
 *   once every task has ended ({@link expedite}) checkpoints follow each other without the
 *   interval, since the job only finishes when one of them completes; after one in which every
 *   task had ended completes, none is triggered (the job is finishing; a restart starts afresh);
 * - stop-with-savepoint ({@link stopWithSavepoint}) ends in one checkpoint marked `terminal`:
 *   `suspend` triggers it as soon as allowed with a suspend barrier and triggers nothing after it;
 *   `drain` waits for the first checkpoint every task took part in after its input ended (the
 *   run tells the sources to end).
 *
 * Sequence with `maxConcurrent` 2, interval 10 ms, a slow upload at one task: t=0 trigger 1;
 * t=10 trigger 2 (1 still waits for that task); t=20 no trigger (2 in flight); t=25 1 acknowledged
 * and stored -> complete, sinks commit 1, trigger 3 (due since t=20); t=27 2 complete. Had 2 been
 * fully acknowledged before 1, 1 would be abandoned as `subsumed` and 2 completed alone.
 * @module
 */

import type { BarrierOptions } from "../exchange/channel-event.ts";
import type { TaskChannelState } from "../exchange/channel-state.ts";
import type { OperatorSnapshot } from "../operators/stream-operator.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";
import {
  barrierOptionsFor,
  type CheckedCheckpointingOptions,
  type CheckpointingOptions,
  checkCheckpointingOptions,
} from "./checkpointing-options.ts";

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
  /** The last checkpoint of a stop-with-savepoint: the job stops with it (see the module). */
  readonly terminal?: boolean;
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
   * upload failed); `stopped`: checkpointing stopped; `storage`: it could not be stored;
   * `subsumed`: a later checkpoint completed first (not a failure of the job's checkpointing).
   */
  readonly reason: "expired" | "declined" | "stopped" | "storage" | "subsumed";
  readonly message: string;
  /** It was a stop-with-savepoint's terminal checkpoint: the stop failed. */
  readonly terminal?: boolean;
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

interface Pending {
  readonly checkpointId: number;
  readonly triggeredAt: number;
  readonly acks: Map<string, OperatorSnapshot[]>;
  readonly stats: Map<string, TaskCheckpointStats>;
  readonly channelState: Map<string, TaskChannelState>;
  readonly acknowledgedAfterMs: Map<string, number>;
  readonly enumerators: Map<number, unknown>;
  readonly timeout: NodeJS.Timeout;
  /** A suspend checkpoint of stop-with-savepoint. */
  readonly terminal: boolean;
}

type AbandonReason = "expired" | "declined" | "stopped" | "subsumed";

export class CheckpointCoordinator {
  readonly #options: CheckedCheckpointingOptions;
  readonly #callbacks: CheckpointCallbacks;
  readonly #completed: CompletedCheckpoint[] = [];
  #expectedTasks: ReadonlySet<string> = new Set();
  #nextId: number;
  /** Triggered, not yet fully acknowledged, by id (insertion order is id order). */
  readonly #pending = new Map<number, Pending>();
  /** Fully acknowledged checkpoints whose `persist` has not settled yet. */
  #persistingCount = 0;
  /** Persists run one after another in id order (see the module's invariants). */
  #persistChain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  /** See {@link expedite}; reset by {@link start}. */
  #expedited = false;
  /** A checkpoint every task took after its end completed: no more are needed; reset by {@link start}. */
  #finalCompleted = false;
  /** A stop-with-savepoint in progress, and its suspend checkpoint once triggered; reset by {@link start}. */
  #stopping: { readonly mode: "suspend" | "drain"; suspendId?: number } | undefined;
  #lastTriggerAt = 0;
  /** Ids of completed checkpoints a pending one may build on (see {@link basesInUse}). */
  readonly #recentCompleted: number[] = [];
  /**
   * For each checkpoint triggered and not yet stored or abandoned: the newest complete checkpoint
   * at its trigger (0: none). Removed when its store starts (it is the newest then).
   */
  readonly #completedBefore = new Map<number, number>();
  /** When the last checkpoint completed (min-pause counts from here, as in Flink). */
  #lastCompletedAt = Number.NEGATIVE_INFINITY;
  /** Checkpoints abandoned (timed out, declined, subsumed or stopped). */
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

  /** Checkpoints triggered and not yet complete or abandoned (pending acknowledgements or being stored). */
  get inFlight(): number {
    return this.#pending.size + this.#persistingCount;
  }

  #completedTotal = 0;

  /**
   * Complete checkpoints that a checkpoint still in flight may build on, which retention must keep
   * even beyond `retained`: a worker's incremental snapshot for checkpoint P references the state
   * blobs of the newest completion it heard of (its base), any one from the newest complete at P's
   * trigger on. Sequence, retained 1: 5 complete; 6 and 7 triggered; a task snapshots 7 as a delta
   * on 5; 6 completes -> retention would delete 5 and the blobs only it lists, which 7 needs, so 5
   * stays until 7 ends. Empty when nothing is in flight beyond the one being stored.
   */
  basesInUse(): ReadonlySet<number> {
    let floor = Number.POSITIVE_INFINITY;
    for (const before of this.#completedBefore.values()) floor = Math.min(floor, before);
    return new Set(this.#recentCompleted.filter((id) => id >= floor));
  }

  /** The job was restored from checkpoint `checkpointId`: later ids must be larger. */
  continueAfter(checkpointId: number): void {
    this.#nextId = Math.max(this.#nextId, checkpointId + 1);
  }

  /** Starts triggering for an attempt whose tasks are `tasks` (`vertex/subtask` keys). */
  start(tasks: readonly string[]): void {
    this.#expectedTasks = new Set(tasks);
    this.#running = true;
    this.#expedited = false;
    this.#finalCompleted = false;
    this.#stopping = undefined;
    this.#lastTriggerAt = Date.now();
    this.#schedule();
  }

  /** Stops triggering and abandons pending checkpoints (job ending, failing or restarting). */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const pending of [...this.#pending.values()]) this.#abandon(pending, "stopped");
  }

  /**
   * Stop-with-savepoint (see the module): `suspend` triggers the terminal checkpoint as soon as no
   * more than `maxConcurrent` are in flight; `drain` marks as terminal the first checkpoint whose
   * every task had ended (their snapshots are all finished), expedited once every task ended.
   */
  stopWithSavepoint(mode: "suspend" | "drain"): void {
    this.#stopping = { mode };
    if (mode === "suspend") {
      this.#expedited = true;
      this.#reschedule();
    }
  }

  /**
   * Every task's input ended: the job finishes once a checkpoint completes, so the next trigger
   * is due now and later ones without the interval (min-pause still applies) until it ends.
   */
  expedite(): void {
    if (!this.#running || this.#expedited) return;
    this.#expedited = true;
    this.#reschedule();
  }

  ack(
    checkpointId: number,
    task: string,
    snapshots: OperatorSnapshot[],
    stats: TaskCheckpointStats,
    channelState?: TaskChannelState,
  ): void {
    const pending = this.#pending.get(checkpointId);
    if (pending === undefined || !this.#expectedTasks.has(task)) return;
    pending.acks.set(task, snapshots);
    pending.stats.set(task, stats);
    pending.acknowledgedAfterMs.set(task, Date.now() - pending.triggeredAt);
    if (channelState !== undefined) pending.channelState.set(task, channelState);
    if (pending.acks.size < this.#expectedTasks.size) return;
    clearTimeout(pending.timeout);
    this.#pending.delete(checkpointId);
    // A later checkpoint complete subsumes the earlier ones still waiting (as Flink's coordinator):
    // restoring from it never needs them, and completions stay in id order.
    for (const earlier of [...this.#pending.values()])
      if (earlier.checkpointId < checkpointId)
        this.#abandon(earlier, "subsumed", `checkpoint ${earlier.checkpointId} subsumed by ${checkpointId}`);
    const everyTaskEnded = allFinished(pending.acks);
    const checkpoint: CompletedCheckpoint = {
      checkpointId,
      triggeredAt: pending.triggeredAt,
      durationMs: Date.now() - pending.triggeredAt,
      tasks: pending.acks,
      enumerators: pending.enumerators,
      taskStats: pending.stats,
      channelState: pending.channelState,
      acknowledgedAfterMs: pending.acknowledgedAfterMs,
      ...(pending.terminal || (this.#stopping?.mode === "drain" && everyTaskEnded) ? { terminal: true } : {}),
    };
    this.#persistingCount++;
    // Fully acknowledged: it completes once stored, even if a failure stops triggering meanwhile
    // (as in Flink, completion is the coordinator's decision, not the tasks'). Stores are chained:
    // retention, run by `persist`, must never see a newer checkpoint complete while an older one is
    // half written (it would sweep the older one's shared blobs as leftovers).
    this.#persistChain = this.#persistChain
      .then(() => {
        this.#completedBefore.delete(checkpointId);
        return this.#callbacks.persist(checkpoint);
      })
      .then(
        () => {
          this.#completed.push(checkpoint);
          this.#completedTotal++;
          if (everyTaskEnded) this.#finalCompleted = true;
          this.#lastCompletedAt = Date.now();
          this.#recentCompleted.push(checkpointId);
          this.#pruneRecentCompleted();
          while (this.#completed.length > this.#options.retained) this.#completed.shift();
          this.#callbacks.completed(checkpoint);
        },
        (error: unknown) => {
          this.abandoned++;
          const message = `checkpoint ${checkpointId} could not be stored and is abandoned: ${String(error)}`;
          this.#callbacks.log(message);
          this.#callbacks.failed?.({
            checkpointId,
            reason: "storage",
            message,
            ...(checkpoint.terminal === true ? { terminal: true } : {}),
          });
        },
      )
      .finally(() => {
        this.#persistingCount--;
        this.#reschedule();
      });
  }

  /**
   * Task `task` declined checkpoint `checkpointId` (see the `checkpoint-declined` message): a
   * pending checkpoint of that id is abandoned now and the next one scheduled; a stale decline
   * (the checkpoint already expired or completed) changes nothing.
   */
  decline(checkpointId: number, task: string, reason: string): void {
    const pending = this.#pending.get(checkpointId);
    if (pending === undefined || !this.#expectedTasks.has(task)) return;
    this.#abandon(pending, "declined", `checkpoint ${checkpointId} declined by task ${task}: ${reason}`);
    this.#reschedule();
  }

  /** Resolves once no checkpoint is being stored (call before choosing a restore point). */
  async settled(): Promise<void> {
    let chain: Promise<void>;
    do {
      chain = this.#persistChain;
      await chain;
    } while (chain !== this.#persistChain);
  }

  /** A checkpoint ended: the next trigger may now be allowed, or due later (min-pause). */
  #reschedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule();
  }

  /**
   * Arms the next trigger unless `maxConcurrent` checkpoints are in flight (then the end of one
   * re-arms it): due `intervalMs` after the previous trigger and `minPauseMs` after the last
   * completion, whichever is later.
   */
  #schedule(): void {
    if (!this.#running || this.#timer !== undefined) return;
    // Nothing after a stop-with-savepoint's suspend checkpoint (the tasks take no more input) or
    // after a checkpoint of every task ended (the job is finishing).
    if (this.#stopping?.suspendId !== undefined || this.#finalCompleted) return;
    if (this.inFlight >= this.#options.maxConcurrent) return;
    const due = Math.max(
      this.#expedited ? 0 : this.#lastTriggerAt + this.#options.intervalMs,
      this.#lastCompletedAt + this.#options.minPauseMs,
    );
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#trigger();
      },
      Math.max(0, due - Date.now()),
    );
    this.#timer.unref();
  }

  #trigger(): void {
    if (!this.#running || this.inFlight >= this.#options.maxConcurrent) return;
    const stopping = this.#stopping;
    if (stopping?.suspendId !== undefined || this.#finalCompleted) return;
    const checkpointId = this.#nextId++;
    const terminal = stopping?.mode === "suspend";
    if (terminal) stopping.suspendId = checkpointId;
    const timeout = setTimeout(() => {
      const pending = this.#pending.get(checkpointId);
      if (pending === undefined) return;
      this.#abandon(pending, "expired");
      this.#reschedule();
    }, this.#options.timeoutMs);
    timeout.unref();
    const triggeredAt = Date.now();
    this.#lastTriggerAt = triggeredAt;
    this.#pending.set(checkpointId, {
      checkpointId,
      triggeredAt,
      acks: new Map(),
      stats: new Map(),
      channelState: new Map(),
      acknowledgedAfterMs: new Map(),
      enumerators: this.#callbacks.snapshotEnumerators(checkpointId),
      timeout,
      terminal,
    });
    this.#completedBefore.set(checkpointId, this.#recentCompleted[this.#recentCompleted.length - 1] ?? 0);
    // A savepoint is aligned (as Flink's); a suspend barrier stops the tasks behind it.
    this.#callbacks.trigger(
      checkpointId,
      terminal ? { suspend: true, triggeredAt } : barrierOptionsFor(this.#options, triggeredAt),
    );
    this.#schedule();
  }

  /** Keeps the newest completion and those a pending checkpoint may build on. */
  #pruneRecentCompleted(): void {
    const keep = this.basesInUse();
    const newest = this.#recentCompleted[this.#recentCompleted.length - 1];
    const kept = this.#recentCompleted.filter((id) => id === newest || keep.has(id));
    this.#recentCompleted.splice(0, this.#recentCompleted.length, ...kept);
  }

  #abandon(pending: Pending, reason: AbandonReason, detail?: string): void {
    clearTimeout(pending.timeout);
    this.#pending.delete(pending.checkpointId);
    this.#completedBefore.delete(pending.checkpointId);
    this.abandoned++;
    const message =
      reason === "expired"
        ? `checkpoint ${pending.checkpointId} expired after ${this.#options.timeoutMs} ms ` +
          `(${pending.acks.size} of ${this.#expectedTasks.size} tasks acknowledged)`
        : reason === "stopped"
          ? `checkpoint ${pending.checkpointId} abandoned: checkpointing stopped`
          : (detail ?? `checkpoint ${pending.checkpointId} ${reason}`);
    if (reason !== "stopped") this.#callbacks.log(message);
    this.#callbacks.failed?.({
      checkpointId: pending.checkpointId,
      reason,
      message,
      ...(pending.terminal ? { terminal: true } : {}),
    });
  }
}

/** Whether every task's snapshots were taken after its input ended (a drained job's last checkpoint). */
function allFinished(acks: ReadonlyMap<string, OperatorSnapshot[]>): boolean {
  if (acks.size === 0) return false;
  for (const snapshots of acks.values())
    if (snapshots.length === 0 || !snapshots.every((s) => s.finished === true)) return false;
  return true;
}
