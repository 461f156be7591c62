/**
 * Tumbling and sliding windows per key (Flink's `WindowOperator` with `TumblingEventTimeWindows` /
 * `SlidingEventTimeWindows` and their processing-time twins, `EventTimeTrigger`, allowed lateness).
 *
 * State: one `MapState` per key from window start to the window's contents; the window end is
 * `start + size`, so nothing else is stored. Timers: one at `maxTimestamp` (fire) and, with allowed
 * lateness, one at `maxTimestamp + allowedLateness` (cleanup). In event time the fire timer is
 * registered with every record that does not fire the window at once (as Flink's
 * `EventTimeTrigger`), in processing time when the window is created; the cleanup timer when the
 * window's state is created. A timer at `t` fires the window whose `maxTimestamp` is
 * `t` and removes the window whose cleanup time is `t` (the same window when there is no lateness).
 *
 * Invariants:
 * - a window's state exists iff its cleanup time is still ahead of event time (processing time:
 *   until it fired), so state is bounded by the windows that can still change;
 * - a window fires once when time passes its `maxTimestamp`, and once more for every record that
 *   arrives within the allowed lateness (emitting the updated result);
 * - a record whose every window is past its cleanup time is late: it changes nothing and goes to
 *   `onLateRecord` (when its timestamp + lateness is behind event time, as Flink decides).
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { KeyValue } from "../../key.ts";
import { StateDeclarations } from "../../state.ts";
import type { LateRecordHandler } from "./late-records.ts";
import { alignedWindowStart } from "./window-assignment.ts";
import type { KeyedWindowLogic, WindowClock } from "./window-clock.ts";
import type { WindowContents } from "./window-contents.ts";
import type { SlidingWindowStrategy, TumblingWindowStrategy } from "./window-strategy.ts";

/** Window start -> contents, per key. Window ends follow from the size. */
const CONTENTS = StateDeclarations.map<number, unknown>("window-contents");

/**
 * The tumbling or sliding window implementation for `strategy`.
 *
 * @example
 * ```ts
 * const strategy = WindowStrategy.sliding(10, 5);
 * const fn = keyedWindowFunction(alignedWindows(strategy, windowContents(fn), undefined), strategy.timeType);
 * ```
 * @public
 */
export function alignedWindows<IN, OUT, K extends KeyValue>(
  strategy: TumblingWindowStrategy | SlidingWindowStrategy,
  contents: WindowContents<IN, OUT, K>,
  onLateRecord: LateRecordHandler<IN, OUT, K> | undefined,
): KeyedWindowLogic<IN, OUT, K> {
  const size = strategy.sizeMs;
  const slide = strategy.kind === "sliding" ? strategy.slideMs : size;
  const offset = strategy.offsetMs;
  const lateness = strategy.allowedLatenessMs;

  const fire = (start: number, value: unknown, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>) =>
    contents.emit(ctx.stateManager.getCurrentKey(), { start, end: start + size }, value, output, ctx);

  return {
    states: [CONTENTS],
    onRecord(record, output, ctx, clock) {
      const timestamp = clock.recordTime(ctx);
      const now = clock.now(ctx);
      const eventTime = clock.eventTime;
      const windows = ctx.stateManager.getState(CONTENTS);
      let accepted = false;
      for (
        let start = alignedWindowStart(timestamp, offset, slide);
        start > timestamp - size;
        start -= slide
      ) {
        const maxTimestamp = start + size - 1;
        // Event time: a window past its cleanup time is gone (Flink's isWindowLate).
        if (eventTime && maxTimestamp + lateness <= now) continue;
        accepted = true;
        const previous = windows.get(start);
        const value = contents.add(record, previous === undefined ? contents.create() : previous);
        windows.put(start, value);
        if (eventTime && maxTimestamp <= now) {
          // Within the allowed lateness: the window has fired (or would have); fire the update now.
          fire(start, value, output, ctx);
        } else if (eventTime || previous === undefined) {
          // Event time: on every record, as Flink's EventTimeTrigger (timers are deduplicated per key
          // and time): after a restore event time starts over, and a window that fired before the
          // snapshot has no fire timer left, yet must fire again for this record. Processing time:
          // once per window (a processing-time window fires once, and its timer is in the snapshot).
          clock.registerTimer(ctx, maxTimestamp);
        }
        if (previous === undefined && lateness > 0) clock.registerTimer(ctx, maxTimestamp + lateness);
      }
      if (!accepted && eventTime && timestamp + lateness <= now) onLateRecord?.(record, output, ctx);
    },
    onTimer(timestamp, output, ctx) {
      const windows = ctx.stateManager.getState(CONTENTS);
      const fireStart = timestamp + 1 - size;
      const value = windows.get(fireStart);
      if (value !== undefined) {
        fire(fireStart, value, output, ctx);
        if (lateness === 0) windows.remove(fireStart);
      }
      if (lateness > 0) {
        const cleanupStart = fireStart - lateness;
        if (windows.contains(cleanupStart)) windows.remove(cleanupStart);
      }
    },
    flush(output, ctx, clock: WindowClock) {
      const windows = ctx.stateManager.getState(CONTENTS);
      const now = clock.now(ctx);
      const starts = [...windows.keys()].sort((a, b) => a - b);
      for (const start of starts) {
        const maxTimestamp = start + size - 1;
        // Event time: windows at or behind event time have fired already and only wait for cleanup.
        if (!clock.eventTime || maxTimestamp > now) fire(start, windows.get(start), output, ctx);
        clock.deleteTimer(ctx, maxTimestamp);
        if (lateness > 0) clock.deleteTimer(ctx, maxTimestamp + lateness);
      }
      windows.clear();
    },
  };
}
