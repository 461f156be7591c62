/**
 * The source of processing time. Operators and sources never call `Date.now()` or `setTimeout`
 * directly, so a test can drive time by hand ({@link ManualClock}) and timers fire
 * deterministically, without real sleeps.
 * @module
 */

export interface ProcessingClock {
  now(): number;
  /** Calls `callback` once `now() >= at`. Returns a function that cancels the call. */
  schedule(at: number, callback: () => void): () => void;
}

export const SYSTEM_CLOCK: ProcessingClock = {
  now: () => Date.now(),
  schedule(at, callback) {
    const handle = setTimeout(callback, Math.max(0, at - Date.now()));
    // Timers alone never keep a slot's thread alive: once the job is over the thread may end.
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/** A clock that moves only when told to; scheduled callbacks run inside `advanceTo`. */
export class ManualClock implements ProcessingClock {
  #now: number;
  #pending: { at: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(at: number, callback: () => void): () => void {
    const entry = { at, callback, cancelled: false };
    this.#pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves time forward and runs every callback that became due, in time order. */
  advanceTo(time: number): void {
    if (time < this.#now) throw new RangeError(`time cannot go backwards (${this.#now} -> ${time})`);
    for (;;) {
      const due = this.#pending.filter((e) => !e.cancelled && e.at <= time).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#now = Math.max(this.#now, due.at);
      this.#pending = this.#pending.filter((e) => e !== due);
      due.callback();
    }
    this.#now = time;
    this.#pending = this.#pending.filter((e) => !e.cancelled);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }
}
