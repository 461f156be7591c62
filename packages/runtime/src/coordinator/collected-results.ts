/**
 * What collect sinks sent to the job client, with exactly-once visibility: records of one sink
 * subtask are pending until that subtask acknowledges a checkpoint (they become part of it), and
 * committed when the checkpoint completes or the job finishes. A restart drops what was not
 * committed, since the restored job produces it again; a region restart drops only what the
 * restarted tasks sent (the others keep running, and their records stay pending).
 *
 * Live delivery ({@link CollectedResults.deliver}, the run option `onCollected`): committed
 * records go to a callback as they become final instead of being kept for `collected()` — per
 * completed checkpoint with checkpointing, at once without it (such a run must not restart, since
 * it would produce them again; `startJobRun` refuses that combination). Sequence with
 * checkpointing: `add(t, "r", [a])` → nothing; `taskCheckpointed(t, 1)`; `checkpointCompleted(1)`
 * → `deliver("r", [a])`; `add(t, "r", [b])`; a restart → `discardUncommitted()` drops `b`, which
 * the restored job sends again, so every record reaches the callback exactly once.
 * @module
 */

import type { Sink } from "@weir/api";

/** Receives committed records of the collect sink named `sink` (`Sinks.collect()`'s name). */
export type CollectedListener = (sink: string, records: readonly unknown[]) => void;

/** The name `Sinks.collect()` gave `sink`, the key of its records; throws for other sinks. */
export function collectSinkName(sink: unknown): string {
  const name = (sink as { collectName?: unknown } | null)?.collectName;
  if (typeof name !== "string") throw new TypeError("expected a sink made by Sinks.collect()");
  return name;
}

export class CollectedResults {
  readonly #committed = new Map<string, unknown[]>();
  #listener: CollectedListener | undefined;
  /** Without checkpointing a record is final once received. */
  #immediate = false;
  /** By task, records received since the task's last checkpoint acknowledgement. */
  readonly #pending = new Map<string, { name: string; records: unknown[] }[]>();
  /** By checkpoint id, records a task placed in that checkpoint, with the task. */
  readonly #byCheckpoint = new Map<number, { task: string; name: string; records: unknown[] }[]>();

  /**
   * From now on, committed records go to `listener` (and are not kept); `immediate`: the run takes
   * no checkpoints, so records are committed as they arrive.
   */
  deliver(listener: CollectedListener, immediate: boolean): void {
    this.#listener = listener;
    this.#immediate = immediate;
  }

  add(task: string, name: string, records: unknown[]): void {
    if (this.#immediate) {
      this.#commit([{ name, records }]);
      return;
    }
    let list = this.#pending.get(task);
    if (list === undefined) {
      list = [];
      this.#pending.set(task, list);
    }
    list.push({ name, records });
  }

  /** `task` acknowledged checkpoint `checkpointId`: what it sent so far belongs to that checkpoint. */
  taskCheckpointed(task: string, checkpointId: number): void {
    const pending = this.#pending.get(task);
    if (pending === undefined || pending.length === 0) return;
    this.#pending.delete(task);
    const list = this.#byCheckpoint.get(checkpointId) ?? [];
    for (const batch of pending) list.push({ task, ...batch });
    this.#byCheckpoint.set(checkpointId, list);
  }

  checkpointCompleted(checkpointId: number): void {
    for (const [id, batches] of [...this.#byCheckpoint]) {
      if (id > checkpointId) continue;
      this.#commit(batches);
      this.#byCheckpoint.delete(id);
    }
  }

  /** The job finished: everything received is final. */
  finished(): void {
    for (const id of [...this.#byCheckpoint.keys()].sort((a, b) => a - b))
      this.#commit(this.#byCheckpoint.get(id)!);
    this.#byCheckpoint.clear();
    for (const batches of this.#pending.values()) this.#commit(batches);
    this.#pending.clear();
  }

  /** A restart: uncommitted records will be produced again from the restored checkpoint. */
  discardUncommitted(): void {
    this.#pending.clear();
    this.#byCheckpoint.clear();
  }

  /**
   * Some tasks restart from the latest completed checkpoint: what they sent that it does not
   * contain (pending, or in a later checkpoint that never completed) will be produced again.
   */
  discardUncommittedOf(tasks: ReadonlySet<string>): void {
    for (const task of tasks) this.#pending.delete(task);
    for (const [id, batches] of this.#byCheckpoint) {
      const kept = batches.filter((b) => !tasks.has(b.task));
      if (kept.length === 0) this.#byCheckpoint.delete(id);
      else this.#byCheckpoint.set(id, kept);
    }
  }

  get(name: string): unknown[] {
    return this.#committed.get(name) ?? [];
  }

  /** `JobExecutionResult.collected`: the records kept for `sink`, a `Sinks.collect()` sink. */
  collectedOf<T>(sink: Sink<T, unknown>): T[] {
    const name = (sink as { collectName?: string }).collectName;
    if (name === undefined) throw new TypeError("collected() expects a sink made by Sinks.collect()");
    return this.get(name) as T[];
  }

  #commit(batches: readonly { name: string; records: unknown[] }[]): void {
    const listener = this.#listener;
    if (listener !== undefined) {
      for (const { name, records } of batches) listener(name, records);
      return;
    }
    for (const { name, records } of batches) {
      let list = this.#committed.get(name);
      if (list === undefined) {
        list = [];
        this.#committed.set(name, list);
      }
      for (const record of records) list.push(record);
    }
  }
}
