/**
 * Runs the tasks of one slot on the slot's event loop. Work is done in time slices: round-robin
 * `step()` calls until nothing progresses or the slice is used up, then the loop yields (so
 * messages from other threads, timers and promise callbacks get their turn) and continues with
 * `setImmediate` if work remains. With no work it sleeps until some event calls `wake()`.
 * @module
 */

import { performance } from "node:perf_hooks";
import type { StreamTask } from "./stream-task.ts";

/** Long enough to amortise yielding, short enough to keep control messages and credits flowing. */
const SLICE_MS = 4;

export class SlotScheduler {
  readonly #tasks: StreamTask[] = [];
  #scheduled = false;

  add(task: StreamTask): void {
    this.#tasks.push(task);
  }

  wake(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#run());
  }

  #run(): void {
    this.#scheduled = false;
    const tasks = this.#tasks;
    const deadline = performance.now() + SLICE_MS;
    for (;;) {
      let progress = false;
      for (let i = 0; i < tasks.length; i++) if (tasks[i]!.step()) progress = true;
      if (!progress) return;
      if (performance.now() >= deadline) {
        this.wake();
        return;
      }
    }
  }
}
