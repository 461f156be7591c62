/**
 * The logical plan: what the validator builds from a query (Calcite's RelNode tree, as Flink shows
 * it under "== Abstract Syntax Tree =="), and what the rewrite rules transform before the physical
 * planner picks operators and changelog modes.
 *
 * Invariants: nodes are immutable; every node lists its output `fields` (names and types) in
 * output order, and every rex inside a node refers by index to the node's input row (for a join:
 * left fields then right fields). A node never refers to a column by name. Field names are unique
 * only where the SQL made them so (a join may have two `id` fields); nothing resolves by them.
 *
 * Worked example, `SELECT a, COUNT(*) FROM t WHERE b > 1 GROUP BY a` over `t(a INT, b INT)`:
 * ```text
 * aggregate(groupKey=[0], calls=[COUNT()])        fields: a INT, EXPR$1 BIGINT NOT NULL
 * +- project(exprs=[$0])                          fields: a INT
 *    +- filter(condition=>($1, 1))                fields: a INT, b INT
 *       +- scan(default_catalog.default_database.t) fields: a INT, b INT
 * ```
 * @module
 */

import type { RowField } from "../types/logical-type.ts";
import type { LogicalCorrelate } from "./correlate-nodes.ts";
import type { LogicalAggregate } from "./logical-aggregate.ts";
import type { LogicalJoin } from "./logical-join.ts";
import type { LogicalDeduplicate, LogicalOverRank, LogicalRank, LogicalSort } from "./logical-order-nodes.ts";
import type { LogicalOverAggregate } from "./logical-over-nodes.ts";
import type { LogicalExpand, LogicalFilter, LogicalProject } from "./logical-row-nodes.ts";
import type { LogicalSetOperation, LogicalUnion } from "./logical-set-nodes.ts";
import type { LogicalTableScan, LogicalValues, LogicalWatermarkAssigner } from "./logical-source-nodes.ts";
import type { LogicalWindowTableFunction } from "./logical-window-nodes.ts";
import type { LogicalMatch } from "./match-nodes.ts";

export interface LogicalNodeBase {
  readonly fields: readonly RowField[];
}

export type LogicalNode =
  | LogicalTableScan
  | LogicalValues
  | LogicalWatermarkAssigner
  | LogicalProject
  | LogicalFilter
  | LogicalExpand
  | LogicalAggregate
  | LogicalJoin
  | LogicalUnion
  | LogicalSetOperation
  | LogicalSort
  | LogicalOverRank
  | LogicalOverAggregate
  | LogicalMatch
  | LogicalRank
  | LogicalDeduplicate
  | LogicalWindowTableFunction
  | LogicalCorrelate;

/** The direct inputs of a node, left to right. */
export function inputsOf(node: LogicalNode): readonly LogicalNode[] {
  switch (node.kind) {
    case "scan":
    case "values":
      return [];
    case "join":
    case "set-operation":
      return [node.left, node.right];
    case "union":
      return node.inputs;
    default:
      return [node.input];
  }
}

/** The same node over new inputs (same order as {@link inputsOf}); fields are kept. */
export function withInputs(node: LogicalNode, inputs: readonly LogicalNode[]): LogicalNode {
  switch (node.kind) {
    case "scan":
    case "values":
      return node;
    case "join":
    case "set-operation":
      return { ...node, left: inputs[0]!, right: inputs[1]! };
    case "union":
      return { ...node, inputs };
    default:
      return { ...node, input: inputs[0]! };
  }
}
