/**
 * Event-time services of one operator whose function carries the event-time hook (see
 * `EventTimeExtension.wrapProcessFunction`): the current event time, per-key event timers, and the
 * `EventTimeManager` handed to the function.
 *
 * Invariant: event time only moves forward, and when it moves to `t` every timer `<= t` fires,
 * earliest first, before the watermark itself is handled or forwarded (as in Flink). A timer
 * registered at or before the current event time fires with the next event-time watermark.
 * @module
 */

import type { EventTimeHook, EventTimeManager, KeyValue } from "@weir/api";
import type { StateBackend } from "../state/state-backend.ts";
import { TimerQueue } from "../time/timer-queue.ts";
import { misuse } from "../user-code-error.ts";

export class EventTimeService {
  readonly hook: EventTimeHook;
  /** Undefined on non-keyed operators, where event timers are not available. */
  readonly timers: TimerQueue | undefined;
  #eventTime = Number.NEGATIVE_INFINITY;
  readonly #backend: StateBackend;
  readonly #operatorName: string;

  constructor(hook: EventTimeHook, backend: StateBackend, keyed: boolean, operatorName: string) {
    this.hook = hook;
    this.#backend = backend;
    this.#operatorName = operatorName;
    this.timers = keyed ? new TimerQueue() : undefined;
  }

  get currentTime(): number {
    return this.#eventTime;
  }

  manager(recordTimestamp: () => number): EventTimeManager {
    const timers = (): TimerQueue => {
      if (this.timers === undefined) {
        throw misuse(
          this.#operatorName,
          "event-time timers are only available on keyed streams (use keyBy first)",
        );
      }
      return this.timers;
    };
    const backend = this.#backend;
    return {
      registerTimer: (timestamp) => {
        if (typeof timestamp !== "number" || Number.isNaN(timestamp)) {
          throw misuse(
            this.#operatorName,
            `registerTimer expects an event timestamp in milliseconds, got ${String(timestamp)}`,
          );
        }
        timers().register(timestamp, backend.currentKeyId, backend.currentKey);
      },
      deleteTimer: (timestamp) => timers().delete(timestamp, backend.currentKeyId),
      currentTime: () => this.#eventTime,
      recordTimestamp,
    };
  }

  /**
   * Moves event time to `timestamp` and fires the due timers through `fire` (key already current).
   * Returns false when event time did not move.
   */
  advance(timestamp: number, fire: (at: number) => void): boolean {
    if (timestamp <= this.#eventTime) return false;
    this.#eventTime = timestamp;
    const backend = this.#backend;
    this.timers?.fireDue(timestamp, (at, key: KeyValue) => {
      backend.setCurrentKey(key);
      fire(at);
    });
    return true;
  }
}
