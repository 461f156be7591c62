/**
 * Physical Correlate → the correlate operator: operands and condition compiled once, the table
 * function called with the session's function context.
 * @module
 */

import { CorrelateFunction } from "../exec/correlate/correlate-function.ts";
import { compilePredicate, compileProjection } from "../expressions/compile-expression.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import type { PhysicalCorrelate } from "../plan/correlate-nodes.ts";

export function correlateFunctionOf(node: PhysicalCorrelate, fctx: FunctionContext): CorrelateFunction {
  const implementation = node.invocation.definition.implementation;
  return new CorrelateFunction({
    joinType: node.joinType,
    functionName: node.invocation.name,
    operands: compileProjection(node.invocation.operands, fctx),
    invoke: (operands) => implementation(fctx, ...operands),
    functionArity: node.invocation.columns.length,
    condition: node.condition === null ? null : compilePredicate(node.condition, fctx),
  });
}
