/**
 * Specs of the windowing operators behind Flink's window table-valued functions (`TUMBLE`, `HOP`,
 * `CUMULATE`, `SESSION`): the contract between the planner's translation and the operators here.
 *
 * Window bounds are epoch milliseconds, start inclusive and end exclusive, like the time attribute
 * values (see `../../data/values.ts`); `window_time` is `end - 1`, the largest timestamp in the
 * window, as Flink defines it for event time. Aligned windows are aligned to the epoch plus
 * `offsetMs`.
 * @module
 */

import type { AggregateCallSpec, StatefulOptions } from "../operator-specs.ts";

export type WindowingStrategy =
  | { readonly kind: "TUMBLE"; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: "HOP"; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs: number }
  | {
      readonly kind: "CUMULATE";
      readonly maxSizeMs: number;
      readonly stepMs: number;
      readonly offsetMs: number;
    }
  | { readonly kind: "SESSION"; readonly gapMs: number };

/** Which clock places rows in windows and closes them. */
export type WindowTimeKind = "rowtime" | "proctime";

/**
 * The window TVF on its own (`SELECT * FROM TABLE(TUMBLE(…))` feeding anything but a window
 * aggregation): each input row comes out once per window it belongs to, with `window_start`,
 * `window_end` and `window_time` appended. Aligned windows only (a SESSION TVF needs its
 * aggregation to know where sessions end).
 */
export interface WindowTableFunctionSpec {
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
}

/**
 * Window aggregation: `GROUP BY window_start, window_end, k…` over a window TVF. Keyed by the group
 * key (`groupKey`, without the window columns). Each window emits once, when it closes (the
 * watermark passes `window_end - 1`, or processing time reaches `window_end`), as inserts:
 * `[...group key fields, ...one field per call, window_start, window_end, window_time]`.
 * Rows later than the watermark for every window they belong to are dropped, as Flink drops them.
 */
export interface WindowAggregateSpec extends StatefulOptions {
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCallSpec[];
}

/**
 * Window aggregation over rows whose windows are already attached (a window TVF, possibly with a
 * Calc in between, feeding `GROUP BY …, window_start, window_end`), as Flink's window aggregate with
 * an attached windowing strategy. Keyed by the whole group key, window columns included; each group
 * fires once when its window closes. Output: the group key fields in `groupKey` order, then one
 * field per call — exactly the logical aggregate's row.
 */
export interface AttachedWindowAggregateSpec extends StatefulOptions {
  /** Input indices of the group key; they include `windowEndIndex`. */
  readonly groupKey: readonly number[];
  /** Input index of `window_end` (epoch milliseconds). */
  readonly windowEndIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly calls: readonly AggregateCallSpec[];
}
