/**
 * Set operations of the logical plan. `UNION ALL` is a {@link LogicalUnion}; `UNION` (distinct)
 * is planned as a union plus an aggregate over all fields, as Flink does; INTERSECT and EXCEPT
 * (with or without ALL) are a {@link LogicalSetOperation}.
 *
 * Invariant: all inputs have the same number of fields and, after the validator's casts, the same
 * field types as the node's `fields`.
 * @module
 */

import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";

export interface LogicalUnion extends LogicalNodeBase {
  readonly kind: "union";
  readonly inputs: readonly LogicalNode[];
}

export interface LogicalSetOperation extends LogicalNodeBase {
  readonly kind: "set-operation";
  readonly operation: "INTERSECT" | "EXCEPT";
  readonly all: boolean;
  readonly left: LogicalNode;
  readonly right: LogicalNode;
}
