/**
 * The direct sub-expressions of a syntax-tree expression, for analyses that look for particular
 * nodes (aggregate calls, subqueries, OVER calls) without converting anything.
 *
 * Invariant: queries nested inside an expression (IN / EXISTS / scalar subqueries) are not
 * descended into: their expressions belong to another SELECT block.
 * @module
 */

import type { CallArgument, Expression } from "../ast/expressions.ts";

export function childExpressions(expr: Expression): Expression[] {
  switch (expr.kind) {
    case "unary":
      return [expr.operand];
    case "binary":
    case "is-distinct-from":
      return [expr.left, expr.right];
    case "is":
    case "is-json":
      return [expr.operand];
    case "between":
      return [expr.operand, expr.low, expr.high];
    case "like":
      return expr.escape === null ? [expr.operand, expr.pattern] : [expr.operand, expr.pattern, expr.escape];
    case "in-list":
      return [expr.operand, ...expr.values];
    case "in-query":
      return [expr.operand];
    case "case":
      return [
        ...(expr.operand === null ? [] : [expr.operand]),
        ...expr.whens.flatMap((w) => [...w.conditions, w.result]),
        ...(expr.elseResult === null ? [] : [expr.elseResult]),
      ];
    case "cast":
    case "extract":
    case "match-semantics":
      return [expr.operand];
    case "trim":
      return expr.characters === null ? [expr.operand] : [expr.characters, expr.operand];
    case "row":
      return [...expr.values];
    case "array":
      return [...expr.elements];
    case "map":
      return expr.entries.flatMap((e) => [e.key, e.value]);
    case "index":
      return [expr.target, expr.index];
    case "field-access":
      return [expr.target];
    case "call": {
      const args = expr.args.flatMap((a) => argumentExpressions(a));
      return expr.filter === null ? args : [...args, expr.filter];
    }
    default:
      return [];
  }
}

function argumentExpressions(arg: CallArgument): Expression[] {
  switch (arg.kind) {
    case "star-argument":
    case "table-argument":
    case "descriptor-argument":
    case "time-unit-argument":
      return [];
    case "named-argument":
      return arg.value.kind === "table-argument" || arg.value.kind === "descriptor-argument"
        ? []
        : [arg.value];
    default:
      return [arg];
  }
}

/** Every node of `expr` (itself included) for which `match` holds, not descending into matches. */
export function findExpressions(
  expr: Expression,
  match: (e: Expression) => boolean,
  into: Expression[] = [],
): Expression[] {
  if (match(expr)) {
    into.push(expr);
    return into;
  }
  for (const child of childExpressions(expr)) findExpressions(child, match, into);
  return into;
}
