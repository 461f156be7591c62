/**
 * EXPLAIN text of a windowing that rows already carry, as Flink prints it for WindowRank,
 * WindowDeduplicate and WindowJoin: `TUMBLE(win_start=[window_start], win_end=[window_end],
 * size=[10 s])` (HOP adds `slide`, CUMULATE has `max_size` and `step`, SESSION `gap`).
 * @module
 */

import type { WindowingStrategy } from "../exec/window/window-specs.ts";
import { durationText } from "./explain-window.ts";

export function attachedWindowText(strategy: WindowingStrategy, startName: string, endName: string): string {
  const parts = [`win_start=[${startName}]`, `win_end=[${endName}]`];
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
  return `${strategy.kind}(${parts.join(", ")})`;
}
