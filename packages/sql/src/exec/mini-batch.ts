/**
 * When a mini-batch (`table.exec.mini-batch.enabled`) folds: the batch clock shared by the
 * mini-batch group aggregation and join.
 *
 * Invariants: every key buffered while a batch is open shares the batch's deadline (`latencyMs`
 * after its first row), so their processing-time timers fire together; a row arriving at or after
 * the deadline opens the next batch. Every `size` rows the operator folds the key it is processing
 * at once (a process function reaches only the current key's state); the count then starts again.
 * Example, latency 100: rows at t=0, 40 → deadline 100; a row at t=100 → deadline 200.
 * @module
 */

/** The `table.exec.mini-batch.*` options of a spec. */
export interface MiniBatchOptions {
  readonly enabled: boolean;
  readonly size: number;
  readonly latencyMs: number;
}

export class MiniBatchTrigger {
  readonly #size: number;
  readonly #latencyMs: number;
  #deadline = Number.NEGATIVE_INFINITY;
  #rows = 0;

  /** Throws a RangeError naming the option when `size` or `latencyMs` is not usable. */
  constructor(options: MiniBatchOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(
        `table.exec.mini-batch.size must be a positive integer, got ${String(options.size)}`,
      );
    }
    if (
      typeof options.latencyMs !== "number" ||
      !(options.latencyMs > 0) ||
      !Number.isFinite(options.latencyMs)
    ) {
      throw new RangeError(
        `table.exec.mini-batch.allow-latency must be a positive duration, got ${String(options.latencyMs)} ms`,
      );
    }
    this.#size = options.size;
    this.#latencyMs = options.latencyMs;
  }

  /** The deadline of the batch a row arriving at `now` belongs to. */
  deadlineFor(now: number): number {
    if (now >= this.#deadline) this.#deadline = now + this.#latencyMs;
    return this.#deadline;
  }

  /** Counts one buffered row; true when the current key should fold now. */
  countRow(): boolean {
    if (++this.#rows < this.#size) return false;
    this.#rows = 0;
    return true;
  }
}
