/**
 * Slices of aligned windows (Flink's SliceAssigners), the unit of two-phase window aggregation: the
 * local phase pre-aggregates rows per (key, slice), the global phase merges slices into windows.
 * TUMBLE: a slice is the window. HOP: slices are `slide` long and a window is its `size / slide`
 * last slices. CUMULATE: slices are `step` long and a window is every slice from the start of its
 * max-size window up to its end. A slice is named by its end (exclusive, epoch ms).
 *
 * Worked example, HOP size 10 s slide 2 s: t = 13.5 s is in slice (12 s, 14 s]… named 14 s; that
 * slice takes part in the windows ending at 14, 16, 18, 20 and 22 s; the window ending at 20 s is
 * the slices ending at 12, 14, 16, 18 and 20 s.
 * @module
 */

import { windowStart } from "./window-assigner.ts";
import type { WindowingStrategy } from "./window-specs.ts";

type AlignedStrategy = Exclude<WindowingStrategy, { kind: "SESSION" }>;

function sliceSize(strategy: AlignedStrategy): number {
  switch (strategy.kind) {
    case "TUMBLE":
      return strategy.sizeMs;
    case "HOP":
      return strategy.slideMs;
    case "CUMULATE":
      return strategy.stepMs;
  }
}

/** The end of the slice holding time `t`. */
export function sliceEndOf(strategy: AlignedStrategy, t: number): number {
  const size = sliceSize(strategy);
  return windowStart(t, strategy.offsetMs, size) + size;
}

/** The end of the first window the slice ending at `sliceEnd` belongs to: the slice's own end. */
export function firstWindowEnd(sliceEnd: number): number {
  return sliceEnd;
}

/** The end of the last window the slice ending at `sliceEnd` belongs to. */
export function lastWindowEnd(strategy: AlignedStrategy, sliceEnd: number): number {
  switch (strategy.kind) {
    case "TUMBLE":
      return sliceEnd;
    case "HOP":
      return sliceEnd + strategy.sizeMs - strategy.slideMs;
    case "CUMULATE":
      return windowStart(sliceEnd - 1, strategy.offsetMs, strategy.maxSizeMs) + strategy.maxSizeMs;
  }
}

/** The end of the window after the one ending at `windowEnd` that shares slices with it, or null. */
export function nextWindowEnd(strategy: AlignedStrategy, windowEnd: number): number | null {
  switch (strategy.kind) {
    case "TUMBLE":
      return null;
    case "HOP":
      return windowEnd + strategy.slideMs;
    case "CUMULATE":
      return windowEnd === lastWindowEnd(strategy, windowEnd) ? null : windowEnd + strategy.stepMs;
  }
}

/** The start of the window ending at `windowEnd`. */
export function windowStartOf(strategy: AlignedStrategy, windowEnd: number): number {
  switch (strategy.kind) {
    case "TUMBLE":
      return windowEnd - strategy.sizeMs;
    case "HOP":
      return windowEnd - strategy.sizeMs;
    case "CUMULATE":
      return windowStart(windowEnd - 1, strategy.offsetMs, strategy.maxSizeMs);
  }
}

/** Calls `visit(sliceEnd)` for every slice of the window ending at `windowEnd`, oldest first. */
export function forEachSliceOf(
  strategy: AlignedStrategy,
  windowEnd: number,
  visit: (sliceEnd: number) => void,
): void {
  const step = sliceSize(strategy);
  const start = windowStartOf(strategy, windowEnd);
  for (let end = start + step; end <= windowEnd; end += step) visit(end);
}

/** The oldest slice end still needed by a window ending after `windowEnd`. */
export function oldestSliceAfter(strategy: AlignedStrategy, windowEnd: number): number {
  const next = nextWindowEnd(strategy, windowEnd);
  if (next === null) return windowEnd + 1; // nothing of this window is needed again
  return windowStartOf(strategy, next) + sliceSize(strategy);
}
