/**
 * The event-time window join (Flink's `join().where().equalTo().window()`): left and right records
 * of the same key that fall into the same tumbling or sliding window are paired when event time
 * passes the window's end; each pair is emitted once per window they share, stamped with the
 * window's last millisecond (`end - 1`).
 *
 * State stays bounded: both sides of a window are dropped when it fires. A record whose windows
 * have all fired (at or behind the current event time) is late and dropped, as in Flink.
 *
 * Sequence, tumbling 10 ms, key k: `L(3) R(7) R(12) W(9) L(15) W(19)` emits `(L3,R7)` at W(9)
 * (window [0, 10)) and `(L15,R12)` at W(19) (window [10, 20)).
 * @module
 */

import type { Collector, RuntimeContext } from "../../contexts.ts";
import type { TwoInputNonBroadcastStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import { StateDeclarations } from "../../state.ts";
import { EventTimeExtension } from "../event-time.ts";
import type { EventTimeManager } from "../extension-hooks.ts";
import { alignedWindowStart } from "../window/window-assignment.ts";
import type {
  SlidingWindowStrategy,
  TumblingWindowStrategy,
  WindowStrategy,
} from "../window/window-strategy.ts";
import { checkJoinFunction, type JoinFunction } from "./join-function.ts";

/** Window starts of every window of `strategy` that contains `timestamp`. */
function windowStarts(strategy: TumblingWindowStrategy | SlidingWindowStrategy, timestamp: number): number[] {
  const slide = strategy.kind === "tumbling" ? strategy.sizeMs : strategy.slideMs;
  const starts: number[] = [];
  for (
    let start = alignedWindowStart(timestamp, strategy.offsetMs, slide);
    start > timestamp - strategy.sizeMs;
    start -= slide
  ) {
    starts.push(start);
  }
  return starts;
}

/** The window join as an event-time two-input process function. */
export function windowJoin<IN1, IN2, OUT, K extends KeyValue>(
  fn: JoinFunction<IN1, IN2, OUT>,
  strategy: WindowStrategy,
): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
  checkJoinFunction(fn, "Joins.windowJoin");
  if (
    strategy === null ||
    typeof strategy !== "object" ||
    (strategy.kind !== "tumbling" && strategy.kind !== "sliding")
  ) {
    throw new TypeError(
      "Joins.windowJoin supports tumbling and sliding windows (WindowStrategy.tumbling / sliding)",
    );
  }
  if (strategy.timeType !== "EVENT")
    throw new TypeError("Joins.windowJoin joins on event time; use an EVENT-time window strategy");
  const aligned = strategy;
  const LEFT = StateDeclarations.map<number, IN1[]>("window-join-left");
  const RIGHT = StateDeclarations.map<number, IN2[]>("window-join-right");
  let time: EventTimeManager;
  // One reusable collector stamping the window's last millisecond on every pair.
  const stamped = {
    output: undefined as unknown as Collector<OUT>,
    timestamp: 0,
    collect(record: OUT) {
      this.output.collectAndOverwriteTimestamp(record, this.timestamp);
    },
    collectAndOverwriteTimestamp(record: OUT, timestamp: number) {
      this.output.collectAndOverwriteTimestamp(record, timestamp);
    },
  };

  /** Buffers `record` in every open window of its timestamp and makes sure the windows will fire. */
  const buffer = <T>(record: T, state: { get(k: number): T[] | undefined; put(k: number, v: T[]): void }) => {
    const t = time.recordTimestamp();
    if (!Number.isFinite(t))
      throw new TypeError("a window join needs event timestamps on its inputs (use a watermark generator)");
    for (const start of windowStarts(aligned, t)) {
      const end = start + aligned.sizeMs - 1;
      if (end <= time.currentTime()) continue; // this window already fired: late for it
      state.put(start, [...(state.get(start) ?? []), record]);
      time.registerTimer(end);
    }
  };

  return EventTimeExtension.wrapProcessFunction<IN1, IN2, OUT, K>({
    usesStates: () => [LEFT, RIGHT],
    initEventTimeProcessFunction(manager) {
      time = manager;
    },
    processRecordFromFirstInput(record, _output, ctx) {
      buffer(record, ctx.stateManager.getState(LEFT));
    },
    processRecordFromSecondInput(record, _output, ctx) {
      buffer(record, ctx.stateManager.getState(RIGHT));
    },
    onEventTimer(end, output, ctx) {
      const start = end + 1 - aligned.sizeMs;
      const lefts = ctx.stateManager.getState(LEFT);
      const rights = ctx.stateManager.getState(RIGHT);
      const ls = lefts.get(start);
      const rs = rights.get(start);
      lefts.remove(start);
      rights.remove(start);
      if (ls === undefined || rs === undefined) return;
      stamped.output = output;
      stamped.timestamp = end;
      for (const left of ls)
        for (const right of rs) fn.processRecord(left, right, stamped, ctx as RuntimeContext);
    },
  });
}
