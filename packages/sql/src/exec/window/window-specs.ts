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
 * When a window aggregation emits (Flink's WindowEmitStrategy, the experimental
 * `table.exec.emit.*` options, honoured for legacy group windows only). Absent: each window emits
 * once, an insert, when it closes. With early or (event-time) late firing the aggregation emits
 * updates instead: +I the first time a window's result comes out, then -U/+U (only +U when the
 * consumer takes upserts) each time it fires with a different result; an unchanged result is not
 * emitted again.
 *
 * Worked sequence, TUMBLE 10 s, COUNT(*), early delay 0 (every row fires), late delay 0, allowed
 * lateness 5 s:
 * ```text
 * +I[a, 1 s] -> +I[a, 1]     +I[a, 2 s] -> -U[a, 1] +U[a, 2]
 * watermark 10 s: the window closes, unchanged: nothing
 * +I[a, 3 s] (late, within 5 s) -> -U[a, 2] +U[a, 3]
 * watermark 14.999 s: end − 1 + lateness passed, the window's state is freed
 * +I[a, 4 s] -> dropped (too late)
 * ```
 */
export interface WindowEmitStrategy extends WindowEmitConfig {
  /** Emit -U before +U (false: the consumer takes upserts, +U alone). */
  readonly generateUpdateBefore: boolean;
}

/** The planner's part of {@link WindowEmitStrategy}: when to fire, not how the consumer takes it. */
export interface WindowEmitConfig {
  /** Early firing before the window closes: null off, 0 on every row, > 0 that much processing time after the first row since the last firing. */
  readonly earlyFireDelayMs: number | null;
  /** Late firing for rows within the allowed lateness (event time only): null off, 0 every row, > 0 a delay as early firing. */
  readonly lateFireDelayMs: number | null;
  /** Event time: how long after `window_end - 1` a window keeps its state and takes late rows. */
  readonly allowLatenessMs: number;
}

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
  /** Early / late firing (legacy group windows); absent: emit once per window, as inserts. */
  readonly emit?: WindowEmitStrategy;
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
  /** Early / late firing (legacy group windows); absent: emit once per window, as inserts. */
  readonly emit?: WindowEmitStrategy;
}

/**
 * The local phase of a two-phase window aggregation (TUMBLE / HOP / CUMULATE over event time,
 * `table.optimizer.agg-phase-strategy` not ONE_PHASE): non-keyed, before the shuffle, it folds rows
 * into partial accumulators per (group key, slice) — see `window-slices.ts` — and sends them on at
 * every watermark. Partial row layout, the contract with the global phase, for k key fields and c
 * calls: `[key_0 … key_{k-1}, rows, acc_0 … acc_{c-1}, slice_end]`, always +I.
 */
export interface LocalWindowAggregateSpec {
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  /**
   * Attached windows (rows carry window_start / window_end, both in `groupKey`): the input index of
   * window_end, which becomes the partial's slice_end; `timeIndex` is then unused.
   */
  readonly windowEndIndex?: number;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCallSpec[];
}

/**
 * The global phase: keyed by the partial rows' first `keyCount` fields, it merges partials into
 * per-slice accumulators and fires each window when the watermark passes its end − 1, merging its
 * slices. Output row as the one-phase {@link WindowAggregateSpec}: keys, calls, window_start,
 * window_end, window_time.
 */
export interface GlobalWindowAggregateSpec extends StatefulOptions {
  readonly strategy: WindowingStrategy;
  readonly keyCount: number;
  readonly calls: readonly AggregateCallSpec[];
}

/**
 * The global phase over attached windows: keyed by the partial rows' first `keyCount` fields (the
 * group key, window columns included), it merges partials per (group, window) and fires each when
 * the watermark passes its window_end − 1 (the partial's slice_end). Output row as
 * {@link AttachedWindowAggregateSpec}: the group key fields, then one field per call.
 */
export interface GlobalAttachedWindowAggregateSpec extends StatefulOptions {
  readonly keyCount: number;
  readonly calls: readonly AggregateCallSpec[];
}
