/**
 * A join whose right side is a table function of the left row — `LATERAL TABLE(f(t.x)) [AS
 * w(a, …)]` or `UNNEST(t.arr) [WITH ORDINALITY] [AS u(x, …)]` — becomes a {@link LogicalCorrelate}
 * over the left side (Flink's Correlate). Comma, CROSS and INNER joins are INNER correlates; LEFT
 * joins are LEFT correlates (NULL-padded); other join types are refused.
 *
 * Invariant: the function's operands see only the left side's relations (and outer scopes); the
 * result's relations are the left ones then the function's, at the left row's width, the
 * function's nullable under LEFT — the same layout `convertJoin` gives any join.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { Join, TableAlias, TableReference } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import { unnestColumns, unnestFunction } from "../exec/correlate/unnest-function.ts";
import type { TableFunctionDefinition } from "../functions/function-definition.ts";
import type { CorrelateJoinType, LogicalCorrelate, TableInvocation } from "../plan/correlate-nodes.ts";
import type { RexNode } from "../plan/rex.ts";
import { isTrueLiteral } from "../plan/rex-factory.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { castTo, convertExpression } from "./convert-expression.ts";
import type { FromResult } from "./convert-from.ts";
import type { QueryEnv } from "./convert-query.ts";
import { Scope, type ScopeRelation } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** True for the right sides {@link convertLateralJoin} plans. */
export function isLateralTableFunction(ref: TableReference): boolean {
  return (ref.kind === "table-function" && ref.lateral) || ref.kind === "unnest";
}

/** Plans `left <join> right` where `isLateralTableFunction(join.right)`. */
export function convertLateralJoin(join: Join, left: FromResult, env: QueryEnv): FromResult {
  const right = join.right;
  if (right.kind !== "table-function" && right.kind !== "unnest")
    throw new Error("not a lateral table function");
  const joinType = correlateJoinType(join);
  const operandScope = new Scope(left.relations, env.outer);
  const convert = (e: Expression): RexNode =>
    convertExpression(e, {
      scope: operandScope,
      functions: env.ctx.functions,
      functionContext: env.ctx.functionContext,
      clause: "FROM",
    });
  const invocation =
    right.kind === "unnest"
      ? unnestInvocation(right.args, right.withOrdinality, right.span, convert)
      : functionInvocation(right, env, convert);
  const columns = aliasedColumns(invocation.columns, right.alias);
  const padded = joinType === "LEFT" ? columns.map(nullableField) : columns;
  const leftWidth = left.node.fields.length;
  const defaultName = right.kind === "unnest" ? null : invocation.name;
  const relation: ScopeRelation = {
    name: right.alias?.name.value ?? defaultName,
    fields: columns,
    offset: leftWidth,
  };
  let condition: RexNode | null = null;
  if (join.condition?.kind === "on") {
    const scope = new Scope([...left.relations, relation], env.outer);
    const rex = convertExpression(join.condition.condition, {
      scope,
      functions: env.ctx.functions,
      functionContext: env.ctx.functionContext,
      clause: "ON",
    });
    if (rex.type.kind !== "BOOLEAN") {
      throw new SqlValidationError(join.condition.condition.span, "ON clause must be a condition");
    }
    condition = isTrueLiteral(rex) ? null : rex;
  }
  const node: LogicalCorrelate = {
    kind: "correlate",
    input: left.node,
    joinType,
    invocation: { ...invocation, columns },
    condition,
    fields: [...left.node.fields, ...padded],
  };
  return {
    node,
    relations: [...left.relations, { ...relation, fields: padded }],
  };
}

/**
 * `FROM UNNEST(ARRAY[…]) AS u(x)` on its own: the correlate of a single empty row, so the
 * collection's operands may only be constants (or outer references).
 */
export function convertStandaloneUnnest(
  from: Extract<TableReference, { kind: "unnest" }>,
  env: QueryEnv,
): FromResult {
  const single: FromResult = { node: { kind: "values", rows: [[]], fields: [] }, relations: [] };
  const join: Join = {
    kind: "join",
    type: "CROSS",
    natural: false,
    left: from,
    right: from,
    condition: null,
    span: from.span,
  };
  return convertLateralJoin(join, single, env);
}

function correlateJoinType(join: Join): CorrelateJoinType {
  if (join.natural || join.condition?.kind === "using") {
    throw new SqlValidationError(
      join.span,
      "NATURAL and USING joins with a table function are not supported",
    );
  }
  switch (join.type) {
    case "COMMA":
    case "CROSS":
      return "INNER";
    case "INNER":
    case "LEFT":
      if (join.condition === null) {
        throw new SqlValidationError(
          join.span,
          `${join.type} join with a table function requires a condition (ON TRUE for all rows)`,
        );
      }
      return join.type;
    default:
      throw new SqlValidationError(
        join.span,
        `${join.type} join with a table function is not supported; use CROSS JOIN, a comma, or LEFT JOIN … ON TRUE`,
      );
  }
}

function unnestInvocation(
  args: readonly Expression[],
  withOrdinality: boolean,
  span: Span,
  convert: (e: Expression) => RexNode,
): TableInvocation {
  if (args.length !== 1) {
    throw new SqlValidationError(span, `UNNEST takes exactly one collection, got ${args.length}`);
  }
  const operand = convert(args[0]!);
  const columns = unnestColumns(operand.type, withOrdinality);
  if (columns === null) {
    throw new SqlValidationError(
      args[0]!.span,
      `UNNEST requires an ARRAY, MAP or MULTISET operand, got ${operand.type.kind}`,
    );
  }
  return {
    name: "UNNEST",
    definition: unnestFunction(operand.type, withOrdinality),
    operands: [operand],
    columns,
  };
}

function functionInvocation(
  ref: Extract<TableReference, { kind: "table-function" }>,
  env: QueryEnv,
  convert: (e: Expression) => RexNode,
): TableInvocation {
  const call = ref.call;
  const name = call.name.parts.map((p) => p.value).join(".");
  const definition = env.ctx.functions.lookup(name);
  if (definition === undefined) {
    throw new SqlValidationError(call.span, `No match found for function signature ${name}(...)`);
  }
  if (definition.kind !== "table") {
    throw new SqlValidationError(call.span, `Function '${name}' is not a table function`);
  }
  const operands = call.args.map((arg) => {
    if (!isExpression(arg)) {
      throw new SqlValidationError(arg.span, `Table function '${name}' takes only value arguments`);
    }
    return convert(arg);
  });
  let inferred: ReturnType<TableFunctionDefinition["inferType"]>;
  try {
    inferred = definition.inferType(operands.map((o) => o.type));
  } catch (error) {
    throw new SqlValidationError(call.span, (error as Error).message);
  }
  const casts = inferred.operands;
  return {
    name: definition.name,
    definition,
    operands: casts === undefined ? operands : operands.map((o, i) => castTo(o, casts[i] ?? o.type)),
    columns: inferred.result,
  };
}

function isExpression(arg: { readonly kind: string }): arg is Expression {
  return (
    arg.kind !== "star-argument" &&
    arg.kind !== "named-argument" &&
    arg.kind !== "table-argument" &&
    arg.kind !== "descriptor-argument" &&
    arg.kind !== "time-unit-argument"
  );
}

function aliasedColumns(columns: readonly RowField[], alias: TableAlias | null): RowField[] {
  if (alias === null || alias.columns.length === 0) return [...columns];
  if (alias.columns.length !== columns.length) {
    throw new SqlValidationError(
      alias.span,
      `List of column aliases must have same degree as table; table has ${columns.length} columns, whereas alias list has ${alias.columns.length} columns`,
    );
  }
  return columns.map((c, i) => ({ name: alias.columns[i]!.value, type: c.type }));
}

function nullableField(f: RowField): RowField {
  return { name: f.name, type: { ...f.type, nullable: true } as LogicalType };
}
