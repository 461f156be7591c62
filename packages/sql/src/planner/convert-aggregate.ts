/**
 * GROUP BY / aggregate calls of a SELECT block: the projection of grouping columns and aggregate
 * arguments below the aggregate, the aggregate itself (or the expanded one for GROUPING SETS), and
 * the substitution the SELECT list, HAVING and ORDER BY are converted with.
 *
 * Invariant: in the converted SELECT list every column reference outside an aggregate call matches
 * a GROUP BY expression, else "Expression 'b' is not being grouped" (Flink's words); aggregate
 * arguments and FILTER conditions are fields of the projection below, never expressions.
 * @module
 */

import type { CallExpression, Expression } from "../ast/expressions.ts";
import type { Select } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import { rexEquals } from "../plan/rex-visit.ts";
import { printExpression } from "../printer/expressions.ts";
import type { RowField } from "../types/logical-type.ts";
import {
  calciteTypeName,
  castOperands,
  convertExpression,
  type ExpressionContext,
} from "./convert-expression.ts";
import { aggregateGroupingSets, groupingSetsOf } from "./grouping-sets.ts";
import { checkJsonClauses, jsonAggregateOperands } from "./json-clauses.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export type Substitute = (expr: Expression) => RexNode | undefined;

export function callName(call: CallExpression): string {
  return call.name.parts.map((p) => p.value).join(".");
}

/**
 * An aggregate call's result type and its operands cast to the types the function asks for; a
 * call the function does not accept is refused as Calcite words it (`Cannot apply 'SUM' to
 * arguments of type 'SUM(<VARCHAR>)'. …`), at `span`.
 */
export function typeAggregateCall(
  definition: AggregateFunctionDefinition,
  args: readonly RexNode[],
  span: Span,
): {
  readonly inferred: ReturnType<AggregateFunctionDefinition["inferType"]>;
  readonly casted: readonly RexNode[];
} {
  let inferred: ReturnType<AggregateFunctionDefinition["inferType"]>;
  try {
    inferred = definition.inferType(args.map((a) => a.type));
  } catch (error) {
    const types = args.map((a) => `<${calciteTypeName(a.type)}>`).join(", ");
    throw new SqlValidationError(
      span,
      `Cannot apply '${definition.name}' to arguments of type '${definition.name}(${types})'. ${(error as Error).message}`,
    );
  }
  return { inferred, casted: inferred.operands === undefined ? args : castOperands(args, inferred.operands) };
}

export interface PlannedAggregate {
  readonly node: LogicalNode;
  /** Maps group expressions and aggregate calls of the SELECT list to aggregate output fields. */
  readonly substitute: Substitute;
}

export function planAggregate(
  select: Select,
  input: LogicalNode,
  callAsts: readonly CallExpression[],
  exprContext: (clause: string, substitute?: Substitute) => ExpressionContext,
  scalarRefs: ReadonlyMap<Expression, RexNode>,
): PlannedAggregate {
  const scalarSubstitute: Substitute = (e) => scalarRefs.get(e);
  const groupContext = exprContext("GROUP BY", scalarSubstitute);
  const groupExprs: RexNode[] = [];
  const indexOfGroup = (element: Expression): number => {
    const rex = convertExpression(element, groupContext);
    const found = groupExprs.findIndex((g) => rexEquals(g, rex));
    if (found >= 0) return found;
    groupExprs.push(rex);
    return groupExprs.length - 1;
  };
  const setAsts = groupingSetsOf(select.groupBy);
  const sets: number[][] | null =
    setAsts === null ? null : setAsts.map((set) => [...new Set(set.map(indexOfGroup))]);
  if (setAsts === null) for (const element of select.groupBy) indexOfGroup(element as Expression);
  // An uncorrelated scalar subquery is one value for the whole query: grouping by it changes
  // nothing, and lets the SELECT list use it outside aggregate calls.
  for (const ref of scalarRefs.values()) {
    let index = groupExprs.findIndex((g) => rexEquals(g, ref));
    if (index < 0) index = groupExprs.push(ref) - 1;
    for (const set of sets ?? []) if (!set.includes(index)) set.push(index);
  }
  const preExprs: RexNode[] = [...groupExprs];
  const slotOf = (rex: RexNode): number => {
    for (let i = groupExprs.length; i < preExprs.length; i++) if (rexEquals(preExprs[i]!, rex)) return i;
    preExprs.push(rex);
    return preExprs.length - 1;
  };
  const argContext = exprContext("aggregate argument", scalarSubstitute);
  const calls: AggregateCall[] = [];
  const callIndex = new Map<Expression, number>();
  for (const ast of callAsts) {
    const definition = argContext.functions.lookup(callName(ast)) as AggregateFunctionDefinition;
    if (ast.over !== null) continue;
    checkJsonClauses(ast);
    const star = ast.args.length === 1 && ast.args[0]!.kind === "star-argument";
    const written = star
      ? []
      : ast.args.map((a) => {
          if (
            a.kind === "star-argument" ||
            a.kind === "named-argument" ||
            a.kind === "table-argument" ||
            a.kind === "descriptor-argument" ||
            a.kind === "time-unit-argument"
          ) {
            throw new SqlValidationError(a.span, `Unexpected argument of ${definition.name}`);
          }
          return convertExpression(a, argContext);
        });
    const args = [...written, ...jsonAggregateOperands(ast)];
    const { inferred, casted } = typeAggregateCall(definition, args, ast.span);
    const filter =
      ast.filter === null ? null : convertExpression(ast.filter, exprContext("FILTER", scalarSubstitute));
    if (filter !== null && filter.type.kind !== "BOOLEAN") {
      throw new SqlValidationError(ast.filter!.span, "FILTER expression must be of type BOOLEAN");
    }
    const call: AggregateCall = {
      name: definition.name,
      definition,
      args: casted.map(slotOf),
      argTypes: casted.map((a) => a.type),
      distinct: ast.quantifier === "DISTINCT",
      filterArg: filter === null ? null : slotOf(filter),
      type: inferred.result,
    };
    const existing = calls.findIndex(
      (c) =>
        c.name === call.name &&
        c.distinct === call.distinct &&
        c.filterArg === call.filterArg &&
        c.args.length === call.args.length &&
        c.args.every((a, i) => a === call.args[i]),
    );
    if (existing >= 0) callIndex.set(ast, existing);
    else {
      callIndex.set(ast, calls.length);
      calls.push(call);
    }
  }
  const inputNames = input.fields.map((f) => f.name);
  const used = new Set<string>();
  const preFields: RowField[] = preExprs.map((e, i) => {
    const name = e.kind === "input-ref" && !used.has(inputNames[e.index]!) ? inputNames[e.index]! : `$f${i}`;
    used.add(name);
    return { name, type: e.type };
  });
  const project: LogicalNode = { kind: "project", input, exprs: preExprs, fields: preFields };
  // Calcite names an aggregate call after the SELECT item that is exactly that call.
  const callNames: string[] = [];
  select.items.forEach((item, position) => {
    if (item.kind !== "select-expression") return;
    const index = callIndex.get(item.expression);
    if (index !== undefined && callNames[index] === undefined)
      callNames[index] = item.alias?.value ?? `EXPR$${position}`;
  });
  const groupCount = groupExprs.length;
  const callFields: RowField[] = calls.map((c, j) => ({
    name: callNames[j] ?? `EXPR$${groupCount + j}`,
    type: c.type,
  }));
  const node: LogicalNode =
    sets === null || (sets.length === 1 && sets[0]!.length === groupCount)
      ? {
          kind: "aggregate",
          input: project,
          groupKey: groupExprs.map((_, i) => i),
          calls,
          fields: [...preFields.slice(0, groupCount), ...callFields],
        }
      : aggregateGroupingSets(project, groupCount, sets, calls, callFields);
  const fields = node.fields;
  const trialContext = exprContext("GROUP BY", scalarSubstitute);
  const substitute: Substitute = (expr) => {
    const call = callIndex.get(expr);
    if (call !== undefined) return inputRef(groupCount + call, fields[groupCount + call]!.type);
    const scalar = scalarRefs.get(expr);
    if (scalar !== undefined) {
      const group = groupExprs.findIndex((g) => rexEquals(g, scalar));
      return inputRef(group, fields[group]!.type);
    }
    if (expr.kind === "call" && expr.over !== null) {
      throw new SqlValidationError(expr.span, "OVER windows are not supported in aggregate queries yet");
    }
    let trial: RexNode | undefined;
    try {
      trial = convertExpression(expr, trialContext);
    } catch {
      trial = undefined;
    }
    if (trial !== undefined) {
      if (trial.kind === "correlated-ref" || trial.kind === "literal") return trial;
      const group = groupExprs.findIndex((g) => rexEquals(g, trial!));
      if (group >= 0) return inputRef(group, fields[group]!.type);
    }
    if (expr.kind === "reference") {
      throw new SqlValidationError(expr.span, `Expression '${printExpression(expr)}' is not being grouped`);
    }
    return undefined;
  };
  return { node, substitute };
}
