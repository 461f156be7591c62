/**
 * The logical join. SEMI and ANTI joins come from IN / EXISTS subqueries and output only the left
 * row; the others output left fields then right fields (the outer side padded with NULLs, so its
 * fields become nullable).
 *
 * Invariant: `condition` refers to the concatenated row (left fields, then right fields) and is the
 * literal TRUE for cross joins.
 * @module
 */

import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";
import type { RexNode } from "./rex.ts";

export type LogicalJoinType = "INNER" | "LEFT" | "RIGHT" | "FULL" | "SEMI" | "ANTI";

export interface LogicalJoin extends LogicalNodeBase {
  readonly kind: "join";
  readonly joinType: LogicalJoinType;
  readonly left: LogicalNode;
  readonly right: LogicalNode;
  readonly condition: RexNode;
  /**
   * Set for a temporal join, `JOIN r FOR SYSTEM_TIME AS OF l.t`: the right input is a table read
   * as of `period`, a time attribute of the left row (proctime: a lookup join; rowtime: an
   * event-time temporal join against a versioned table). Absent for every other join.
   */
  readonly temporal?: TemporalJoinPeriod;
}

/** `FOR SYSTEM_TIME AS OF period`; `period` is an input reference into the left row. */
export interface TemporalJoinPeriod {
  readonly period: RexNode;
}
