/**
 * The join extension (FLIP-500, extended): regular keyed joins (inner and outer), event-time
 * interval joins and window joins, each an ordinary two-input process function for `connectAndProcess` on two
 * streams keyed by the same key type.
 * @module
 */

import type { TwoInputNonBroadcastStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import type { WindowStrategy } from "../window/window-strategy.ts";
import { type IntervalJoinBounds, intervalJoin } from "./interval-join.ts";
import type { JoinFunction, JoinType, OuterJoinFunction } from "./join-function.ts";
import { regularJoin } from "./regular-join.ts";
import { windowJoin } from "./window-join.ts";

export type { IntervalJoinBounds } from "./interval-join.ts";
export type { JoinFunction, JoinType, OuterJoinFunction } from "./join-function.ts";

/**
 * Factories for joins.
 *
 * @example
 * ```ts
 * const joined = orders.keyBy((o) => o.user).connectAndProcess(
 *   users.keyBy((u) => u.id),
 *   Joins.join<Order, User, string, string>({
 *     processRecord: (order, user, out) => out.collect(`${user.name} ordered ${order.item}`),
 *   }),
 * );
 * ```
 * @public
 */
export const Joins = {
  /** An inner join: every pair of left and right records with the same key, emitted once. */
  join<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: JoinFunction<IN1, IN2, OUT>,
  ): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
    return regularJoin<IN1, IN2, OUT, K>(fn as OuterJoinFunction<IN1, IN2, OUT>, "INNER");
  },
  /**
   * An outer join: like `join`, plus — when both inputs have ended — every record that met no
   * partner, with `null` for the other side (LEFT: left records, RIGHT: right records, FULL: both).
   */
  outerJoin<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: OuterJoinFunction<IN1, IN2, OUT>,
    type: Exclude<JoinType, "INNER">,
  ): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
    return regularJoin<IN1, IN2, OUT, K>(fn, type);
  },
  /**
   * An event-time interval join: a left record at `t` meets right records in
   * `[t + lowerBoundMs, t + upperBoundMs]`. Both inputs need event timestamps and watermarks.
   */
  intervalJoin<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: JoinFunction<IN1, IN2, OUT>,
    bounds: IntervalJoinBounds,
  ): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
    return intervalJoin<IN1, IN2, OUT, K>(fn, bounds);
  },
  /**
   * An event-time window join: left and right records of one key in the same tumbling or sliding
   * window are paired when the window fires (once per shared window).
   */
  windowJoin<IN1, IN2, OUT, K extends KeyValue = KeyValue>(
    fn: JoinFunction<IN1, IN2, OUT>,
    strategy: WindowStrategy,
  ): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
    return windowJoin<IN1, IN2, OUT, K>(fn, strategy);
  },
} as const;
