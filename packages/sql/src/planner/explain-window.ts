/**
 * EXPLAIN text of windowing, as Flink prints it: `TUMBLE(time_col=[ts], size=[10 s])`,
 * `HOP(time_col=[ts], size=[10 s], slide=[2 s])`, `CUMULATE(…, max_size=[…], step=[…])`,
 * `SESSION(time_col=[ts], gap=[…])`, with `offset=[…]` when non-zero.
 * @module
 */

import type { WindowingStrategy } from "../exec/window/window-specs.ts";

/** `10 s`, `500 ms`, `5 min`, `1 h`, `1 d`: the largest unit that divides the interval. */
export function durationText(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1_000, "s"],
  ];
  for (const [size, unit] of units) if (ms !== 0 && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

/**
 * A strategy's parameters as Flink prints them: `size=[10 s]`, `slide=[2 s]`, `gap=[…]`, and
 * `offset=[…]` when non-zero and `withOffset`.
 */
export function windowParameters(strategy: WindowingStrategy, withOffset = true): string[] {
  const offsetText = (offsetMs: number): string[] =>
    withOffset && offsetMs !== 0 ? [`offset=[${durationText(offsetMs)}]`] : [];
  switch (strategy.kind) {
    case "TUMBLE":
      return [`size=[${durationText(strategy.sizeMs)}]`, ...offsetText(strategy.offsetMs)];
    case "HOP":
      return [
        `size=[${durationText(strategy.sizeMs)}]`,
        `slide=[${durationText(strategy.slideMs)}]`,
        ...offsetText(strategy.offsetMs),
      ];
    case "CUMULATE":
      return [
        `max_size=[${durationText(strategy.maxSizeMs)}]`,
        `step=[${durationText(strategy.stepMs)}]`,
        ...offsetText(strategy.offsetMs),
      ];
    case "SESSION":
      return [`gap=[${durationText(strategy.gapMs)}]`];
  }
}

export function windowText(strategy: WindowingStrategy, timeColumn: string): string {
  return `${strategy.kind}(${[`time_col=[${timeColumn}]`, ...windowParameters(strategy)].join(", ")})`;
}
