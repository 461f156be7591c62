/**
 * EXPLAIN text of a windowing that rows already carry, as Flink prints it for WindowRank,
 * WindowDeduplicate and WindowJoin: `TUMBLE(win_start=[window_start], win_end=[window_end],
 * size=[10 s])`, with the parameters of {@link windowParameters}.
 * @module
 */

import type { WindowingStrategy } from "../exec/window/window-specs.ts";
import { windowParameters } from "./explain-window.ts";

export function attachedWindowText(strategy: WindowingStrategy, startName: string, endName: string): string {
  const parts = [`win_start=[${startName}]`, `win_end=[${endName}]`, ...windowParameters(strategy, false)];
  return `${strategy.kind}(${parts.join(", ")})`;
}
