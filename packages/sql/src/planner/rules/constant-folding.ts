/**
 * Constant folding: deterministic calls and casts whose operands are all literals are evaluated
 * once at planning time (Flink's ReduceExpressionsRule); AND / OR with literal TRUE / FALSE are
 * simplified; a filter that is always TRUE disappears and one that is always FALSE or NULL becomes
 * an empty VALUES.
 *
 * Invariants: non-deterministic functions (RAND, UUID, CURRENT_TIMESTAMP, …) are never folded;
 * an expression whose evaluation fails (e.g. a bad CAST) is left as it is, so the error surfaces
 * at run time exactly as it would without folding; a folded literal keeps the expression's type.
 * @module
 */

import { evaluateConstant } from "../../expressions/compile-expression.ts";
import type { FunctionCatalog, FunctionContext } from "../../functions/function-definition.ts";
import { JSON_PRODUCING_FUNCTIONS } from "../../functions/json-functions.ts";
import type { LogicalNode } from "../../plan/logical-node.ts";
import type { RexNode } from "../../plan/rex.ts";
import { and, literal, or } from "../../plan/rex-factory.ts";

export function foldConstants(rex: RexNode, functions: FunctionCatalog, context: FunctionContext): RexNode {
  switch (rex.kind) {
    case "input-ref":
    case "literal":
    case "correlated-ref":
      return rex;
    case "cast": {
      const operand = foldConstants(rex.operand, functions, context);
      const next = operand === rex.operand ? rex : { ...rex, operand };
      return operand.kind === "literal" ? tryEvaluate(next, context) : next;
    }
    case "call": {
      let changed = false;
      const operands = rex.operands.map((o) => {
        const folded = foldConstants(o, functions, context);
        if (folded !== o) changed = true;
        return folded;
      });
      const next = changed ? { ...rex, operands } : rex;
      if (next.name === "AND" || next.name === "OR") return simplifyConnective(next.name, operands, next);
      const definition = functions.lookup(next.name);
      const deterministic = definition?.kind === "scalar" && definition.deterministic;
      // A JSON function's result stays a call: JSON_OBJECT / JSON_ARRAY around it insert it as
      // JSON, but would quote it as a string once it became a STRING literal.
      const jsonText = JSON_PRODUCING_FUNCTIONS.has(next.name.toUpperCase());
      if (deterministic && !jsonText && operands.every((o) => o.kind === "literal"))
        return tryEvaluate(next, context);
      return next;
    }
  }
}

function tryEvaluate(rex: RexNode, context: FunctionContext): RexNode {
  try {
    return literal(evaluateConstant(rex, context), rex.type);
  } catch {
    return rex;
  }
}

/** TRUE AND x → x; FALSE AND x → FALSE; TRUE OR x → TRUE; FALSE OR x → x. */
function simplifyConnective(name: "AND" | "OR", operands: readonly RexNode[], original: RexNode): RexNode {
  const absorbing = name === "OR";
  if (operands.some((o) => o.kind === "literal" && o.value === absorbing)) {
    return literal(absorbing, { kind: "BOOLEAN", nullable: false });
  }
  const rest = operands.filter((o) => !(o.kind === "literal" && o.value === !absorbing));
  if (rest.length === operands.length) return original;
  if (rest.length === 0) return literal(!absorbing, { kind: "BOOLEAN", nullable: false });
  return name === "AND" ? and(rest) : or(rest);
}

/** The rule: folds every expression of a node; prunes always-true / always-false filters. */
export function constantFoldingRule(functions: FunctionCatalog, context: FunctionContext) {
  const fold = (r: RexNode): RexNode => foldConstants(r, functions, context);
  return (node: LogicalNode): LogicalNode => {
    switch (node.kind) {
      case "project": {
        const exprs = node.exprs.map(fold);
        return exprs.every((e, i) => e === node.exprs[i]) ? node : { ...node, exprs };
      }
      case "filter": {
        const condition = fold(node.condition);
        if (condition.kind === "literal") {
          if (condition.value === true) return node.input;
          return { kind: "values", rows: [], fields: node.fields };
        }
        return condition === node.condition ? node : { ...node, condition };
      }
      case "join": {
        const condition = fold(node.condition);
        return condition === node.condition ? node : { ...node, condition };
      }
      default:
        return node;
    }
  };
}
