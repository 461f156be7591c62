/**
 * Which aligned windows a timestamp belongs to (Flink's TimeWindow.getWindowStartWithOffset and the
 * slicing assigners). Worked example, HOP size 10 s slide 2 s, t = 13.5 s: the windows starting at
 * 12, 10, 8, 6 and 4 s (all starts s with s ≤ t < s + 10 s, on the 2 s grid).
 * @module
 */

import type { WindowingStrategy } from "./window-specs.ts";

/** The start of the window of `size` (aligned to `offset`) that holds `t`. */
export function windowStart(t: number, offset: number, size: number): number {
  const remainder = (t - offset) % size;
  return remainder < 0 ? t - (remainder + size) : t - remainder;
}

/**
 * Calls `visit(start, end)` for every window of an aligned strategy that holds `t`, newest first.
 * SESSION is not aligned and is handled by the session operator.
 */
export function forEachWindow(
  strategy: WindowingStrategy,
  t: number,
  visit: (start: number, end: number) => void,
): void {
  switch (strategy.kind) {
    case "TUMBLE": {
      const start = windowStart(t, strategy.offsetMs, strategy.sizeMs);
      visit(start, start + strategy.sizeMs);
      return;
    }
    case "HOP": {
      const last = windowStart(t, strategy.offsetMs, strategy.slideMs);
      for (let start = last; start > t - strategy.sizeMs; start -= strategy.slideMs) {
        visit(start, start + strategy.sizeMs);
      }
      return;
    }
    case "CUMULATE": {
      // Windows share the start of the max-size window and grow by one step each.
      const start = windowStart(t, strategy.offsetMs, strategy.maxSizeMs);
      const maxEnd = start + strategy.maxSizeMs;
      for (let end = maxEnd; end > t; end -= strategy.stepMs) visit(start, end);
      return;
    }
    case "SESSION":
      throw new Error("session windows are not aligned: they are assigned by the session window aggregation");
  }
}

/** Checks sizes as Flink's TVF validation does; the message names the function and argument. */
export function validateStrategy(strategy: WindowingStrategy): void {
  const positive = (value: number, what: string) => {
    if (!(Number.isFinite(value) && value > 0))
      throw new RangeError(`${what} must be a positive interval, got ${value} ms`);
  };
  switch (strategy.kind) {
    case "TUMBLE":
      positive(strategy.sizeMs, "TUMBLE size");
      return;
    case "HOP":
      positive(strategy.sizeMs, "HOP size");
      positive(strategy.slideMs, "HOP slide");
      if (strategy.sizeMs % strategy.slideMs !== 0) {
        throw new RangeError(
          `HOP table function based aggregate requires size must be an integral multiple of slide, but got size ${strategy.sizeMs} ms and slide ${strategy.slideMs} ms`,
        );
      }
      return;
    case "CUMULATE":
      positive(strategy.maxSizeMs, "CUMULATE max size");
      positive(strategy.stepMs, "CUMULATE step");
      if (strategy.maxSizeMs % strategy.stepMs !== 0) {
        throw new RangeError(
          `CUMULATE table function based aggregate requires maxSize must be an integral multiple of step, but got maxSize ${strategy.maxSizeMs} ms and step ${strategy.stepMs} ms`,
        );
      }
      return;
    case "SESSION":
      positive(strategy.gapMs, "SESSION gap");
      return;
  }
}
