/**
 * Ranking OVER calls and QUALIFY in a SELECT block: `ROW_NUMBER() | RANK() | DENSE_RANK() OVER
 * (PARTITION BY … ORDER BY …)` becomes an over-rank node that appends the rank to the row, and a
 * QUALIFY condition a filter on that row, so the Top-N rule can turn a rank filter into a Rank.
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

/** `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY cols ORDER BY cols)`. */
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
        "PARTITION BY and ORDER BY of a ranking function must be columns (expressions are not supported yet)",
      );
    }
    return rex.index;
  };
  if (spec.orderBy.length === 0) {
    throw new SqlValidationError(spec.span, `${name}() requires an ORDER BY in its OVER clause`);
  }
  const partitionKey = spec.partitionBy.map(columnIndex);
  const orderBy = spec.orderBy.map((item) => {
    const index = columnIndex(item.expression);
    return sortField(item, index, input.fields[index]!.type);
  });
  return {
    kind: "over-rank",
    input,
    rankType: name as RankType,
    partitionKey,
    orderBy,
    fields: [...input.fields, { name: `w0$o0`, type: { kind: "BIGINT", nullable: false } }],
  };
}
