/**
 * OVER aggregations in a SELECT block: `agg(…) OVER (PARTITION BY … ORDER BY <time attribute>
 * [ROWS | RANGE] BETWEEN … PRECEDING AND CURRENT ROW)`, written inline or through the WINDOW
 * clause (`OVER w`, `WINDOW w AS (…)`), become one over-aggregate node that appends a field per call.
 *
 * Invariants: all OVER aggregate calls of a block share one window, as Flink's streaming planner
 * requires (its error otherwise); the ORDER BY is one ascending time attribute; frames end at
 * CURRENT ROW; a missing frame means RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (SQL's
 * default with an ORDER BY). Arguments and PARTITION BY keys that are not plain columns are computed
 * by a projection below the node (as Flink's planner does), which keeps the input fields first so
 * the SELECT list's references stay valid.
 *
 * Example: `SELECT k, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS 2 PRECEDING) FROM t` over
 * `t(k, v, ts)` gives `over-aggregate(partitionKey=[0], timeIndex=2, frame=ROWS 2, calls=[SUM($1)])`
 * with fields `k, v, ts, w0$o0`, and the SELECT list refers to `w0$o0` as `$3`.
 * @module
 */

import type { CallExpression, Expression } from "../ast/expressions.ts";
import type { NamedWindow } from "../ast/queries.ts";
import type { FrameBound, WindowSpec } from "../ast/windows.ts";
import type { OverFrame } from "../exec/over/over-specs.ts";
import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { AggregateFunctionDefinition } from "../functions/function-definition.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { inputRef } from "../plan/rex-factory.ts";
import { rexEquals } from "../plan/rex-visit.ts";
import type { RowField } from "../types/logical-type.ts";
import { callName, typeAggregateCall } from "./convert-aggregate.ts";
import { convertExpression, type ExpressionContext } from "./convert-expression.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

/** True for a call that is an aggregate function applied OVER a window (not a ranking function). */
export function isOverAggregateCall(expr: Expression, context: ExpressionContext): boolean {
  return (
    expr.kind === "call" &&
    expr.over !== null &&
    context.functions.lookup(callName(expr))?.kind === "aggregate"
  );
}

interface ResolvedWindow {
  /** PARTITION BY, converted; expressions that are not columns are projected below the node. */
  readonly partition: readonly RexNode[];
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly frame: OverFrame;
}

export interface PlannedOverAggregate {
  readonly node: LogicalNode;
  /** Each OVER call of the SELECT list → its field of `node`. */
  readonly refs: ReadonlyMap<Expression, RexNode>;
}

/** Plans `calls` (OVER aggregate calls, at least one) over `input`. */
export function planOverAggregates(
  calls: readonly CallExpression[],
  input: LogicalNode,
  windows: readonly NamedWindow[],
  context: ExpressionContext,
): PlannedOverAggregate {
  const width = input.fields.length;
  const extraExprs: RexNode[] = [];
  const slotOf = (rex: RexNode): number => {
    if (rex.kind === "input-ref") return rex.index;
    const found = extraExprs.findIndex((e) => rexEquals(e, rex));
    if (found >= 0) return width + found;
    extraExprs.push(rex);
    return width + extraExprs.length - 1;
  };
  let window: ResolvedWindow | null = null;
  const aggregateCalls: AggregateCall[] = [];
  const callIndex = new Map<Expression, number>();
  for (const ast of calls) {
    const resolved = resolveWindow(ast, windows, context);
    if (window !== null && !sameWindow(window, resolved)) {
      throw new SqlValidationError(
        ast.span,
        "Over Agg: Unsupported use of OVER windows. All aggregates must be computed on the same window.",
      );
    }
    window = resolved;
    const call = aggregateCall(ast, context, slotOf);
    const existing = aggregateCalls.findIndex(
      (c) =>
        c.name === call.name &&
        c.distinct === call.distinct &&
        c.args.length === call.args.length &&
        c.args.every((a, i) => a === call.args[i]),
    );
    if (existing >= 0) callIndex.set(ast, existing);
    else callIndex.set(ast, aggregateCalls.push(call) - 1);
  }
  const partitionKey = window!.partition.map(slotOf);
  let below = input;
  if (extraExprs.length > 0) {
    const exprs = [...input.fields.map((f, i) => inputRef(i, f.type)), ...extraExprs];
    const fields: RowField[] = [
      ...input.fields,
      ...extraExprs.map((e, i) => ({ name: `$f${width + i}`, type: e.type })),
    ];
    below = { kind: "project", input, exprs, fields };
  }
  const base = below.fields.length;
  const callFields: RowField[] = aggregateCalls.map((c, i) => ({ name: `w0$o${i}`, type: c.type }));
  const node: LogicalNode = {
    kind: "over-aggregate",
    input: below,
    partitionKey,
    timeIndex: window!.timeIndex,
    timeKind: window!.timeKind,
    frame: window!.frame,
    calls: aggregateCalls,
    fields: [...below.fields, ...callFields],
  };
  const refs = new Map<Expression, RexNode>();
  for (const [ast, index] of callIndex) refs.set(ast, inputRef(base + index, callFields[index]!.type));
  return { node, refs };
}

function sameWindow(a: ResolvedWindow, b: ResolvedWindow): boolean {
  return (
    a.partition.length === b.partition.length &&
    a.partition.every((p, i) => rexEquals(p, b.partition[i]!)) &&
    a.timeIndex === b.timeIndex &&
    a.timeKind === b.timeKind &&
    JSON.stringify(a.frame) === JSON.stringify(b.frame)
  );
}

function aggregateCall(
  ast: CallExpression,
  context: ExpressionContext,
  slotOf: (rex: RexNode) => number,
): AggregateCall {
  const definition = context.functions.lookup(callName(ast)) as AggregateFunctionDefinition;
  if (ast.filter !== null) {
    throw new SqlValidationError(ast.filter.span, "FILTER is not supported on an OVER aggregation");
  }
  const argContext = { ...context, clause: "OVER aggregate argument" };
  const star = ast.args.length === 1 && ast.args[0]!.kind === "star-argument";
  const args = star
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
  const { inferred, casted } = typeAggregateCall(definition, args, ast.span);
  return {
    name: definition.name,
    definition,
    args: casted.map(slotOf),
    argTypes: casted.map((a) => a.type),
    distinct: ast.quantifier === "DISTINCT",
    filterArg: null,
    type: inferred.result,
  };
}

/** The call's window: inline, named (`OVER w`), or a named one refined (`OVER (w ROWS …)`). */
function specOf(call: CallExpression, windows: readonly NamedWindow[]): WindowSpec {
  const named = (name: { readonly value: string; readonly span: WindowSpec["span"] }): WindowSpec => {
    const found = windows.find((w) => w.name.value === name.value);
    if (found === undefined) throw new SqlValidationError(name.span, `Window '${name.value}' not found`);
    return found.spec.base === null ? found.spec : refine(named(found.spec.base), found.spec);
  };
  const over = call.over!;
  if (over.kind !== "window-spec") return named(over);
  return over.base === null ? over : refine(named(over.base), over);
}

function refine(base: WindowSpec, spec: WindowSpec): WindowSpec {
  if (spec.partitionBy.length > 0) {
    throw new SqlValidationError(spec.span, "A window that refines another cannot have its own PARTITION BY");
  }
  if (spec.orderBy.length > 0 && base.orderBy.length > 0) {
    throw new SqlValidationError(
      spec.span,
      "A window that refines an ordered window cannot have its own ORDER BY",
    );
  }
  if (base.frame !== null) {
    throw new SqlValidationError(spec.span, "A window with a frame cannot be refined");
  }
  return {
    ...spec,
    base: null,
    partitionBy: base.partitionBy,
    orderBy: spec.orderBy.length > 0 ? spec.orderBy : base.orderBy,
  };
}

function resolveWindow(
  call: CallExpression,
  windows: readonly NamedWindow[],
  context: ExpressionContext,
): ResolvedWindow {
  const spec = specOf(call, windows);
  const windowContext = { ...context, clause: "OVER" };
  const partition = spec.partitionBy.map((expr) => convertExpression(expr, windowContext));
  const timeRequired = "OVER windows' ordering in stream mode must be defined on a time attribute.";
  if (spec.orderBy.length !== 1) {
    throw new SqlValidationError(
      spec.orderBy[1]?.span ?? spec.span,
      spec.orderBy.length === 0 ? timeRequired : "An OVER window can only be ordered by one time attribute",
    );
  }
  const order = spec.orderBy[0]!;
  const rex = convertExpression(order.expression, windowContext);
  const type = rex.type;
  const timeKind =
    rex.kind === "input-ref" && (type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ")
      ? type.timeAttribute
      : null;
  if (rex.kind !== "input-ref" || timeKind === null) {
    throw new SqlValidationError(order.expression.span, timeRequired);
  }
  if (order.direction === "DESC") {
    throw new SqlValidationError(order.span, "The window can only be ordered in ASCENDING mode.");
  }
  const frame = spec.frame;
  if (frame === null)
    return { partition, timeIndex: rex.index, timeKind, frame: { kind: "RANGE", precedingMs: null } };
  if (frame.end !== null && frame.end.kind !== "current-row") {
    throw new SqlValidationError(
      frame.end.span,
      "OVER windows in stream mode must end at CURRENT ROW (FOLLOWING bounds are not supported)",
    );
  }
  const offset = precedingOffset(frame.start, frame.unit, windowContext);
  const overFrame: OverFrame =
    frame.unit === "ROWS" ? { kind: "ROWS", preceding: offset } : { kind: "RANGE", precedingMs: offset };
  return { partition, timeIndex: rex.index, timeKind, frame: overFrame };
}

/** A frame start's distance back: rows for ROWS, milliseconds for RANGE; null for UNBOUNDED. */
function precedingOffset(
  bound: FrameBound,
  unit: "ROWS" | "RANGE",
  context: ExpressionContext,
): number | null {
  switch (bound.kind) {
    case "unbounded-preceding":
      return null;
    case "current-row":
      return 0;
    case "following":
    case "unbounded-following":
      throw new SqlValidationError(
        bound.span,
        "An OVER window in stream mode must start at a PRECEDING bound or CURRENT ROW",
      );
    case "preceding": {
      const rex = convertExpression(bound.offset, context);
      const value = rex.kind === "literal" ? rex.value : null;
      if (unit === "ROWS") {
        const isInteger =
          (rex.type.kind === "INT" ||
            rex.type.kind === "BIGINT" ||
            rex.type.kind === "SMALLINT" ||
            rex.type.kind === "TINYINT") &&
          (typeof value === "number" || typeof value === "bigint") &&
          value >= 0;
        if (!isInteger) {
          throw new SqlValidationError(
            bound.offset.span,
            "ROWS PRECEDING of an OVER window must be a non-negative integer literal",
          );
        }
        return Number(value);
      }
      if (rex.type.kind !== "INTERVAL_DAY_TIME" || typeof value !== "number" || value < 0) {
        throw new SqlValidationError(
          bound.offset.span,
          "RANGE PRECEDING of an OVER window ordered by a time attribute must be a non-negative interval literal, e.g. INTERVAL '1' HOUR",
        );
      }
      return value;
    }
  }
}
