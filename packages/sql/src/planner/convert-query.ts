/**
 * Query expressions → logical plans: WITH, set operations, VALUES, ORDER BY / OFFSET / LIMIT
 * around the SELECT blocks that `convert-select.ts` plans.
 *
 * Invariants: set-operation inputs are cast to the columns' common types (Flink's least
 * restrictive type) before they meet; the output of a query has exactly the columns its SELECT list
 * (or first set-operation input) names, any helper columns added for ORDER BY being projected away
 * after the sort.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { CommonTableExpression, Query, QueryBody, Values } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import type { OrderItem } from "../ast/windows.ts";
import type { SortField } from "../exec/operator-specs.ts";
import { evaluateConstant } from "../expressions/compile-expression.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexLiteral, RexNode } from "../plan/rex.ts";
import { inputRef, literal } from "../plan/rex-factory.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { commonType } from "../types/type-coercion.ts";
import { castTo, convertExpression } from "./convert-expression.ts";
import { convertSelect } from "./convert-select.ts";
import type { PlannerContext } from "./planner-context.ts";
import { Scope } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export interface QueryEnv {
  readonly ctx: PlannerContext;
  /** Common table expressions visible here, innermost last. */
  readonly ctes: ReadonlyMap<string, CommonTableExpression>;
  /** The enclosing query's scope for correlated subqueries; null at top level. */
  readonly outer: Scope | null;
}

/** An ORDER BY resolved against a body: sort fields over `node`, whose first `width` fields are the output. */
export interface OrderedBody {
  readonly node: LogicalNode;
  readonly width: number;
  readonly orderBy: readonly SortField[];
}

export function convertQuery(query: Query, env: QueryEnv): LogicalNode {
  let inner = env;
  if (query.with.length > 0) {
    const ctes = new Map(env.ctes);
    for (const cte of query.with) ctes.set(cte.name.value, cte);
    inner = { ...env, ctes };
  }
  const ordered = convertOrderedBody(query.body, query.orderBy, inner);
  const offset = query.offset === null ? 0 : countOf(query.offset, "OFFSET");
  const fetch = query.limit === null ? null : countOf(query.limit, "FETCH / LIMIT");
  let node = ordered.node;
  if (ordered.orderBy.length > 0 || offset > 0 || fetch !== null) {
    node = { kind: "sort", input: node, orderBy: ordered.orderBy, offset, fetch, fields: node.fields };
  }
  if (ordered.width < node.fields.length) node = projectPrefix(node, ordered.width);
  return node;
}

/** A project keeping the first `width` fields. */
export function projectPrefix(node: LogicalNode, width: number): LogicalNode {
  const fields = node.fields.slice(0, width);
  return { kind: "project", input: node, exprs: fields.map((f, i) => inputRef(i, f.type)), fields };
}

function countOf(expr: Expression, clause: string): number {
  if (expr.kind === "number-literal" && expr.form === "integer") {
    const n = Number(expr.text);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new SqlValidationError(expr.span, `${clause} must be a non-negative integer literal`);
}

function convertOrderedBody(body: QueryBody, orderBy: readonly OrderItem[], env: QueryEnv): OrderedBody {
  if (body.kind === "select") return convertSelect(body, env, orderBy);
  const node = convertBody(body, env);
  return { node, width: node.fields.length, orderBy: orderByOverOutput(node.fields, orderBy, env) };
}

/** ORDER BY over a body's output columns only: ordinals, names, or expressions of them. */
function orderByOverOutput(
  fields: readonly RowField[],
  orderBy: readonly OrderItem[],
  env: QueryEnv,
): SortField[] {
  const scope = Scope.of(fields, null);
  return orderBy.map((item) => {
    const ordinal = ordinalOf(item.expression, fields.length);
    const rex =
      ordinal !== null
        ? inputRef(ordinal, fields[ordinal]!.type)
        : convertExpression(item.expression, {
            scope,
            functions: env.ctx.functions,
            functionContext: env.ctx.functionContext,
            clause: "ORDER BY",
          });
    if (rex.kind !== "input-ref") {
      throw new SqlValidationError(
        item.span,
        "ORDER BY of a set operation or VALUES must name an output column",
      );
    }
    return sortField(item, rex.index, rex.type);
  });
}

/** A 0-based output index for `ORDER BY 2`, or null when the item is not an integer literal. */
export function ordinalOf(expr: Expression, width: number): number | null {
  if (expr.kind !== "number-literal" || expr.form !== "integer") return null;
  const n = Number(expr.text);
  if (n < 1 || n > width) {
    throw new SqlValidationError(
      expr.span,
      `Ordinal out of range: ${expr.text} (the SELECT list has ${width} items)`,
    );
  }
  return n - 1;
}

/** Flink's defaults: ASC NULLS FIRST, DESC NULLS LAST. */
export function sortField(item: OrderItem, index: number, type: LogicalType): SortField {
  const direction = item.direction ?? "ASC";
  const nullsFirst = item.nulls === null ? direction === "ASC" : item.nulls === "FIRST";
  return { index, direction, nullsFirst, type };
}

export function convertBody(body: QueryBody, env: QueryEnv): LogicalNode {
  switch (body.kind) {
    case "query":
      return convertQuery(body, env);
    case "select":
      return convertSelect(body, env, []).node;
    case "values":
      return convertValues(body, env);
    case "set-operation":
      return convertSetOperation(body.operator, body.all, body.left, body.right, body.span, env);
  }
}

function convertSetOperation(
  operator: "UNION" | "INTERSECT" | "EXCEPT",
  all: boolean,
  leftBody: QueryBody,
  rightBody: QueryBody,
  span: Span,
  env: QueryEnv,
): LogicalNode {
  const left = convertBody(leftBody, env);
  const right = convertBody(rightBody, env);
  if (left.fields.length !== right.fields.length) {
    throw new SqlValidationError(span, `Column count mismatch in ${operator}`);
  }
  const types = left.fields.map((f, i) => {
    const other = right.fields[i]!.type;
    const common = commonType([f.type, other]);
    if (common === null) {
      throw new SqlValidationError(
        span,
        `Type mismatch in column ${i + 1} of ${operator}: ${formatLogicalType(f.type)} and ${formatLogicalType(other)} have no common type`,
      );
    }
    return common;
  });
  const fields = left.fields.map((f, i) => ({ name: f.name, type: types[i]! }));
  const castLeft = castNode(left, types);
  const castRight = castNode(right, types);
  if (operator === "UNION") {
    const inputs = [castLeft, castRight].flatMap((n) => (n.kind === "union" ? n.inputs : [n]));
    const union: LogicalNode = { kind: "union", inputs, fields };
    if (all) return union;
    return { kind: "aggregate", input: union, groupKey: fields.map((_, i) => i), calls: [], fields };
  }
  return { kind: "set-operation", operation: operator, all, left: castLeft, right: castRight, fields };
}

/** Casts a node's fields to `types` (with a project) when any differs. */
export function castNode(node: LogicalNode, types: readonly LogicalType[]): LogicalNode {
  const exprs: RexNode[] = node.fields.map((f, i) =>
    castTo(inputRef(i, f.type), withNullability(types[i]!, f.type.nullable)),
  );
  if (exprs.every((e) => e.kind === "input-ref")) return node;
  return {
    kind: "project",
    input: node,
    exprs,
    fields: node.fields.map((f, i) => ({ name: f.name, type: exprs[i]!.type })),
  };
}

function withNullability(type: LogicalType, nullable: boolean): LogicalType {
  return { ...type, nullable } as LogicalType;
}

function convertValues(values: Values, env: QueryEnv): LogicalNode {
  const scope = new Scope([], env.outer);
  const rows = values.rows.map((row) =>
    row.map((expr) =>
      convertExpression(expr, {
        scope,
        functions: env.ctx.functions,
        functionContext: env.ctx.functionContext,
        clause: "VALUES",
      }),
    ),
  );
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new SqlValidationError(
        values.rows[i]![0]?.span ?? values.span,
        "Values passed to VALUES operator must have compatible types",
      );
    }
  });
  const types: LogicalType[] = [];
  for (let c = 0; c < width; c++) {
    const common = commonType(rows.map((r) => r[c]!.type));
    if (common === null) {
      throw new SqlValidationError(
        values.span,
        `Values passed to VALUES operator must have compatible types (column ${c + 1})`,
      );
    }
    types.push(common);
  }
  const literals: RexLiteral[][] = rows.map((row, r) =>
    row.map((rex, c) => {
      const casted = castTo(rex, withNullability(types[c]!, rex.type.nullable));
      try {
        return literal(evaluateConstant(casted, env.ctx.functionContext), types[c]!);
      } catch (error) {
        if (error instanceof SqlValidationError) throw error;
        throw new SqlValidationError(
          values.rows[r]![c]!.span,
          `VALUES row ${r + 1} column ${c + 1}: ${(error as Error).message}`,
        );
      }
    }),
  );
  const fields = types.map((type, i) => ({ name: `EXPR$${i}`, type }));
  return { kind: "values", rows: literals, fields };
}
