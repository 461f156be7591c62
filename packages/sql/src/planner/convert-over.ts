/**
 * Ranking OVER calls and QUALIFY in a SELECT block: `ROW_NUMBER() | RANK() | DENSE_RANK() OVER
 * (PARTITION BY … ORDER BY …)` becomes an over-rank node that appends the rank to the row, and a
 * QUALIFY condition a filter on that row, so the Top-N rule can turn a rank filter into a Rank.
 * PARTITION BY may be any expressions: those that are not columns are computed by a projection
 * below the ranking (`partitionSlots`), as Flink's planner does.
 *
 * Invariant: OVER aggregate calls never reach here (`convert-over-aggregate.ts` plans them); any
 * other function with OVER is refused.
 * @module
 */

import type { CallExpression, Expression } from "../ast/expressions.ts";
import type { Select } from "../ast/queries.ts";
import type { WindowSpec } from "../ast/windows.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RankType } from "../plan/logical-order-nodes.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import { rexEquals } from "../plan/rex-visit.ts";
import type { RowField } from "../types/logical-type.ts";
import { callName, type Substitute } from "./convert-aggregate.ts";
import { convertExpression, type ExpressionContext } from "./convert-expression.ts";
import { sortField } from "./convert-query.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

const RANK_FUNCTIONS = new Set(["ROW_NUMBER", "RANK", "DENSE_RANK"]);

/**
 * `QUALIFY condition` (Flink 2.0): a filter on the row with its ranking results, applied before the
 * SELECT list, so a filter on a rank becomes a Top-N. SELECT aliases may be used in the condition.
 */
export function planQualify(
  select: Select,
  input: LogicalNode,
  exprContext: (clause: string, substitute?: Substitute) => ExpressionContext,
  substitute: Substitute,
): LogicalNode {
  const aliases = new Map<string, Expression>();
  for (const item of select.items) {
    if (item.kind === "select-expression" && item.alias !== null)
      aliases.set(item.alias.value, item.expression);
  }
  const context = exprContext("QUALIFY");
  const withAliases: Substitute = (e) => {
    const direct = substitute(e);
    if (direct !== undefined) return direct;
    if (e.kind !== "reference" || e.parts.length !== 1) return undefined;
    const aliased = aliases.get(e.parts[0]!.value);
    if (aliased === undefined) return undefined;
    try {
      context.scope.resolve(e.parts, e.span);
      return undefined; // a column of that name wins over the alias
    } catch {
      return convertExpression(aliased, { ...context, substitute });
    }
  };
  const condition = convertExpression(select.qualify!, { ...context, substitute: withAliases });
  if (condition.type.kind !== "BOOLEAN") {
    throw new SqlValidationError(select.qualify!.span, "QUALIFY clause must be a condition");
  }
  return { kind: "filter", input, condition, fields: input.fields };
}

/** `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY exprs ORDER BY cols)`. */
export function planOverRank(
  call: CallExpression,
  input: LogicalNode,
  context: ExpressionContext,
): LogicalNode {
  const name = callName(call).toUpperCase();
  if (!RANK_FUNCTIONS.has(name)) {
    throw new SqlValidationError(
      call.span,
      `OVER is only supported on aggregate functions and ROW_NUMBER / RANK / DENSE_RANK, not on ${name}`,
    );
  }
  if (call.over === null || call.over.kind !== "window-spec") {
    throw new SqlValidationError(call.span, "Named windows are not supported yet");
  }
  const spec: WindowSpec = call.over;
  if (call.args.length > 0) throw new SqlValidationError(call.span, `${name} takes no arguments`);
  const columnIndex = (expr: Expression): number => {
    const rex = convertExpression(expr, context);
    if (rex.kind !== "input-ref") {
      throw new SqlValidationError(
        expr.span,
        "ORDER BY of a ranking function must be columns (expressions are not supported yet)",
      );
    }
    return rex.index;
  };
  if (spec.orderBy.length === 0) {
    throw new SqlValidationError(spec.span, `${name}() requires an ORDER BY in its OVER clause`);
  }
  // PARTITION BY expressions are computed by a projection below, as Flink's planner does; it keeps
  // the input fields first, so the ORDER BY's and the SELECT list's references stay valid.
  const partition = partitionSlots(
    spec.partitionBy.map((expr) => convertExpression(expr, context)),
    input,
  );
  const orderBy = spec.orderBy.map((item) => {
    const index = columnIndex(item.expression);
    return sortField(item, index, input.fields[index]!.type);
  });
  return {
    kind: "over-rank",
    input: partition.input,
    rankType: name as RankType,
    partitionKey: partition.key,
    orderBy,
    fields: [...partition.input.fields, { name: `w0$o0`, type: { kind: "BIGINT", nullable: false } }],
  };
}

/**
 * The fields of `exprs` (PARTITION BY keys): a column is its own field; other expressions (each
 * distinct one once) are appended by a projection over `input` as `$f<i>`.
 */
export function partitionSlots(
  exprs: readonly RexNode[],
  input: LogicalNode,
): { readonly input: LogicalNode; readonly key: number[] } {
  const width = input.fields.length;
  const extra: RexNode[] = [];
  const key = exprs.map((rex) => {
    if (rex.kind === "input-ref") return rex.index;
    const found = extra.findIndex((e) => rexEquals(e, rex));
    if (found >= 0) return width + found;
    return width + extra.push(rex) - 1;
  });
  if (extra.length === 0) return { input, key };
  const fields: RowField[] = [
    ...input.fields,
    ...extra.map((e, i) => ({ name: `$f${width + i}`, type: e.type })),
  ];
  const projected: LogicalNode = {
    kind: "project",
    input,
    exprs: [...input.fields.map((f, i) => inputRef(i, f.type)), ...extra],
    fields,
  };
  return { input: projected, key };
}
