/**
 * The time window: a half-open interval of milliseconds `[start, end)`, as Flink's `TimeWindow`.
 *
 * Invariant: a window contains the timestamps `t` with `start <= t < end`; its last timestamp,
 * `maxTimestamp = end - 1`, is the event (or processing) time at which it fires and the timestamp
 * its results carry. The global window spans every timestamp (`[-Infinity, +Infinity)`).
 * @module
 */

/**
 * A window `[start, end)` in milliseconds since the epoch.
 *
 * @example
 * ```ts
 * const window: TimeWindow = { start: 0, end: 10_000 }; // the first ten seconds of 1970
 * TimeWindows.maxTimestamp(window); // 9_999
 * ```
 * @public
 */
export interface TimeWindow {
  /** First timestamp inside the window. */
  readonly start: number;
  /** First timestamp after the window (exclusive). */
  readonly end: number;
}

/**
 * Helpers for {@link TimeWindow}s.
 *
 * @example
 * ```ts
 * TimeWindows.maxTimestamp({ start: 0, end: 10 });                    // 9
 * TimeWindows.overlaps({ start: 0, end: 10 }, { start: 9, end: 20 });  // true: they share 9
 * TimeWindows.overlaps({ start: 0, end: 10 }, { start: 10, end: 20 }); // false: they only touch
 * TimeWindows.cover({ start: 0, end: 10 }, { start: 5, end: 20 });     // { start: 0, end: 20 }
 * ```
 * @public
 */
export const TimeWindows = {
  /** The window of the global strategy: every timestamp, fired at end of input. */
  GLOBAL: Object.freeze({ start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY }) as TimeWindow,
  /** The last timestamp inside `window` (`end - 1`): when it fires, and its results' timestamp. */
  maxTimestamp(window: TimeWindow): number {
    return window.end - 1;
  },
  /**
   * Whether two windows share a timestamp (`a.start < b.end && b.start < a.end`): session windows
   * that overlap are merged. Unlike Flink's `TimeWindow.intersects`, windows that only touch
   * (`a.end === b.start`) do not overlap: a session `[s, e)` may already have fired at `e - 1` when
   * an on-time record at `e` arrives, so merging touching windows would make results depend on
   * watermark timing.
   */
  overlaps(a: TimeWindow, b: TimeWindow): boolean {
    return a.start < b.end && b.start < a.end;
  },
  /** The smallest window containing both. */
  cover(a: TimeWindow, b: TimeWindow): TimeWindow {
    return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
  },
} as const;
