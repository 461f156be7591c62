/**
 * The expression compiler's public face: rex trees in, JavaScript functions over rows out.
 *
 * Invariants: each function is generated once per call (once per operator instance) with
 * `new Function`, and the code refers only to its constants, functions and `ctx`, never to
 * per-record closures; a projection allocates exactly its output row; a predicate treats NULL as
 * false (SQL's WHERE); errors raised by functions (`SqlRuntimeError`) propagate to the operator.
 * Worked example:
 * ```ts
 * const project = compileProjection([ref(0, INT), call("+", [ref(0, INT), lit(1, INT)], INT)], { timeZone: "UTC" });
 * project([41]); // [41, 42]
 * ```
 * @module
 */

import type { Row } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import type { JoinPredicate, RowPredicate, RowProjection } from "../exec/operator-specs.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import type { RexNode } from "../plan/rex.ts";
import { CodeBuilder } from "./code-builder.ts";
import type { FieldAccess, GenerationContext } from "./generate-code.ts";
import { generate } from "./generate-code.ts";

interface Generated {
  readonly source: string;
  readonly builder: CodeBuilder;
}

function generateBody(
  exprs: readonly RexNode[],
  field: FieldAccess,
  context: FunctionContext,
  finish: (values: readonly string[]) => string,
): Generated {
  const builder = new CodeBuilder();
  const ctx: GenerationContext = { builder, field, functions: context.functions ?? null, context };
  const block: string[] = [];
  const values = exprs.map((e) => generate(e, block, ctx));
  block.push(finish(values));
  return { source: block.join("\n"), builder };
}

function instantiate<T>(parameters: string, generated: Generated, context: FunctionContext): T {
  const factory = new Function(
    "K",
    "F",
    "ctx",
    `"use strict";\nreturn function compiled(${parameters}) {\n${generated.source}\n};`,
  );
  return factory(generated.builder.constants, generated.builder.functions, context) as T;
}

const rowField: FieldAccess = (index) => `row[${index}]`;

/** Input row → new output row with one field per expression. */
export function compileProjection(exprs: readonly RexNode[], ctx: FunctionContext): RowProjection {
  const generated = generateBody(exprs, rowField, ctx, (values) => `return [${values.join(", ")}];`);
  return instantiate<RowProjection>("row", generated, ctx);
}

/** Row → true only when the condition is TRUE (NULL and FALSE reject). */
export function compilePredicate(rex: RexNode, ctx: FunctionContext): RowPredicate {
  const generated = generateBody([rex], rowField, ctx, ([value]) => `return ${value} === true;`);
  return instantiate<RowPredicate>("row", generated, ctx);
}

/** (left row, right row) → condition over left fields then right fields. */
export function compileJoinPredicate(rex: RexNode, leftArity: number, ctx: FunctionContext): JoinPredicate {
  const field: FieldAccess = (index) =>
    index < leftArity ? `left[${index}]` : `right[${index - leftArity}]`;
  const generated = generateBody([rex], field, ctx, ([value]) => `return ${value} === true;`);
  return instantiate<JoinPredicate>("left, right", generated, ctx);
}

/** Row → the expression's value. */
export function compileScalar(rex: RexNode, ctx: FunctionContext): (row: Row) => SqlValue {
  const generated = generateBody([rex], rowField, ctx, ([value]) => `return ${value};`);
  return instantiate<(row: Row) => SqlValue>("row", generated, ctx);
}

/** The value of an expression without input references (constant folding). */
export function evaluateConstant(rex: RexNode, ctx: FunctionContext): SqlValue {
  return compileScalar(rex, ctx)([]);
}

/** The generated source of a projection, for EXPLAIN-style debugging and tests. */
export function projectionSource(exprs: readonly RexNode[], ctx: FunctionContext): string {
  return generateBody(exprs, rowField, ctx, (values) => `return [${values.join(", ")}];`).source;
}
