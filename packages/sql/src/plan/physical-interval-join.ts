/**
 * The physical interval join (Flink's IntervalJoin): a join of two insert-only streams whose
 * condition bounds the left time attribute by the right one, `lowerMs <= l.time - r.time <=
 * upperMs`, so each row is kept only while it can still match.
 *
 * Invariants: `left` and `right` are Exchanges hashing on `leftKey` / `rightKey` (single partition
 * without keys); both time attributes are of `timeKind`; `nonEquiCondition` holds what remains of
 * the condition after the keys and the two time bounds; output rows are left fields then right
 * fields, inserts only.
 *
 * Example, `a JOIN b ON a.id = b.id AND a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts`:
 * `IntervalJoin(joinType=[InnerJoin], windowBounds=[isRowTime=true, leftLowerBound=-3600000,
 * leftUpperBound=0, leftTimeIndex=1, rightTimeIndex=1], where=[…], select=[id, ts, id0, ts0])`.
 * @module
 */

import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { RowField } from "../types/logical-type.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

export interface PhysicalIntervalJoin {
  readonly kind: "IntervalJoin";
  readonly joinType: "INNER" | "LEFT" | "RIGHT" | "FULL";
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly leftTimeIndex: number;
  /** Index into the right row. */
  readonly rightTimeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly lowerMs: number;
  readonly upperMs: number;
  /** Over left fields then right fields; null when the keys and bounds say it all. */
  readonly nonEquiCondition: RexNode | null;
  /** The whole condition, for EXPLAIN. */
  readonly condition: RexNode;
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
}
