/**
 * The physical window join (Flink's WindowJoin): a join of two window TVF outputs whose condition
 * equates `window_start` and `window_end` of both sides, so each window's rows are joined once when
 * the window closes, insert-only, and then forgotten.
 *
 * Invariants: `left` / `right` are Exchanges hashing on `leftKey` / `rightKey`, which include both
 * sides' window_start and window_end; both sides use the same windowing; the output is the left
 * fields then the right fields (only the left fields for SEMI / ANTI).
 *
 * Example, `L JOIN R ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.id =
 * R.id` over 10 s tumbling windows; EXPLAIN prints
 * `WindowJoin(leftWindow=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], rightWindow=[…], joinType=[InnerJoin], where=[…], select=[…])`.
 * @module
 */

import type { WindowingStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { RowField } from "../types/logical-type.ts";
import type { LogicalJoinType } from "./logical-join.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

export interface PhysicalWindowJoin {
  readonly kind: "WindowJoin";
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
  readonly joinType: LogicalJoinType;
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly leftWindow: { readonly start: number; readonly end: number };
  readonly rightWindow: { readonly start: number; readonly end: number };
  readonly strategy: WindowingStrategy;
  readonly timeKind: WindowTimeKind;
  /** Over left fields then right fields; null when the keys say it all. */
  readonly nonEquiCondition: RexNode | null;
  /** The whole ON condition, for EXPLAIN. */
  readonly condition: RexNode;
}
