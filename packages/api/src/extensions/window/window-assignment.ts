/**
 * Window assignment for aligned (tumbling and sliding) windows, as Flink's
 * `TimeWindow.getWindowStartWithOffset` and `SlidingEventTimeWindows.assignWindows`.
 *
 * Invariant: `alignedWindowStart(t, offset, size)` is the largest `start <= t` with
 * `start ≡ offset (mod size)`, for negative timestamps too, so `[start, start + size)` contains `t`.
 * A record at `t` belongs to the windows of `size` sliding by `slide` that start at
 * `alignedWindowStart(t, offset, slide) - k * slide` for `k = 0, 1, ...` while `start > t - size`
 * (all windows containing `t`, newest first; tumbling windows are the case `slide = size`).
 * @module
 */

/**
 * The start of the aligned window of `sizeMs` (shifted by `offsetMs`) that contains `timestamp`.
 *
 * @example
 * ```ts
 * alignedWindowStart(12_345, 0, 10_000);   // 10_000
 * alignedWindowStart(-1, 0, 10_000);       // -10_000
 * alignedWindowStart(12_345, 3_000, 10_000); // 3_000
 * ```
 * @public
 */
export function alignedWindowStart(timestamp: number, offsetMs: number, sizeMs: number): number {
  const remainder = (timestamp - offsetMs) % sizeMs;
  return remainder < 0 ? timestamp - (remainder + sizeMs) : timestamp - remainder;
}
