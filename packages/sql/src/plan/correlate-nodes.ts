/**
 * Correlate (Flink's Correlate): a table function evaluated once per input row, its rows appended
 * to that row — `FROM t, LATERAL TABLE(f(t.x))`, `LEFT JOIN LATERAL TABLE(f(t.x)) ON TRUE` and
 * `CROSS JOIN UNNEST(t.arr)`. An INNER correlate drops input rows for which the function yields no
 * row (or none passing the condition); a LEFT one emits such a row once, padded with NULLs.
 *
 * Invariants: `invocation.operands` are over the input row; the node's row is the input's fields
 * then the function's columns (nullable for LEFT); `condition`, when present, is over that joined
 * row. Row kinds pass through: each input change yields the same function rows with its kind.
 *
 * Example, `FROM t, LATERAL TABLE(split(t.s)) AS w(word)` over `t(id INT, s STRING)`: invocation
 * `SPLIT($1)`, row `id, s, word`; `+I[1, 'a b']` → `+I[1, 'a b', 'a']`, `+I[1, 'a b', 'b']`.
 * @module
 */

import type { TableFunctionDefinition } from "../functions/function-definition.ts";
import type { RowField } from "../types/logical-type.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";
import type { RexNode } from "./rex.ts";

export type CorrelateJoinType = "INNER" | "LEFT";

export interface TableInvocation {
  /** The function's name as EXPLAIN prints it (`SPLIT`, `UNNEST`). */
  readonly name: string;
  readonly definition: TableFunctionDefinition;
  /** Over the input row, already cast to the types the function asked for. */
  readonly operands: readonly RexNode[];
  /** The function's own columns (as declared, before any NULL padding). */
  readonly columns: readonly RowField[];
}

export interface LogicalCorrelate extends LogicalNodeBase {
  readonly kind: "correlate";
  readonly input: LogicalNode;
  readonly joinType: CorrelateJoinType;
  readonly invocation: TableInvocation;
  readonly condition: RexNode | null;
}

export interface PhysicalCorrelate {
  readonly kind: "Correlate";
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
  readonly input: PhysicalNode;
  readonly joinType: CorrelateJoinType;
  readonly invocation: TableInvocation;
  readonly condition: RexNode | null;
}
