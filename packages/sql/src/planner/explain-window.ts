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

export function windowText(strategy: WindowingStrategy, timeColumn: string): string {
  const parts = [`time_col=[${timeColumn}]`];
  switch (strategy.kind) {
    case "TUMBLE":
      parts.push(`size=[${durationText(strategy.sizeMs)}]`);
      break;
    case "HOP":
      parts.push(`size=[${durationText(strategy.sizeMs)}]`, `slide=[${durationText(strategy.slideMs)}]`);
      break;
    case "CUMULATE":
      parts.push(`max_size=[${durationText(strategy.maxSizeMs)}]`, `step=[${durationText(strategy.stepMs)}]`);
      break;
    case "SESSION":
      parts.push(`gap=[${durationText(strategy.gapMs)}]`);
      break;
  }
  if (strategy.kind !== "SESSION" && strategy.offsetMs !== 0)
    parts.push(`offset=[${durationText(strategy.offsetMs)}]`);
  return `${strategy.kind}(${parts.join(", ")})`;
}
