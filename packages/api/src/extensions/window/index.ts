/**
 * The window extension (FLIP-501): window strategies, window functions and `Windows.window`, which
 * turns them into an ordinary process function built only from primitives. This file only
 * re-exports the public parts; each concept lives in its own file with the invariant it keeps.
 * @module
 */

export type { LateRecordHandler, WindowOutput } from "./late-records.ts";
export { type TimeWindow, TimeWindows } from "./time-window.ts";
export {
  type AggregateWindowFunction,
  type ProcessWindowFunction,
  type WindowFunction,
  WindowFunctions,
} from "./window-functions.ts";
export {
  type AlignedWindowOptions,
  type GlobalWindowStrategy,
  type SessionWindowOptions,
  type SessionWindowStrategy,
  type SlidingWindowStrategy,
  type TimeType,
  type TumblingWindowStrategy,
  WindowStrategy,
} from "./window-strategy.ts";
export { type WindowOptions, Windows } from "./windows.ts";
