/**
 * The FROM clause → a logical node and the {@link Scope} that resolves names against its row:
 * catalog tables and views, common table expressions, derived tables, and joins (ON, USING,
 * NATURAL, CROSS and comma joins).
 *
 * Invariant: the scope's relations lie in the node's row in order (a join's left relations, then
 * its right ones) and fields of the NULL-padded side of an outer join are nullable in both.
 * Temporal joins (`FOR SYSTEM_TIME AS OF`) are recognized here (see `convert-temporal-join.ts`);
 * table functions of the left row (`LATERAL TABLE(f(t.x))`, `UNNEST(t.arr)`) become a Correlate
 * (see `convert-lateral.ts`); MATCH_RECOGNIZE is planned by `convert-match-recognize.ts`; features
 * not built yet (LATERAL subqueries) fail with a clear "not supported yet".
 * @module
 */

import type { Identifier } from "../ast/names.ts";
import type { Join, TableAlias, TableName, TableReference } from "../ast/queries.ts";
import type { Span } from "../ast/span.ts";
import type { LogicalJoinType } from "../plan/logical-join.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, equals, inputRef, TRUE_LITERAL } from "../plan/rex-factory.ts";
import type { LogicalType, RowField } from "../types/logical-type.ts";
import { applyOperator, convertExpression } from "./convert-expression.ts";
import { convertLateralJoin, convertStandaloneUnnest, isLateralTableFunction } from "./convert-lateral.ts";
import { convertMatchRecognize } from "./convert-match-recognize.ts";
import { convertQuery, type QueryEnv } from "./convert-query.ts";
import { temporalJoinPeriod, withoutSystemTime } from "./convert-temporal-join.ts";
import { convertWindowTableFunction, WINDOW_FUNCTIONS, windowFunctionName } from "./convert-window-tvf.ts";
import { fieldIndex, Scope, type ScopeRelation } from "./scope.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { scanTable } from "./table-scan.ts";

export interface FromResult {
  readonly node: LogicalNode;
  readonly relations: readonly ScopeRelation[];
}

export function convertFrom(from: TableReference, env: QueryEnv): FromResult {
  switch (from.kind) {
    case "table-name":
      return convertTableName(from, env);
    case "derived-table": {
      if (from.lateral) throw new SqlValidationError(from.span, "LATERAL subqueries are not supported yet");
      const node = convertQuery(from.query, { ...env, outer: null });
      return aliased(node, from.alias, null);
    }
    case "table-function": {
      const windowFunction = from.lateral ? null : windowFunctionName(from.call);
      if (windowFunction !== null) return convertWindowTableFunction(from, windowFunction, env);
      throw new SqlValidationError(
        from.span,
        from.lateral
          ? "LATERAL TABLE function calls are not supported yet"
          : `Table function '${from.call.name.parts.map((p) => p.value).join(".")}' is not supported yet (only the window functions ${WINDOW_FUNCTIONS.join(", ")})`,
      );
    }
    case "unnest":
      return convertStandaloneUnnest(from, env);
    case "match-recognize":
      return convertMatchRecognize(from, convertFrom(from.input, env), env);
    case "join":
      return convertJoin(from, env);
  }
}

function convertTableName(from: TableName, env: QueryEnv): FromResult {
  if (from.systemTime !== null) {
    throw new SqlValidationError(
      from.systemTime.span,
      "Temporal table joins (FOR SYSTEM_TIME AS OF) are not supported yet",
    );
  }
  const parts = from.name.parts.map((p) => p.value);
  const cte = parts.length === 1 ? env.ctes.get(parts[0]!) : undefined;
  if (cte !== undefined) {
    // A CTE sees the CTEs declared before it, not itself.
    const ctes = new Map([...env.ctes].filter(([name]) => name !== cte.name.value));
    let node = convertQuery(cte.query, { ...env, ctes, outer: null });
    if (cte.columns.length > 0) node = renameFields(node, cte.columns, cte.span);
    return aliased(node, from.alias, cte.name.value);
  }
  const path = env.ctx.catalog.resolvePath(parts);
  if (!path.ok) throw new SqlValidationError(from.name.span, path.reason);
  const object = env.ctx.catalog.lookup(path.name);
  if (object === undefined) {
    throw new SqlValidationError(from.name.span, `Object '${parts.join(".")}' not found`);
  }
  if (object.kind === "view") {
    let node = convertQuery(object.query, { ctx: env.ctx, ctes: new Map(), outer: null });
    const columns = object.columns;
    if (columns !== undefined && columns.length > 0) {
      node = renameFields(
        node,
        columns.map((value) => ({ kind: "identifier", value, span: from.span })),
        from.span,
      );
    }
    return aliased(node, from.alias, object.name);
  }
  let table = object;
  const options = from.hints.filter((h) => h.name.value.toUpperCase() === "OPTIONS");
  if (options.length > 0) {
    const merged: Record<string, string> = { ...table.options };
    for (const hint of options) {
      for (const arg of hint.args) {
        if (arg.kind === "key-value") merged[arg.key.value] = arg.value.value;
      }
    }
    table = { ...table, options: merged };
  }
  return aliased(scanTable(table, env.ctx, from.name.span), from.alias, table.name);
}

/** Copies a node with its fields renamed (no extra project: rexes refer by index). */
export function renameFields(node: LogicalNode, names: readonly Identifier[], span: Span): LogicalNode {
  if (names.length !== node.fields.length) {
    throw new SqlValidationError(
      span,
      `List of column aliases must have same degree as table; table has ${node.fields.length} columns, whereas alias list has ${names.length} columns`,
    );
  }
  return {
    ...node,
    fields: node.fields.map((f, i) => ({ name: names[i]!.value, type: f.type })),
  } as LogicalNode;
}

function aliased(node: LogicalNode, alias: TableAlias | null, defaultName: string | null): FromResult {
  let renamed = node;
  if (alias !== null && alias.columns.length > 0) renamed = renameFields(node, alias.columns, alias.span);
  return {
    node: renamed,
    relations: [{ name: alias?.name.value ?? defaultName, fields: renamed.fields, offset: 0 }],
  };
}

function nullable(fields: readonly RowField[]): RowField[] {
  return fields.map((f) => ({ name: f.name, type: { ...f.type, nullable: true } as LogicalType }));
}

function shifted(r: ScopeRelation, by: number, pad: boolean): ScopeRelation {
  const fields = pad ? nullable(r.fields) : r.fields;
  if (r.indices === undefined) return { ...r, offset: r.offset + by, fields };
  return { ...r, offset: r.offset + by, indices: r.indices.map((i) => i + by), fields };
}

function convertJoin(join: Join, env: QueryEnv): FromResult {
  const left = convertFrom(join.left, env);
  if (isLateralTableFunction(join.right)) return convertLateralJoin(join, left, env);
  const temporal = temporalJoinPeriod(join, left.relations, env);
  const right = convertFrom(withoutSystemTime(join.right), env);
  const leftWidth = left.node.fields.length;
  const joinType: LogicalJoinType = join.type === "CROSS" || join.type === "COMMA" ? "INNER" : join.type;
  const padLeft = joinType === "RIGHT" || joinType === "FULL";
  const padRight = joinType === "LEFT" || joinType === "FULL";
  const leftFields = padLeft ? nullable(left.node.fields) : left.node.fields;
  const rightFields = padRight ? nullable(right.node.fields) : right.node.fields;
  const relations: ScopeRelation[] = [
    ...left.relations.map((r) => ({ ...r, fields: padLeft ? nullable(r.fields) : r.fields })),
    ...right.relations.map((r) => ({
      ...r,
      offset: r.offset + leftWidth,
      fields: padRight ? nullable(r.fields) : r.fields,
    })),
  ];
  // The ON condition sees the inputs' own (not yet padded) types.
  const conditionScope = new Scope(
    [...left.relations, ...right.relations.map((r) => shifted(r, leftWidth, false))],
    env.outer,
  );
  let condition: RexNode = TRUE_LITERAL;
  const using = usingColumns(join, left.node.fields, right.node.fields);
  if (join.condition?.kind === "on") {
    condition = convertExpression(join.condition.condition, {
      scope: conditionScope,
      functions: env.ctx.functions,
      functionContext: env.ctx.functionContext,
      clause: "ON",
    });
    if (condition.type.kind !== "BOOLEAN") {
      throw new SqlValidationError(join.condition.condition.span, "ON clause must be a condition");
    }
  } else if (using !== null) {
    condition = and(
      using.map(({ leftIndex, rightIndex }) =>
        equals(
          inputRef(leftIndex, left.node.fields[leftIndex]!.type),
          inputRef(leftWidth + rightIndex, right.node.fields[rightIndex]!.type),
        ),
      ),
    );
  }
  if (
    (join.type === "INNER" || join.type === "LEFT" || join.type === "RIGHT" || join.type === "FULL") &&
    join.condition === null &&
    !join.natural
  ) {
    throw new SqlValidationError(
      join.span,
      "INNER, LEFT, RIGHT or FULL join requires a condition (NATURAL keyword or ON or USING clause)",
    );
  }
  const node: LogicalNode = {
    kind: "join",
    joinType,
    left: left.node,
    right: right.node,
    condition,
    fields: [...leftFields, ...rightFields],
    ...(temporal === null ? {} : { temporal }),
  };
  if (using === null) return { node, relations };
  return mergeUsingColumns(node, relations, using, leftWidth, joinType, env, join.span);
}

/**
 * USING / NATURAL: each common column appears once, first, as SQL requires (`SELECT *` shows it
 * once, an unqualified name means the merged column; for a FULL join the merged value is
 * COALESCE(left, right)); the other columns follow, left then right.
 */
function mergeUsingColumns(
  join: LogicalNode,
  relations: readonly ScopeRelation[],
  using: readonly { leftIndex: number; rightIndex: number }[],
  leftWidth: number,
  joinType: LogicalJoinType,
  env: QueryEnv,
  span: Span,
): FromResult {
  const fields = join.fields;
  const commonOf = new Map<number, number>();
  const exprs: RexNode[] = [];
  const outFields: RowField[] = [];
  using.forEach(({ leftIndex, rightIndex }, position) => {
    const l = inputRef(leftIndex, fields[leftIndex]!.type);
    const r = inputRef(leftWidth + rightIndex, fields[leftWidth + rightIndex]!.type);
    const merged =
      joinType === "FULL"
        ? applyOperator("COALESCE", [l, r], span, null, env.ctx.functions)
        : joinType === "RIGHT"
          ? r
          : l;
    exprs.push(merged);
    outFields.push({ name: fields[leftIndex]!.name, type: merged.type });
    commonOf.set(leftIndex, position);
    commonOf.set(leftWidth + rightIndex, position);
  });
  const newIndex = new Map<number, number>(commonOf);
  fields.forEach((f, i) => {
    if (commonOf.has(i)) return;
    newIndex.set(i, exprs.length);
    exprs.push(inputRef(i, f.type));
    outFields.push(f);
  });
  const commonRelation: ScopeRelation = { name: null, fields: outFields.slice(0, using.length), offset: 0 };
  const remapped: ScopeRelation[] = relations.map((r) => {
    const indices = r.fields.map((_, i) => newIndex.get(fieldIndex(r, i))!);
    const qualifiedOnly = new Set(r.fields.flatMap((_, i) => (commonOf.has(fieldIndex(r, i)) ? [i] : [])));
    return { ...r, indices, qualifiedOnly };
  });
  return {
    node: { kind: "project", input: join, exprs, fields: outFields },
    relations: [commonRelation, ...remapped],
  };
}

/** Column pairs of USING (…) or NATURAL, by index into each side. */
function usingColumns(
  join: Join,
  leftFields: readonly RowField[],
  rightFields: readonly RowField[],
): { leftIndex: number; rightIndex: number }[] | null {
  let names: readonly { value: string; span: Span }[];
  if (join.condition?.kind === "using") names = join.condition.columns;
  else if (join.natural) {
    names = leftFields
      .filter((f) => rightFields.some((r) => r.name === f.name))
      .map((f) => ({ value: f.name, span: join.span }));
  } else return null;
  return names.map((n) => {
    const leftIndex = leftFields.findIndex((f) => f.name === n.value);
    const rightIndex = rightFields.findIndex((f) => f.name === n.value);
    if (leftIndex < 0 || rightIndex < 0) {
      throw new SqlValidationError(
        n.span,
        `Column '${n.value}' not found in ${leftIndex < 0 ? "left" : "right"} table`,
      );
    }
    return { leftIndex, rightIndex };
  });
}
