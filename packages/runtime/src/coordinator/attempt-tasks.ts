/**
 * The tasks of a job run's current attempt: which slots reported ready, which tasks finished, and
 * each slot's task attempt number. A task is named `vertex/subtask`; slot `s` runs subtask `s` of
 * every vertex wider than `s`.
 *
 * Invariants: the job finishes when every task of the graph has finished in the current attempt
 * (a full restart forgets ended and finished tasks; a region restart forgets those of its slots); a slot's
 * attempt number (Flink's per-subtask attempt number) starts at the job's attempt and grows by one
 * with every region restart of that slot.
 * @module
 */

import type { JobGraph } from "../graph/job-graph.ts";

/** A task's key in checkpoints, results and messages. */
export const taskKey = (vertex: number, subtask: number): string => `${vertex}/${subtask}`;

export class AttemptTasks {
  readonly #graph: JobGraph;
  readonly #taskCount: number;
  /** The number of slots: the widest vertex's parallelism. */
  readonly slots: number;
  #ready = 0;
  /** Whether the attempt's enumerators and tasks were started. */
  started = false;
  readonly #finished = new Set<string>();
  /** Tasks whose input ended (with checkpointing on, they finish after a checkpoint). */
  readonly #ended = new Set<string>();
  #slotAttempts: number[] = [];

  constructor(graph: JobGraph) {
    this.#graph = graph;
    this.#taskCount = graph.vertices.reduce((n, v) => n + v.parallelism, 0);
    this.slots = Math.max(...graph.vertices.map((v) => v.parallelism));
  }

  /** A new attempt, number `attempt`, deploys every slot. */
  deploying(attempt: number): void {
    this.#ready = 0;
    this.started = false;
    this.#finished.clear();
    this.#ended.clear();
    this.#slotAttempts = Array.from({ length: this.slots }, () => attempt);
  }

  /** A slot of the attempt reported ready; true when it was the last of `size`. */
  slotReady(size: number | undefined): boolean {
    return ++this.#ready === size;
  }

  /** Task `task` finished; true when every task has. */
  finished(task: string): boolean {
    this.#finished.add(task);
    return this.#finished.size === this.#taskCount;
  }

  /** Task `task`'s input ended; true when every task's has. */
  ended(task: string): boolean {
    this.#ended.add(task);
    return this.#ended.size === this.#taskCount;
  }

  /** A region restart cancelled these tasks: they run again, so they are neither ended nor finished. */
  restarted(tasks: ReadonlySet<string>): void {
    for (const task of tasks) {
      this.#finished.delete(task);
      this.#ended.delete(task);
    }
  }

  /** The attempt number of slot `slot`'s tasks; `fallback` for a slot not deployed yet. */
  attemptOf(slot: number, fallback: number): number {
    return this.#slotAttempts[slot] ?? fallback;
  }

  /** The slots start their next task attempt (a region restart). */
  nextAttempt(slots: readonly number[]): void {
    for (const slot of slots) this.#slotAttempts[slot] = (this.#slotAttempts[slot] ?? 0) + 1;
  }

  /** The tasks the slots run. */
  tasksOf(slots: readonly number[]): string[] {
    const tasks: string[] = [];
    for (const vertex of this.#graph.vertices)
      for (const slot of slots) if (slot < vertex.parallelism) tasks.push(taskKey(vertex.id, slot));
    return tasks;
  }

  /** Every task of the graph. */
  all(): string[] {
    const tasks: string[] = [];
    for (const vertex of this.#graph.vertices)
      for (let s = 0; s < vertex.parallelism; s++) tasks.push(taskKey(vertex.id, s));
    return tasks;
  }
}
