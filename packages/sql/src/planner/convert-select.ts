/**
 * One SELECT block → a logical plan: FROM, WHERE (with IN / EXISTS subqueries as semi and anti
 * joins and scalar subqueries as left joins), GROUP BY / HAVING (`convert-aggregate.ts`), ranking
 * OVER calls and QUALIFY (`convert-over.ts`), the SELECT list, DISTINCT, and the ORDER BY keys of
 * the enclosing query.
 *
 * Invariants: in an aggregate query every column reference outside an aggregate call must match a
 * GROUP BY expression ("Expression 'b' is not being grouped", as Flink says); aggregate arguments
 * and FILTER conditions are computed by a projection below the aggregate, so the aggregate refers
 * to input fields only; ORDER BY keys missing from the SELECT list are appended after the output
 * fields (the caller sorts, then projects them away).
 * @module
 */

import type { CallExpression, Expression } from "../ast/expressions.ts";
import type { Select } from "../ast/queries.ts";
import type { OrderItem } from "../ast/windows.ts";
import type { SortField } from "../exec/operator-specs.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import { rexEquals } from "../plan/rex-visit.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { callName, planAggregate, type Substitute } from "./convert-aggregate.ts";
import { convertExpression, type ExpressionContext } from "./convert-expression.ts";
import { convertFrom } from "./convert-from.ts";
import { planOverRank, planQualify } from "./convert-over.ts";
import { isOverAggregateCall, planOverAggregates } from "./convert-over-aggregate.ts";
import { type OrderedBody, ordinalOf, type QueryEnv, sortField } from "./convert-query.ts";
import { asSubqueryPredicate, planScalarSubquery, planSubqueryPredicate } from "./convert-subquery.ts";
import { findExpressions } from "./expression-children.ts";
import { rewriteLegacyGroupWindow } from "./legacy-group-window.ts";
import { Scope, type ScopeRelation } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export function convertSelect(written: Select, env: QueryEnv, orderBy: readonly OrderItem[]): OrderedBody {
  const { ctx } = env;
  const select = rewriteLegacyGroupWindow(written);
  // Named windows of the WINDOW clause are resolved by the OVER calls that use them.
  let node: LogicalNode;
  let relations: ScopeRelation[];
  if (select.from === null) {
    node = { kind: "values", rows: [[]], fields: [] };
    relations = [];
  } else {
    const from = convertFrom(select.from, env);
    node = from.node;
    relations = [...from.relations];
  }
  const correlationId = ctx.nextCorrelationId();
  let scope = new Scope(relations, env.outer, correlationId);
  const exprContext = (clause: string, substitute?: Substitute): ExpressionContext => ({
    scope,
    functions: ctx.functions,
    functionContext: ctx.functionContext,
    clause,
    ...(substitute === undefined ? {} : { substitute }),
  });

  // WHERE: IN / EXISTS conjuncts become semi / anti joins; the rest is a filter.
  const plainConjuncts: Expression[] = [];
  for (const conjunct of select.where === null ? [] : splitAnd(select.where)) {
    const predicate = asSubqueryPredicate(conjunct);
    if (predicate === null) plainConjuncts.push(conjunct);
    else
      node = planSubqueryPredicate(node, scope, predicate, env, (e) =>
        convertExpression(e, exprContext("WHERE")),
      );
  }

  // Scalar subqueries anywhere else: left-joined on TRUE, reachable through hidden fields.
  const scalarRefs = new Map<Expression, RexNode>();
  const selectExprs = select.items.flatMap((i) => (i.kind === "select-expression" ? [i.expression] : []));
  const scalarSources = [
    ...plainConjuncts,
    ...selectExprs,
    ...(select.having === null ? [] : [select.having]),
  ];
  for (const source of scalarSources) {
    for (const sub of findExpressions(source, (e) => e.kind === "scalar-subquery")) {
      if (sub.kind !== "scalar-subquery") continue;
      const index = node.fields.length;
      const { right, condition, wrap } = planScalarSubquery(sub.query, sub.span, scope, index, env);
      const padded = right.fields.map((f) => ({
        name: f.name,
        type: { ...f.type, nullable: true } as LogicalType,
      }));
      const field = padded[0]!;
      const type = field.type;
      node = {
        kind: "join",
        joinType: "LEFT",
        left: node,
        right,
        condition,
        fields: [...node.fields, ...padded],
      };
      relations.push({ name: null, fields: padded, offset: index, hidden: true });
      scalarRefs.set(sub, wrap(inputRef(index, type)));
    }
  }
  if (scalarRefs.size > 0) scope = new Scope(relations, env.outer, correlationId);
  const scalarSubstitute: Substitute = (e) => scalarRefs.get(e);

  if (plainConjuncts.length > 0) {
    const conditions = plainConjuncts.map((c) =>
      convertExpression(c, exprContext("WHERE", scalarSubstitute)),
    );
    for (const [i, c] of conditions.entries()) {
      if (c.type.kind !== "BOOLEAN" && c.type.kind !== "NULL") {
        throw new SqlValidationError(plainConjuncts[i]!.span, "WHERE clause must be a condition");
      }
    }
    const condition = conditions.length === 1 ? conditions[0]! : andOf(conditions);
    node = { kind: "filter", input: node, condition, fields: node.fields };
  }

  const isAggregateCall = (e: Expression): e is CallExpression =>
    e.kind === "call" && e.over === null && ctx.functions.lookup(callName(e))?.kind === "aggregate";
  const orderExprs = orderBy.map((o) => o.expression);
  const aggregateCalls: CallExpression[] = [];
  for (const source of [...selectExprs, ...(select.having === null ? [] : [select.having]), ...orderExprs]) {
    for (const found of findExpressions(source, isAggregateCall))
      aggregateCalls.push(found as CallExpression);
  }
  const aggregate = select.groupBy.length > 0 || aggregateCalls.length > 0 || select.having !== null;

  let substitute: Substitute = scalarSubstitute;
  if (aggregate) {
    if (select.qualify !== null) {
      throw new SqlValidationError(select.qualify.span, "QUALIFY in an aggregate query is not supported yet");
    }
    const planned = planAggregate(select, node, aggregateCalls, exprContext, scalarRefs);
    node = planned.node;
    substitute = planned.substitute;
    if (select.having !== null) {
      const condition = convertExpression(select.having, exprContext("HAVING", substitute));
      node = { kind: "filter", input: node, condition, fields: node.fields };
    }
  } else {
    // Ranking OVER calls in a plain SELECT: an over-rank node appends the rank field.
    const overSources = select.qualify === null ? selectExprs : [...selectExprs, select.qualify];
    const overCalls = overSources.flatMap((e) =>
      findExpressions(e, (x) => x.kind === "call" && x.over !== null),
    );
    const overRefs = new Map<Expression, RexNode>();
    // OVER aggregate calls (SUM(…) OVER w): one over-aggregate node appends them all.
    const overContext = exprContext("OVER");
    const overAggregates = overCalls.filter((c) => isOverAggregateCall(c, overContext)) as CallExpression[];
    if (overAggregates.length > 0) {
      const planned = planOverAggregates(overAggregates, node, select.windows, overContext);
      node = planned.node;
      for (const [call, ref] of planned.refs) overRefs.set(call, ref);
    }
    for (const over of overCalls) {
      if (overRefs.has(over)) continue;
      node = planOverRank(over as CallExpression, node, exprContext("OVER"));
      const field = node.fields[node.fields.length - 1]!;
      overRefs.set(over, inputRef(node.fields.length - 1, field.type));
    }
    if (overRefs.size > 0) substitute = (e) => overRefs.get(e) ?? scalarSubstitute(e);
    if (select.qualify !== null) node = planQualify(select, node, exprContext, substitute);
  }

  // SELECT list.
  const exprs: RexNode[] = [];
  const names: string[] = [];
  select.items.forEach((item, position) => {
    if (item.kind === "select-star") {
      if (aggregate) throw new SqlValidationError(item.span, "'*' is not allowed in an aggregate query");
      for (const { index, field } of scope.starFields(item.qualifier, item.span)) {
        exprs.push(inputRef(index, field.type));
        names.push(field.name);
      }
      return;
    }
    exprs.push(convertExpression(item.expression, exprContext("SELECT", substitute)));
    names.push(item.alias?.value ?? implicitName(item.expression, position));
  });
  const width = exprs.length;
  const outputNames = uniqueNames(names);

  // ORDER BY keys: output columns by ordinal or alias, else expressions (appended when missing).
  const sortFields: SortField[] = orderBy.map((item) => {
    const ordinal = ordinalOf(item.expression, width);
    if (ordinal !== null) return sortField(item, ordinal, exprs[ordinal]!.type);
    if (item.expression.kind === "reference" && item.expression.parts.length === 1) {
      const byName = outputNames.indexOf(item.expression.parts[0]!.value);
      if (byName >= 0) return sortField(item, byName, exprs[byName]!.type);
    }
    const rex = convertExpression(item.expression, exprContext("ORDER BY", substitute));
    let index = exprs.findIndex((e) => rexEquals(e, rex));
    if (index < 0) {
      if (select.distinct) {
        throw new SqlValidationError(
          item.span,
          "Expression is not in the select clause of a SELECT DISTINCT query",
        );
      }
      index = exprs.length;
      exprs.push(rex);
      outputNames.push(`EXPR$${index}`);
    }
    return sortField(item, index, rex.type);
  });

  const fields: RowField[] = exprs.map((e, i) => ({ name: outputNames[i]!, type: e.type }));
  const input = node;
  const trivial =
    exprs.length === input.fields.length &&
    exprs.every(
      (e, i) => e.kind === "input-ref" && e.index === i && input.fields[i]!.name === fields[i]!.name,
    );
  if (!trivial) node = { kind: "project", input, exprs, fields };
  if (select.distinct) {
    node = { kind: "aggregate", input: node, groupKey: fields.map((_, i) => i), calls: [], fields };
  }
  return { node, width, orderBy: sortFields };
}

function splitAnd(expr: Expression): Expression[] {
  if (expr.kind === "binary" && expr.operator === "AND")
    return [...splitAnd(expr.left), ...splitAnd(expr.right)];
  return [expr];
}

function andOf(conditions: readonly RexNode[]): RexNode {
  return {
    kind: "call",
    name: "AND",
    operands: conditions,
    type: { kind: "BOOLEAN", nullable: conditions.some((c) => c.type.nullable) },
  };
}

/** Calcite's implicit names: a column keeps its name, a field access its field, else `EXPR$i`. */
function implicitName(expr: Expression, position: number): string {
  if (expr.kind === "reference") return expr.parts[expr.parts.length - 1]!.value;
  if (expr.kind === "field-access") return expr.field.value;
  return `EXPR$${position}`;
}

/** Calcite's renaming of duplicate output names: `a`, `a0`, `a1`. */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let i = 0; used.has(candidate); i++) candidate = `${name}${i}`;
    used.add(candidate);
    return candidate;
  });
}
