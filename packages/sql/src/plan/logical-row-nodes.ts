/**
 * Per-row nodes of the logical plan: projection and filter (the physical planner merges adjacent
 * ones into a single Calc), and expand, which turns each row into one row per grouping set.
 *
 * Invariant: `exprs` and `condition` refer only to the input row; a filter's fields are its input's.
 * @module
 */

import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";
import type { RexNode } from "./rex.ts";

export interface LogicalProject extends LogicalNodeBase {
  readonly kind: "project";
  readonly input: LogicalNode;
  /** One expression per output field. */
  readonly exprs: readonly RexNode[];
}

export interface LogicalFilter extends LogicalNodeBase {
  readonly kind: "filter";
  readonly input: LogicalNode;
  /** BOOLEAN; rows where it is FALSE or NULL are dropped. */
  readonly condition: RexNode;
}

/**
 * Expand (for GROUPING SETS / ROLLUP / CUBE): every input row becomes one output row per entry of
 * `projections`, each a full output row (grouping columns not in that set are NULL, and a literal
 * grouping-set id tells the sets apart). Row kinds pass through unchanged.
 */
export interface LogicalExpand extends LogicalNodeBase {
  readonly kind: "expand";
  readonly input: LogicalNode;
  readonly projections: readonly (readonly RexNode[])[];
}
