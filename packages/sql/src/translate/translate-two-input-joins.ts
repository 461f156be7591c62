/**
 * Translation of the keyed two-input joins — regular, window, temporal and interval — into one
 * `connectAndProcess` of the left and right inputs, each keyed on its side of the equi-join keys.
 * Lookup and multi-way joins have their own files.
 *
 * Invariants: the non-equi part of a condition is compiled once, over left fields then right
 * fields; joins that need event time get their operator wrapped for watermarks; a window join
 * refuses updating input before any input is translated.
 * @module
 */

import { EventTimeExtension } from "@weir/api";
import { IntervalJoinFunction } from "../exec/interval-join/interval-join-function.ts";
import { JoinFunction } from "../exec/join-function.ts";
import type { JoinPredicate } from "../exec/operator-specs.ts";
import { TemporalJoinFunction } from "../exec/temporal/temporal-join-function.ts";
import { WindowJoinFunction } from "../exec/window-join/window-join-function.ts";
import { compileJoinPredicate } from "../expressions/compile-expression.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import { isInsertOnly } from "../plan/changelog-traits.ts";
import type { PhysicalIntervalJoin } from "../plan/physical-interval-join.ts";
import type { PhysicalJoin } from "../plan/physical-node.ts";
import type { PhysicalTemporalJoin } from "../plan/physical-temporal-join.ts";
import type { PhysicalWindowJoin } from "../plan/physical-window-join.ts";
import type { RexNode } from "../plan/rex.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import {
  type InputTranslator,
  modeOf,
  named,
  type RowStream,
  type TranslationContext,
} from "./translation-context.ts";

export type PhysicalTwoInputJoin =
  | PhysicalJoin
  | PhysicalWindowJoin
  | PhysicalTemporalJoin
  | PhysicalIntervalJoin;

export function translateTwoInputJoin(
  node: PhysicalTwoInputJoin,
  inputs: InputTranslator,
  ctx: TranslationContext,
): RowStream {
  switch (node.kind) {
    case "Join":
      return regularJoin(node, inputs, ctx);
    case "WindowJoin":
      return windowJoin(node, inputs, ctx.functionContext);
    case "TemporalJoin":
      return temporalJoin(node, inputs, ctx.functionContext);
    case "IntervalJoin":
      return intervalJoin(node, inputs, ctx);
  }
}

/** The compiled non-equi part of a join condition, or null when the keys say it all. */
function joinPredicate(
  condition: RexNode | null,
  leftArity: number,
  fctx: FunctionContext,
): JoinPredicate | null {
  return condition === null ? null : compileJoinPredicate(condition, leftArity, fctx);
}

function regularJoin(node: PhysicalJoin, inputs: InputTranslator, ctx: TranslationContext): RowStream {
  const left = inputs.keyed(node.left, node.leftKey);
  const right = inputs.keyed(node.right, node.rightKey);
  const leftArity = node.left.fields.length;
  const fn = new JoinFunction({
    joinType: node.joinType,
    leftKey: node.leftKey,
    rightKey: node.rightKey,
    nullSafe: node.nullSafe,
    nonEquiCondition: joinPredicate(node.nonEquiCondition, leftArity, ctx.functionContext),
    leftArity,
    rightArity: node.right.fields.length,
    leftMode: modeOf(node.left),
    rightMode: modeOf(node.right),
    miniBatch: ctx.options.miniBatch,
    stateTtlMs: ctx.options.stateTtlMs,
  });
  return named(left.connectAndProcess(right, fn), node);
}

function windowJoin(node: PhysicalWindowJoin, inputs: InputTranslator, fctx: FunctionContext): RowStream {
  for (const side of [node.left, node.right]) {
    if (side.traits !== null && !isInsertOnly(side.traits.kinds)) {
      throw new Error(
        `${describePhysicalNode(node)} takes only insert-only inputs, but an input produces updates`,
      );
    }
  }
  const left = inputs.keyed(node.left, node.leftKey);
  const right = inputs.keyed(node.right, node.rightKey);
  const leftArity = node.left.fields.length;
  const fn = new WindowJoinFunction({
    joinType: node.joinType,
    leftWindowEndIndex: node.leftWindow.end,
    rightWindowEndIndex: node.rightWindow.end,
    leftArity,
    rightArity: node.right.fields.length,
    condition: joinPredicate(node.nonEquiCondition, leftArity, fctx),
    timeKind: node.timeKind,
  });
  return named(left.connectAndProcess(right, EventTimeExtension.wrapProcessFunction(fn)), node);
}

function temporalJoin(node: PhysicalTemporalJoin, inputs: InputTranslator, fctx: FunctionContext): RowStream {
  const left = inputs.keyed(node.left, node.leftKey);
  const right = inputs.keyed(node.right, node.rightKey);
  const leftArity = node.left.fields.length;
  const fn = new TemporalJoinFunction({
    joinType: node.joinType,
    leftTimeIndex: node.leftTimeIndex,
    rightTimeIndex: node.rightTimeIndex,
    rightArity: node.right.fields.length,
    remaining: joinPredicate(node.nonEquiCondition, leftArity, fctx),
  });
  return named(left.connectAndProcess(right, EventTimeExtension.wrapProcessFunction(fn)), node);
}

function intervalJoin(
  node: PhysicalIntervalJoin,
  inputs: InputTranslator,
  ctx: TranslationContext,
): RowStream {
  const left = inputs.keyed(node.left, node.leftKey);
  const right = inputs.keyed(node.right, node.rightKey);
  const leftArity = node.left.fields.length;
  const fn = new IntervalJoinFunction({
    joinType: node.joinType,
    leftKey: node.leftKey,
    rightKey: node.rightKey,
    leftTimeIndex: node.leftTimeIndex,
    rightTimeIndex: node.rightTimeIndex,
    timeKind: node.timeKind,
    lowerMs: node.lowerMs,
    upperMs: node.upperMs,
    nonEquiCondition: joinPredicate(node.nonEquiCondition, leftArity, ctx.functionContext),
    leftArity,
    rightArity: node.right.fields.length,
    stateTtlMs: ctx.options.stateTtlMs,
  });
  return named(left.connectAndProcess(right, EventTimeExtension.wrapProcessFunction(fn)), node);
}
