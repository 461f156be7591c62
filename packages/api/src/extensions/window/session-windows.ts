/**
 * Session windows per key: merging windows, as Flink's `EventTimeSessionWindows` /
 * `ProcessingTimeSessionWindows` with a `MergingWindowSet`. A record at `t` opens `[t, t + gap)`;
 * every session of its key that overlaps that window is merged with it into one session covering
 * all of them, whose contents are the merged contents plus the record. Two records are in one
 * session iff a chain of records less than `gap` apart links them. Windows that only touch are not
 * merged (Flink's `TimeWindow.intersects` merges them, which makes the result depend on whether
 * the earlier session fired before the record at its end arrived; see `TimeWindows.overlaps`).
 *
 * State: one `MapState` per key from session start to `{ end, contents }`. Timers: one at the
 * session's `maxTimestamp` (fire) and, with allowed lateness, one at `maxTimestamp + lateness`
 * (cleanup). Merging moves them: the merged session registers its own, and the timers of the
 * sessions it absorbed are deleted unless another live session of the key still needs them.
 *
 * Invariants:
 * - the sessions of a key are pairwise disjoint (each merge restores this, since only the new
 *   record's window can overlap two of them), so the result does not depend on arrival order as
 *   long as no record is late;
 * - a session's state exists until its cleanup time passes; it fires once when time passes its
 *   `maxTimestamp`, and again when a record within the allowed lateness lands in it;
 * - a record whose window overlaps no session and is itself past the cleanup time is late: it
 *   changes nothing and goes to `onLateRecord`.
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { KeyValue } from "../../key.ts";
import { type MapState, StateDeclarations } from "../../state.ts";
import type { LateRecordHandler } from "./late-records.ts";
import type { KeyedWindowLogic, WindowClock } from "./window-clock.ts";
import type { WindowContents } from "./window-contents.ts";
import type { SessionWindowStrategy } from "./window-strategy.ts";

/**
 * One session of a key as stored in state (the start is the map key).
 *
 * @example
 * ```ts
 * const slot: SessionSlot = { end: 1_030_000, contents: 3 }; // a session with 3 clicks
 * ```
 * @public
 */
export interface SessionSlot {
  /** Exclusive end: the last record's timestamp + gap. */
  readonly end: number;
  /** The window function's contents (accumulator or records). */
  readonly contents: unknown;
}

const SESSIONS = StateDeclarations.map<number, SessionSlot>("session-windows");

const byStart = (a: [number, SessionSlot], b: [number, SessionSlot]) => a[0] - b[0];

/**
 * The session window implementation for `strategy`. `contents` must be mergeable.
 *
 * @example
 * ```ts
 * const strategy = WindowStrategy.session(30_000);
 * const fn = keyedWindowFunction(sessionWindows(strategy, windowContents(count), undefined), "EVENT");
 * ```
 * @public
 */
export function sessionWindows<IN, OUT, K extends KeyValue>(
  strategy: SessionWindowStrategy,
  contents: WindowContents<IN, OUT, K>,
  onLateRecord: LateRecordHandler<IN, OUT, K> | undefined,
): KeyedWindowLogic<IN, OUT, K> {
  if (!contents.mergeable) {
    throw new TypeError(
      "session windows merge, so their aggregate function needs merge(a, b) (or use a full-window function)",
    );
  }
  const gap = strategy.gapMs;
  const lateness = strategy.allowedLatenessMs;

  const fire = (start: number, slot: SessionSlot, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>) =>
    contents.emit(ctx.stateManager.getCurrentKey(), { start, end: slot.end }, slot.contents, output, ctx);

  /** Whether a live session of the key fires or is cleaned up at `timestamp`. */
  const needed = (sessions: MapState<number, SessionSlot>, timestamp: number) => {
    for (const slot of sessions.values()) {
      const maxTimestamp = slot.end - 1;
      if (maxTimestamp === timestamp || maxTimestamp + lateness === timestamp) return true;
    }
    return false;
  };

  /**
   * Registers the timers of a session and, when it is already due (late data), fires it. Event time
   * registers the fire timer even when the session kept its end (deduplicated): after a restore
   * event time starts over, and a session that fired before the snapshot has no fire timer left.
   * Processing time skips it then (its timer is still there, and re-registering wakes the task).
   */
  const schedule = (
    start: number,
    slot: SessionSlot,
    keptEnd: boolean,
    now: number,
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
    clock: WindowClock,
  ) => {
    const maxTimestamp = slot.end - 1;
    if (clock.eventTime && maxTimestamp <= now) fire(start, slot, output, ctx);
    else if (clock.eventTime || !keptEnd) clock.registerTimer(ctx, maxTimestamp);
    if (lateness > 0 && !keptEnd) clock.registerTimer(ctx, maxTimestamp + lateness);
  };

  return {
    states: [SESSIONS],
    onRecord(record, output, ctx, clock) {
      const timestamp = clock.recordTime(ctx);
      const now = clock.now(ctx);
      const sessions = ctx.stateManager.getState(SESSIONS);
      const end = timestamp + gap;
      const overlapping: [number, SessionSlot][] = [];
      for (const entry of sessions.entries()) {
        // TimeWindows.overlaps([timestamp, end), [start, slot.end)), inlined.
        if (entry[0] < end && timestamp < entry[1].end) overlapping.push(entry);
      }
      if (overlapping.length === 0) {
        // A new session; in event time it may be entirely behind the allowed lateness.
        if (clock.eventTime && end - 1 + lateness <= now) {
          onLateRecord?.(record, output, ctx);
          return;
        }
        const slot: SessionSlot = { end, contents: contents.add(record, contents.create()) };
        sessions.put(timestamp, slot);
        schedule(timestamp, slot, false, now, output, ctx, clock);
        return;
      }
      // Merge every overlapping session and the record's window into one session.
      overlapping.sort(byStart);
      const first = overlapping[0]!;
      let mergedStart = Math.min(timestamp, first[0]);
      let mergedEnd = end;
      let merged = first[1].contents;
      for (let i = 0; i < overlapping.length; i++) {
        const [start, slot] = overlapping[i]!;
        if (i > 0) merged = contents.merge(merged, slot.contents);
        if (slot.end > mergedEnd) mergedEnd = slot.end;
        if (start < mergedStart) mergedStart = start;
        sessions.remove(start);
      }
      const slot: SessionSlot = { end: mergedEnd, contents: contents.add(record, merged) };
      // Timers of absorbed sessions that nobody needs any more go; the merged session's come.
      const newFire = mergedEnd - 1;
      for (const [, old] of overlapping) {
        const oldFire = old.end - 1;
        for (const time of lateness > 0 ? [oldFire, oldFire + lateness] : [oldFire]) {
          if (time !== newFire && time !== newFire + lateness && !needed(sessions, time)) {
            clock.deleteTimer(ctx, time);
          }
        }
      }
      sessions.put(mergedStart, slot);
      const keptEnd = overlapping.some(([, old]) => old.end === mergedEnd);
      schedule(mergedStart, slot, keptEnd, now, output, ctx, clock);
    },
    onTimer(timestamp, output, ctx) {
      const sessions = ctx.stateManager.getState(SESSIONS);
      const due: [number, SessionSlot][] = [];
      for (const entry of sessions.entries()) {
        const maxTimestamp = entry[1].end - 1;
        if (maxTimestamp === timestamp || maxTimestamp + lateness <= timestamp) due.push(entry);
      }
      due.sort(byStart);
      for (const [start, slot] of due) {
        const maxTimestamp = slot.end - 1;
        if (maxTimestamp === timestamp) fire(start, slot, output, ctx);
        if (maxTimestamp + lateness <= timestamp) sessions.remove(start);
      }
    },
    flush(output, ctx, clock) {
      const sessions = ctx.stateManager.getState(SESSIONS);
      const now = clock.now(ctx);
      const all = [...sessions.entries()].sort(byStart);
      for (const [start, slot] of all) {
        const maxTimestamp = slot.end - 1;
        // Event time: sessions at or behind event time have fired already and only wait for cleanup.
        if (!clock.eventTime || maxTimestamp > now) fire(start, slot, output, ctx);
        clock.deleteTimer(ctx, maxTimestamp);
        if (lateness > 0) clock.deleteTimer(ctx, maxTimestamp + lateness);
      }
      sessions.clear();
    },
  };
}
