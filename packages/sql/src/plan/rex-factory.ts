/**
 * Builders for the rex nodes the planner makes itself (references, boolean connectives, literals),
 * so rules do not spell out node shapes and nullability by hand.
 *
 * Invariant: the types built here follow SQL's three-valued logic: AND / OR / = are nullable when
 * any operand is; IS [NOT] NULL and IS NOT DISTINCT FROM are never null.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import type { BooleanType, LogicalType } from "../types/logical-type.ts";
import type { RexCall, RexInputRef, RexLiteral, RexNode } from "./rex.ts";

export function booleanType(nullable: boolean): BooleanType {
  return { kind: "BOOLEAN", nullable };
}

export function inputRef(index: number, type: LogicalType): RexInputRef {
  return { kind: "input-ref", index, type };
}

export function literal(value: SqlValue, type: LogicalType): RexLiteral {
  return { kind: "literal", value, type };
}

export const TRUE_LITERAL: RexLiteral = Object.freeze(literal(true, booleanType(false)));

export function isTrueLiteral(rex: RexNode): boolean {
  return rex.kind === "literal" && rex.value === true;
}

export function call(name: string, operands: readonly RexNode[], type: LogicalType): RexCall {
  return { kind: "call", name, operands, type };
}

function anyNullable(operands: readonly RexNode[]): boolean {
  return operands.some((o) => o.type.nullable);
}

/** Conjunction of `conditions`; TRUE when empty, the condition itself when single. */
export function and(conditions: readonly RexNode[]): RexNode {
  const parts = conditions.filter((c) => !isTrueLiteral(c));
  if (parts.length === 0) return TRUE_LITERAL;
  if (parts.length === 1) return parts[0]!;
  return call("AND", parts, booleanType(anyNullable(parts)));
}

export function or(conditions: readonly RexNode[]): RexNode {
  if (conditions.length === 1) return conditions[0]!;
  return call("OR", conditions, booleanType(anyNullable(conditions)));
}

export function equals(left: RexNode, right: RexNode): RexCall {
  return call("=", [left, right], booleanType(left.type.nullable || right.type.nullable));
}

export function isNull(operand: RexNode): RexCall {
  return call("IS NULL", [operand], booleanType(false));
}

/** Splits nested ANDs into their conjuncts. */
export function conjunctsOf(condition: RexNode): RexNode[] {
  if (condition.kind === "call" && condition.name === "AND") return condition.operands.flatMap(conjunctsOf);
  if (isTrueLiteral(condition)) return [];
  return [condition];
}
