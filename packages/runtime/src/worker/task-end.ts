/**
 * The end of a task when the run takes checkpoints (Flink's FLIP-147 final checkpoint and its
 * synchronous savepoint). A task whose input ended has finished its operators and sent
 * end-of-partition; it is then ENDED: it stays up, takes its part in every checkpoint at once when
 * triggered (its state is final and nothing is in flight towards it), and is finished when the
 * first checkpoint it took part in as ENDED completes. Only then may a two-phase sink commit its
 * last output: until then a failure elsewhere restores an earlier checkpoint, and that output would
 * be produced again. A task behind a stop-with-savepoint's suspend barrier is SUSPENDED the same
 * way, its operators never ended, and is finished when that checkpoint completes. Operators close
 * when the job shuts down.
 *
 * Ended snapshots are marked `finished`; a task restored from finished snapshots only does not run
 * again (see `StreamTask.start`).
 *
 * Invariant: an ENDED task's snapshot is consistent with its upstream's for the same checkpoint.
 * It takes a checkpoint as ENDED only if it never took that checkpoint's barrier, i.e. every
 * upstream sent end-of-partition before the barrier, so each upstream took its part as ENDED too
 * (everything it sent was sent before its snapshot, and this task processed all of it).
 *
 * Sequence, checkpoint 7 triggered while source S ends: S's trigger mail is dropped (S is
 * finishing); S ends and takes part in 7 as ENDED; the sink behind S gets S's end-of-partition
 * without barrier 7, ends, and takes part in 7 as ENDED too; 7 completes; the sink commits and
 * both report finished. A restore from 7 sends S's end at once and the sink re-commits.
 * @module
 */

import { performance } from "node:perf_hooks";
import type { OperatorSnapshot, StreamOperator } from "../operators/stream-operator.ts";
import type { TaskCheckpointStats } from "../rpc/messages.ts";

/** What the end of a task needs from its task. */
export interface TaskEndHost {
  readonly operators: readonly StreamOperator[];
  /** ENDED: takes checkpoints as ended; SUSPENDED: waits; anything else: the end is over. */
  state(): "ENDED" | "SUSPENDED" | "OTHER";
  acknowledge(checkpointId: number, snapshots: OperatorSnapshot[], stats: TaskCheckpointStats): void;
  finished(): void;
  fail(error: unknown): void;
}

export class TaskEnd {
  readonly #host: TaskEndHost;
  /** The newest checkpoint triggered (told by the coordinator or seen as a barrier). */
  #lastTriggered = 0;
  /** The newest checkpoint the task took its part in (or began to). */
  #lastTaken = 0;
  /** The checkpoint whose completion finishes the task. */
  #finishesWith: number | undefined;
  #reportedFinished = false;
  /** Snapshots and commits, one after another: the task's mailbox no longer runs. */
  #work: Promise<void> = Promise.resolve();

  constructor(host: TaskEndHost) {
    this.#host = host;
  }

  /** Checkpoint `checkpointId` was triggered; the running task waits for its barrier. */
  triggered(checkpointId: number): void {
    this.#lastTriggered = Math.max(this.#lastTriggered, checkpointId);
  }

  /** The running task takes its part in `checkpointId` (a barrier, or a source's trigger). */
  taking(checkpointId: number): void {
    this.#lastTaken = Math.max(this.#lastTaken, checkpointId);
    this.triggered(checkpointId);
  }

  /** The task is ENDED now: a checkpoint triggered before, whose barrier never came, is taken now. */
  ended(): void {
    if (this.#lastTriggered > this.#lastTaken) this.takeEnded(this.#lastTriggered);
  }

  /** The task is SUSPENDED after its part in `checkpointId`: that checkpoint finishes it. */
  suspended(checkpointId: number): void {
    this.#finishesWith = checkpointId;
  }

  /** The ENDED task's part in `checkpointId`: operators prepare (a sink pre-commits), snapshot. */
  takeEnded(checkpointId: number): void {
    this.#then(async () => {
      if (checkpointId <= this.#lastTaken) return;
      this.#lastTaken = checkpointId;
      const started = performance.now();
      for (const op of this.#host.operators) await op.prepareSnapshotPreBarrier?.(checkpointId);
      if (this.#host.state() !== "ENDED") return;
      const snapshots = this.#host.operators.map((op) => markFinished(op.snapshotState(checkpointId)));
      this.#finishesWith ??= checkpointId;
      this.#host.acknowledge(checkpointId, snapshots, {
        alignmentMs: 0,
        snapshotMs: performance.now() - started,
      });
    });
  }

  /** `checkpointId` completed: operators commit what it covers; the task may be finished now. */
  completed(checkpointId: number): void {
    this.#then(async () => {
      for (const op of this.#host.operators) await op.notifyCheckpointComplete?.(checkpointId);
      const finishesWith = this.#finishesWith;
      if (this.#reportedFinished || finishesWith === undefined || checkpointId < finishesWith) return;
      this.#reportedFinished = true;
      this.#host.finished();
    });
  }

  /** Resolves once the work queued so far is done. */
  settled(): Promise<void> {
    return this.#work;
  }

  #then(work: () => Promise<void>): void {
    this.#work = this.#work
      .then(() => (this.#host.state() === "OTHER" ? undefined : work()))
      .catch((error: unknown) => this.#host.fail(error));
  }
}

/** An ENDED task's snapshot (its asynchronous part too): restored, the operator does not run again. */
function markFinished(snapshot: OperatorSnapshot): OperatorSnapshot {
  const asyncPart = snapshot.asyncPart;
  return asyncPart === undefined
    ? { ...snapshot, finished: true }
    : { ...snapshot, finished: true, asyncPart: asyncPart.then((done) => ({ ...done, finished: true })) };
}
