/**
 * Translation of the physical Match node to its operator spec: compiles DEFINE conditions,
 * measures and navigation operands with the expression compiler and creates the aggregate
 * functions navigations use.
 *
 * Invariant: the spec's expressions are compiled once per operator instance; nothing here runs
 * per record.
 * @module
 */

import type { MatchExpression, MatchRecognizeSpec, NavigationSpec } from "../exec/match/match-specs.ts";
import { rowComparator } from "../exec/row-order.ts";
import { compileProjection, compileScalar } from "../expressions/compile-expression.ts";
import type { AggregateImplementation, FunctionContext } from "../functions/function-definition.ts";
import type { MatchNavigation, MatchRex, PhysicalMatch } from "../plan/match-nodes.ts";

export function matchSpecOf(
  node: PhysicalMatch,
  fctx: FunctionContext,
  stateTtlMs: number,
): MatchRecognizeSpec {
  const { match } = node;
  const secondary = match.orderBy.slice(1);
  return {
    partitionKey: match.partitionKey,
    timeIndex: match.orderBy[0]!.index,
    timeKind: match.timeKind,
    compareRows: secondary.length === 0 ? null : rowComparator(secondary),
    pattern: match.pattern,
    conditions: match.definitions.map((d) => (d === null ? null : compileMatchRex(d, fctx))),
    measures: match.measures.map((m) => compileMatchRex(m.expr, fctx)),
    skip: match.skip,
    withinMs: match.withinMs,
    inputWidth: node.input.fields.length,
    stateTtlMs,
  };
}

function compileMatchRex(expr: MatchRex, fctx: FunctionContext): MatchExpression {
  return {
    navigations: expr.navigations.map((n) => compileNavigation(n, fctx)),
    evaluate: compileScalar(expr.rex, fctx),
  };
}

function compileNavigation(nav: MatchNavigation, fctx: FunctionContext): NavigationSpec {
  switch (nav.kind) {
    case "first":
    case "last":
    case "prev":
      return {
        kind: nav.kind,
        variable: nav.variable,
        offset: nav.offset,
        value: compileScalar(nav.value, fctx),
      };
    case "aggregate":
      return {
        kind: "aggregate",
        variable: nav.variable,
        implementation: nav.definition.create(nav.argTypes, nav.type, {
          retraction: false,
        }) as AggregateImplementation<unknown>,
        operands: compileProjection(nav.operands, fctx),
      };
    case "match-rowtime":
      return { kind: "match-rowtime" };
    case "match-proctime":
      return { kind: "match-proctime" };
  }
}
