/**
 * Region failover in a job run: which failure may restart only its failover unit, the restart
 * sequence ({@link RegionRestart.restart}), and which slots are in a region restart in progress.
 * The run supplies what the sequence acts on ({@link RegionRestartRun}) and starts the slots once
 * they are ready again.
 *
 * With the `region` failover strategy (the default, as Flink's) a task failure restarts only its
 * failover unit ({@link failoverRegions}): those slots are cancelled and started afresh from the
 * latest completed checkpoint while every other slot keeps running and keeps its progress. A lost
 * TaskManager fails all its slots at once: the union of their units restarts. Anything else — a
 * failure outside a task, a second failure while a region restarts, a failure of every unit, a job
 * that is one region, the `full` strategy, or slots that cannot restart alone — is a full restart.
 *
 * Invariant: at most one region restart is in progress. From a failure until its slots
 * are started again, what the region's slots say is stale (only their cancellation counts); after
 * it, they are live again but the job does not checkpoint until each has reported ready
 * ({@link ready} returns "all"). Sequence: task 1/2 fails -> unit [1] -> restart: slot 1
 * cancelled (stale), restored, started -> slot 1 ready -> "all" -> take() = [1]: start it and
 * resume checkpointing over the whole job.
 * @module
 */

import { restoreForSlot } from "../checkpoint/restore-assignment.ts";
import type { JobGraph } from "../graph/job-graph.ts";
import type { SlotDeployment } from "../rpc/messages.ts";
import type { CheckpointCoordinator, CompletedCheckpoint } from "./checkpoint-coordinator.ts";
import { type FailoverRegions, failoverRegions } from "./failover-regions.ts";
import type { JobExecutionError } from "./job-errors.ts";
import type { FailoverStrategy } from "./local-cluster-options.ts";
import type { AttemptSlots } from "./slot-group.ts";

/** What a region restart acts on in the job run. */
export interface RegionRestartRun {
  readonly jobName: string;
  readonly graph: JobGraph;
  /** Bumped by a full restart and by the end of the job: a region restart in flight stops. */
  epoch(): number;
  readonly checkpoints: CheckpointCoordinator | undefined;
  /** The tasks (`vertex/subtask`) the slots run. */
  tasksOf(slots: readonly number[]): string[];
  /** A region restart of `tasks` begins: count it and tell the observer. */
  restarting(tasks: readonly string[], failure: JobExecutionError): void;
  /** The cancelled tasks: drop what they sent since the restore point; they are unfinished again. */
  cancelled(tasks: ReadonlySet<string>): void;
  /** Where to restore from; `false` when it could not be read (the run then failed). */
  restorePoint(): Promise<CompletedCheckpoint | undefined | false>;
  /** The slots restart from `checkpoint`: reset their readers, count their task attempts. */
  restored(slots: readonly number[], checkpoint: CompletedCheckpoint | undefined): void;
  deployment(
    slot: number,
    checkpoint: CompletedCheckpoint | undefined,
  ): Omit<SlotDeployment, "slot" | "peerPorts" | "restore">;
  log(message: string): void;
}

export class RegionRestart {
  /** Failover units; undefined under the `full` strategy or when the job is one unit. */
  readonly #regions: FailoverRegions | undefined;
  /** Slots of a region restart in progress: their messages are stale until they are restarted. */
  readonly #cancelling = new Set<number>();
  /** The slots of the region restart in progress. */
  #slots: readonly number[] = [];
  /** Restarted slots that have not reported `ready` yet. */
  readonly #awaitingReady = new Set<number>();

  constructor(graph: JobGraph, strategy: FailoverStrategy | undefined) {
    const regions = strategy === "full" ? undefined : failoverRegions(graph);
    this.#regions = regions === undefined || regions.single ? undefined : regions;
  }

  /** The failover unit of a slot, for slot launchers; undefined when every failure is a full restart. */
  get unitOf(): ((slot: number) => readonly number[]) | undefined {
    const regions = this.#regions;
    return regions === undefined ? undefined : (slot) => regions.slotsRestartingWith(slot);
  }

  /** Whether `slot` is being cancelled for a region restart (its messages are stale). */
  isCancelling(slot: number): boolean {
    return this.#cancelling.has(slot);
  }

  /** Whether a region is being cancelled and restored (the job cannot finish meanwhile). */
  get cancellingAny(): boolean {
    return this.#cancelling.size > 0;
  }

  /** Whether every slot of `slots` is already being restarted (their failure is a consequence). */
  allCancelling(slots: readonly number[]): boolean {
    return slots.every((slot) => this.#cancelling.has(slot));
  }

  /**
   * The slots to restart for a failure of `slots` when a region restart can handle it (sorted);
   * undefined when it needs a full restart. `started`: the attempt's tasks were started.
   */
  unitFor(
    slots: readonly number[] | undefined,
    group: AttemptSlots | undefined,
    started: boolean,
  ): number[] | undefined {
    const regions = this.#regions;
    if (
      slots === undefined ||
      regions === undefined ||
      !started ||
      this.#cancelling.size !== 0 ||
      this.#awaitingReady.size !== 0 ||
      group?.cancelSlots === undefined ||
      group.startSlots === undefined
    )
      return undefined;
    const unit = [...new Set(slots.flatMap((slot) => regions.slotsRestartingWith(slot)))].sort(
      (a, b) => a - b,
    );
    return unit.length < group.size ? unit : undefined;
  }

  /**
   * Cancels `slots` (a unit from {@link unitFor}) of `group`, waits `delayMs`, and starts them
   * again from the latest completed checkpoint; the other slots run on. Sequence: checkpointing
   * stops (a pending one is abandoned) and any checkpoint being stored settles, so the restore
   * point is final; what the restarted tasks sent since it is dropped; their sources' later splits
   * go back to the enumerators; the new slots report ready ({@link ready}), and the run starts them
   * and resumes checkpointing over every task. Stops early when the run's epoch moves on.
   */
  async restart(
    run: RegionRestartRun,
    group: AttemptSlots,
    slots: readonly number[],
    delayMs: number,
    failure: JobExecutionError,
  ): Promise<void> {
    const epoch = run.epoch();
    for (const slot of slots) this.#cancelling.add(slot);
    const tasks = run.tasksOf(slots);
    run.restarting(tasks, failure);
    run.log(`${failure.message.split("\n")[0]}: cancelling the region of slot(s) ${slots.join(", ")}`);
    run.checkpoints?.stop();
    await group.cancelSlots!(slots);
    await run.checkpoints?.settled();
    if (epoch !== run.epoch()) return;
    run.cancelled(new Set(tasks));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (epoch !== run.epoch()) return;
    const restoreFrom = await run.restorePoint();
    if (restoreFrom === false || epoch !== run.epoch()) return;
    run.restored(slots, restoreFrom);
    run.log(
      `restarting region of ${tasks.length} task(s) in slot(s) ${slots.join(", ")} of job "${run.jobName}" ` +
        (restoreFrom === undefined
          ? "from the beginning: no checkpoint completed"
          : `from checkpoint ${restoreFrom.checkpointId}`) +
        "; the other tasks keep running",
    );
    for (const slot of slots) this.#awaitingReady.add(slot);
    this.#slots = slots;
    // The restarted slots report ready before any other message: only then are they live again.
    this.#cancelling.clear();
    const graph = run.graph;
    group.startSlots!(
      slots,
      (slot) => run.deployment(slot, restoreFrom),
      (slot) => (restoreFrom === undefined ? [] : restoreForSlot(restoreFrom, graph, slot)),
      restoreFrom?.checkpointId,
    );
  }

  /**
   * Slot `slot` reported ready: "attempt" when it is not a restarted slot (it belongs to the
   * attempt's deployment), "waiting" while other restarted slots are not ready, "all" when it was
   * the last one (then {@link take} the slots to start).
   */
  ready(slot: number): "attempt" | "waiting" | "all" {
    if (!this.#awaitingReady.delete(slot)) return "attempt";
    return this.#awaitingReady.size === 0 ? "all" : "waiting";
  }

  /** The slots of the region restart that just became ready; the restart is over. */
  take(): readonly number[] {
    const slots = this.#slots;
    this.#slots = [];
    return slots;
  }

  /** A full restart supersedes a region restart in progress. */
  reset(): void {
    this.#cancelling.clear();
    this.#awaitingReady.clear();
  }
}
