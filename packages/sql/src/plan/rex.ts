/**
 * Resolved row expressions (Calcite's RexNode): what the validator turns every SQL expression into
 * once names are bound to input fields and every node has a {@link LogicalType}. The expression
 * compiler (`../expressions/`) turns a rex tree into a JavaScript function over a row; the planner's
 * rules (constant folding, pushdown) rewrite rex trees.
 *
 * Invariants: a rex never refers to a column by name, only by index into the input row of the plan
 * node that owns it (for a join condition: left fields then right fields); implicit casts are
 * explicit `cast` nodes inserted by the validator, so the compiler never guesses a conversion;
 * calls name a function by its canonical upper-case name as registered in the function catalog.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";

/** The `index`-th field of the input row. */
export interface RexInputRef {
  readonly kind: "input-ref";
  readonly index: number;
  readonly type: LogicalType;
}

/** A constant, already in its runtime representation (see `../data/values.ts`). */
export interface RexLiteral {
  readonly kind: "literal";
  readonly value: SqlValue;
  readonly type: LogicalType;
}

/**
 * A call of a built-in or user-defined scalar function or operator. Operators use their SQL
 * spelling as the name: `=`, `<>`, `+`, `AND`, `OR`, `NOT`, `IS NULL`, `LIKE`, `CASE`, `IN`,
 * `BETWEEN`, `ITEM` (index `a[i]`), `FIELD` (row field access), `ROW`, `ARRAY`, `MAP`, `EXTRACT`,
 * `TRIM`, `REINTERPRET` (time attribute to plain timestamp) …; functions their upper-case name.
 * `CASE` operands are `[cond1, result1, cond2, result2, …, else]`.
 */
export interface RexCall {
  readonly kind: "call";
  readonly name: string;
  readonly operands: readonly RexNode[];
  readonly type: LogicalType;
}

/** `CAST(operand AS type)`; `safe` for TRY_CAST (errors become NULL). */
export interface RexCast {
  readonly kind: "cast";
  readonly operand: RexNode;
  readonly type: LogicalType;
  readonly safe: boolean;
}

/**
 * A field of the *outer* row inside a correlated subquery, before decorrelation rewrites it away;
 * never reaches the expression compiler.
 */
export interface RexCorrelatedRef {
  readonly kind: "correlated-ref";
  readonly correlationId: number;
  readonly index: number;
  readonly type: LogicalType;
}

export type RexNode = RexInputRef | RexLiteral | RexCall | RexCast | RexCorrelatedRef;
