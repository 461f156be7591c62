/**
 * The event-time interval join (Flink's `IntervalJoinOperator`): a left record at time `t` meets
 * the right records of the same key with timestamps in `[t + lowerBound, t + upperBound]`
 * (bounds inclusive unless excluded). Each pair is emitted once, when its later record arrives,
 * with the larger of the two timestamps.
 *
 * State stays bounded: a left record at `t` can meet no future right record once event time has
 * passed `t + upperBound` (later records are newer than the watermark), so it is dropped then; a
 * right record at `t` likewise after `t - lowerBound`. Records at or behind the current event time
 * are late and are dropped, as in Flink.
 *
 * Sequence, bounds [-2, +1] (L(t) meets R in [t-2, t+1]), key k: `L(5) R(4) R(7) W(6) L(6)`:
 * R(4) emits (L5,R4); R(7) meets no left (L5 needs R <= 6); W(6) drops L(5) (5 + 1 <= 6) and R(4)
 * (4 + 2 <= 6); L(6) is late (6 <= 6) and is dropped.
 * @module
 */

import type { Collector, RuntimeContext } from "../../contexts.ts";
import type { TwoInputNonBroadcastStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import { StateDeclarations } from "../../state.ts";
import { EventTimeExtension } from "../event-time.ts";
import type { EventTimeManager } from "../extension-hooks.ts";
import { checkJoinFunction, type JoinFunction } from "./join-function.ts";

/** Bounds of an interval join, relative to the left record's timestamp. @public */
export interface IntervalJoinBounds {
  readonly lowerBoundMs: number;
  readonly upperBoundMs: number;
  /** Default true. */
  readonly lowerInclusive?: boolean;
  /** Default true. */
  readonly upperInclusive?: boolean;
}

/** The interval join as an event-time two-input process function. */
export function intervalJoin<IN1, IN2, OUT, K extends KeyValue>(
  fn: JoinFunction<IN1, IN2, OUT>,
  bounds: IntervalJoinBounds,
): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
  checkJoinFunction(fn, "Joins.intervalJoin");
  const { lowerBoundMs, upperBoundMs } = bounds ?? ({} as IntervalJoinBounds);
  if (
    typeof lowerBoundMs !== "number" ||
    typeof upperBoundMs !== "number" ||
    !(lowerBoundMs <= upperBoundMs)
  ) {
    throw new RangeError(
      `interval join bounds must be numbers with lowerBoundMs <= upperBoundMs, got [${String(lowerBoundMs)}, ${String(upperBoundMs)}]`,
    );
  }
  // Exclusive bounds become inclusive ones one millisecond inside (timestamps are whole ms).
  const lower = bounds.lowerInclusive === false ? lowerBoundMs + 1 : lowerBoundMs;
  const upper = bounds.upperInclusive === false ? upperBoundMs - 1 : upperBoundMs;
  const LEFT = StateDeclarations.map<number, IN1[]>("interval-join-left");
  const RIGHT = StateDeclarations.map<number, IN2[]>("interval-join-right");
  let time: EventTimeManager;
  // One reusable collector that stamps the pair's timestamp: no allocation per emitted pair.
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
  const emit = (left: IN1, right: IN2, timestamp: number, output: Collector<OUT>, ctx: RuntimeContext) => {
    stamped.output = output;
    stamped.timestamp = timestamp;
    fn.processRecord(left, right, stamped, ctx);
  };

  return EventTimeExtension.wrapProcessFunction<IN1, IN2, OUT, K>({
    usesStates: () => [LEFT, RIGHT],
    initEventTimeProcessFunction(manager) {
      time = manager;
    },
    processRecordFromFirstInput(record, output, ctx) {
      const t = time.recordTimestamp();
      if (!Number.isFinite(t))
        throw new TypeError(
          "an interval join needs event timestamps on its inputs (use a watermark generator)",
        );
      if (t <= time.currentTime()) return;
      const rights = ctx.stateManager.getState(RIGHT);
      for (const [rightTime, records] of rights.entries()) {
        if (rightTime < t + lower || rightTime > t + upper) continue;
        for (const right of records) emit(record, right, Math.max(t, rightTime), output, ctx);
      }
      const lefts = ctx.stateManager.getState(LEFT);
      lefts.put(t, [...(lefts.get(t) ?? []), record]);
      time.registerTimer(t + upper);
    },
    processRecordFromSecondInput(record, output, ctx) {
      const t = time.recordTimestamp();
      if (!Number.isFinite(t))
        throw new TypeError(
          "an interval join needs event timestamps on its inputs (use a watermark generator)",
        );
      if (t <= time.currentTime()) return;
      const lefts = ctx.stateManager.getState(LEFT);
      for (const [leftTime, records] of lefts.entries()) {
        if (t < leftTime + lower || t > leftTime + upper) continue;
        for (const left of records) emit(left, record, Math.max(t, leftTime), output, ctx);
      }
      const rights = ctx.stateManager.getState(RIGHT);
      rights.put(t, [...(rights.get(t) ?? []), record]);
      time.registerTimer(t - lower);
    },
    onEventTimer(timestamp, _output, ctx) {
      const lefts = ctx.stateManager.getState(LEFT);
      for (const leftTime of [...lefts.keys()]) if (leftTime + upper <= timestamp) lefts.remove(leftTime);
      const rights = ctx.stateManager.getState(RIGHT);
      for (const rightTime of [...rights.keys()])
        if (rightTime - lower <= timestamp) rights.remove(rightTime);
    },
  });
}
