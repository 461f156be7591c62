/**
 * The physical event-time temporal join (Flink's TemporalJoin over a versioned table): both inputs
 * hashed on the join keys, which include the versioned table's whole primary key; each left row
 * is joined with the right version valid at its rowtime once the watermark passes it.
 *
 * Invariants: `left` and `right` are Exchanges hashing on `leftKey` / `rightKey`; `leftTimeIndex`
 * is a rowtime field of the left row, `rightTimeIndex` the versioned table's rowtime; the output
 * is the left fields then the right fields, insert-only.
 *
 * Example, `orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur` with rates'
 * primary key `cur`: EXPLAIN prints
 * `TemporalJoin(joinType=[InnerJoin], where=[AND(=(cur, cur0), __TEMPORAL_JOIN_CONDITION(ts, ts0, __TEMPORAL_JOIN_CONDITION_PRIMARY_KEY(cur0)))], select=[…])`.
 * @module
 */

import type { RowField } from "../types/logical-type.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

export interface PhysicalTemporalJoin {
  readonly kind: "TemporalJoin";
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
  readonly joinType: "INNER" | "LEFT";
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly leftTimeIndex: number;
  readonly rightTimeIndex: number;
  /** The right side's primary key (indices into the right row), for EXPLAIN. */
  readonly primaryKey: readonly number[];
  /** Over left fields then right fields; null when the keys say it all. */
  readonly nonEquiCondition: RexNode | null;
  /** The whole ON condition, for EXPLAIN. */
  readonly condition: RexNode;
}
