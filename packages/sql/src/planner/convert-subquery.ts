/**
 * Subquery decorrelation: IN / NOT IN / EXISTS / NOT EXISTS conjuncts of a WHERE clause become
 * semi and anti joins, and uncorrelated scalar subqueries become a left join with the subquery's
 * single row, as Flink's planner rewrites them.
 *
 * Invariants: a semi or anti join keeps exactly the left row's fields, so the enclosing scope is
 * unchanged; `x NOT IN (subquery)` keeps Flink's (SQL's) NULL semantics: a NULL on either side
 * makes the comparison unknown, so an anti join on `x = y OR x IS NULL OR y IS NULL` drops the row
 * whenever the subquery is non-empty and a NULL is involved. Correlation is supported where the
 * subquery is a plain SELECT … FROM … WHERE whose correlated conditions are conjuncts of that WHERE.
 *
 * Example: `SELECT * FROM a WHERE a.k IN (SELECT k FROM b WHERE b.v > a.v)` becomes
 * `join(SEMI, a, project(k, b.*) over filter(none) over b, condition: a.k = k AND b.v > a.v)`.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { Query } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, conjunctsOf, equals, inputRef, isNull, or } from "../plan/rex-factory.ts";
import { containsCorrelatedRef, rewriteInputRefs } from "../plan/rex-visit.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { commonType } from "../types/type-coercion.ts";
import { castTo } from "./convert-expression.ts";
import { convertQuery, type QueryEnv } from "./convert-query.ts";
import { decorrelateAggregate } from "./decorrelate-aggregate.ts";
import type { Scope } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** An IN / EXISTS conjunct of a WHERE clause. */
export interface SubqueryPredicate {
  readonly kind: "in" | "exists";
  readonly negated: boolean;
  readonly operand: Expression | null;
  readonly query: Query;
  readonly span: Span;
}

/** Recognizes `x [NOT] IN (SELECT …)`, `[NOT] EXISTS (…)`, `NOT (x IN (…))`. */
export function asSubqueryPredicate(expr: Expression): SubqueryPredicate | null {
  if (expr.kind === "in-query") {
    return { kind: "in", negated: expr.negated, operand: expr.operand, query: expr.query, span: expr.span };
  }
  if (expr.kind === "exists")
    return { kind: "exists", negated: false, operand: null, query: expr.query, span: expr.span };
  if (expr.kind === "unary" && expr.operator === "NOT") {
    const inner = asSubqueryPredicate(expr.operand);
    if (inner !== null) return { ...inner, negated: !inner.negated, span: expr.span };
  }
  return null;
}

/**
 * Plans the subquery against `node` (the row `scope` describes) and returns the semi or anti join.
 * `convertOperand` converts the IN operand over the scope.
 */
export function planSubqueryPredicate(
  node: LogicalNode,
  scope: Scope,
  predicate: SubqueryPredicate,
  env: QueryEnv,
  convertOperand: (expr: Expression) => RexNode,
): LogicalNode {
  const inner = convertQuery(predicate.query, { ...env, outer: scope });
  const decorrelated = decorrelate(inner, predicate.span);
  const leftWidth = node.fields.length;
  const correlation = decorrelated.conditions.map((c) =>
    toJoinCondition(c, scope, leftWidth, predicate.span),
  );
  let condition: RexNode;
  if (predicate.kind === "exists") {
    condition = and(correlation);
  } else {
    if (decorrelated.width !== 1) {
      throw new SqlValidationError(
        predicate.span,
        `Values passed to IN operator must have compatible types: the subquery returns ${decorrelated.width} columns for 1 value`,
      );
    }
    const operand = convertOperand(predicate.operand!);
    const column = decorrelated.node.fields[0]!.type;
    const common = commonType([operand.type, column]);
    if (common === null) {
      throw new SqlValidationError(
        predicate.span,
        `Values passed to IN operator must have compatible types: ${formatLogicalType(operand.type)} and ${formatLogicalType(column)}`,
      );
    }
    const left = castTo(operand, { ...common, nullable: operand.type.nullable } as LogicalType);
    const right = castTo(inputRef(leftWidth, column), {
      ...common,
      nullable: column.nullable,
    } as LogicalType);
    let match: RexNode = equals(left, right);
    if (predicate.negated && (left.type.nullable || right.type.nullable)) {
      const parts = [match];
      if (left.type.nullable) parts.push(isNull(left));
      if (right.type.nullable) parts.push(isNull(right));
      match = or(parts);
    }
    condition = and([match, ...correlation]);
  }
  return {
    kind: "join",
    joinType: predicate.negated ? "ANTI" : "SEMI",
    left: node,
    right: decorrelated.node,
    condition,
    fields: node.fields,
  };
}

/** Rewrites a pulled-up condition: outer references → left fields, inner fields → right fields. */
function toJoinCondition(condition: RexNode, scope: Scope, leftWidth: number, span: Span): RexNode {
  const shifted = rewriteInputRefs(
    condition,
    (index, ref) => ({ ...(ref as { index: number }), index: index + leftWidth }) as RexNode,
  );
  return replaceCorrelated(shifted, scope, span);
}

function replaceCorrelated(rex: RexNode, scope: Scope, span: Span): RexNode {
  switch (rex.kind) {
    case "correlated-ref":
      if (rex.correlationId !== scope.correlationId) {
        throw new SqlValidationError(
          span,
          "Subqueries correlated with an outer query two levels up are not supported yet",
        );
      }
      return inputRef(rex.index, rex.type);
    case "cast":
      return { ...rex, operand: replaceCorrelated(rex.operand, scope, span) };
    case "call":
      return { ...rex, operands: rex.operands.map((o) => replaceCorrelated(o, scope, span)) };
    default:
      return rex;
  }
}

interface Decorrelated {
  /** The subquery without its correlated conditions; its first `width` fields are its output. */
  readonly node: LogicalNode;
  readonly width: number;
  /** Correlated conditions over `node`'s row (and correlated references). */
  readonly conditions: readonly RexNode[];
}

/**
 * Pulls correlated conjuncts out of `project? → filter` at the top of a subquery; the filter's
 * input fields are appended to the projection so the conditions can be evaluated on the join.
 */
function decorrelate(inner: LogicalNode, span: Span): Decorrelated {
  const width = inner.fields.length;
  if (!planIsCorrelated(inner)) return { node: inner, width, conditions: [] };
  const project = inner.kind === "project" ? inner : null;
  const filter = project === null ? inner : project.input;
  if (
    filter.kind !== "filter" ||
    planIsCorrelated(filter.input) ||
    project?.exprs.some(containsCorrelatedRef) === true
  ) {
    throw new SqlValidationError(
      span,
      "This correlated subquery is not supported yet: correlated columns may only appear in the subquery's WHERE conditions",
    );
  }
  const conjuncts = conjunctsOf(filter.condition);
  const correlated = conjuncts.filter(containsCorrelatedRef);
  const rest = conjuncts.filter((c) => !containsCorrelatedRef(c));
  const below: LogicalNode = rest.length === 0 ? filter.input : { ...filter, condition: and(rest) };
  const base = below.fields;
  const outputExprs = project === null ? base.map((f, i) => inputRef(i, f.type)) : project.exprs;
  const outputFields = project === null ? base : project.fields;
  const node: LogicalNode = {
    kind: "project",
    input: below,
    exprs: [...outputExprs, ...base.map((f, i) => inputRef(i, f.type))],
    fields: [...outputFields, ...base],
  };
  const shift = outputFields.length;
  return {
    node,
    width: outputFields.length,
    conditions: correlated.map((c) =>
      rewriteInputRefs(
        c,
        (index, ref) => ({ ...(ref as { index: number }), index: index + shift }) as RexNode,
      ),
    ),
  };
}

function planIsCorrelated(node: LogicalNode): boolean {
  switch (node.kind) {
    case "project":
      return node.exprs.some(containsCorrelatedRef) || planIsCorrelated(node.input);
    case "filter":
      return containsCorrelatedRef(node.condition) || planIsCorrelated(node.input);
    case "join":
      return (
        containsCorrelatedRef(node.condition) || planIsCorrelated(node.left) || planIsCorrelated(node.right)
      );
    case "scan":
    case "values":
      return false;
    case "union":
      return node.inputs.some(planIsCorrelated);
    case "set-operation":
      return planIsCorrelated(node.left) || planIsCorrelated(node.right);
    default:
      return planIsCorrelated(node.input);
  }
}

/**
 * Plans a scalar subquery to be left-joined to the enclosing row (`leftWidth` fields, described by
 * `scope`): its value is the right input's first field. An uncorrelated subquery joins on TRUE; a
 * correlated one (`(SELECT name FROM c WHERE c.id = o.cid)`) joins on its correlated conditions.
 */
export function planScalarSubquery(
  query: Query,
  span: Span,
  scope: Scope,
  leftWidth: number,
  env: QueryEnv,
): { readonly right: LogicalNode; readonly condition: RexNode; readonly wrap: (value: RexNode) => RexNode } {
  const inner = convertQuery(query, { ...env, outer: scope });
  if (inner.fields.length !== 1) {
    throw new SqlValidationError(
      span,
      `A scalar subquery must return exactly one column, but it returns ${inner.fields.length}`,
    );
  }
  const aggregated = decorrelateAggregate(inner, env.ctx.functions, span);
  if (aggregated !== null) {
    const condition = and(
      aggregated.keys.map(({ outer, key }) => {
        const right = inputRef(leftWidth + key, aggregated.right.fields[key]!.type);
        return equals(replaceCorrelated(outer, scope, span), right);
      }),
    );
    return { right: aggregated.right, condition, wrap: aggregated.wrap };
  }
  const decorrelated = decorrelate(inner, span);
  const condition = and(decorrelated.conditions.map((c) => toJoinCondition(c, scope, leftWidth, span)));
  return { right: decorrelated.node, condition, wrap: (value) => value };
}
