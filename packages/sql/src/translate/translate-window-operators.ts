/**
 * Translation of the windowing operators that act on one input: the window table function, window
 * aggregations (attached or assigning, single phase or local / global halves) and window rank.
 * Window joins are two-input joins and live with them.
 *
 * Invariants: window aggregate calls are built insert-only (no retraction bookkeeping) and window
 * rank refuses updating input before its input is translated; keyed window operators are wrapped
 * by `EventTimeExtension`, so they see watermarks and fire windows on them.
 * @module
 */

import { EventTimeExtension } from "@weir/api";
import { AttachedWindowAggregateFunction } from "../exec/window/attached-window-aggregate-function.ts";
import { GlobalAttachedWindowAggregateFunction } from "../exec/window/global-attached-window-aggregate-function.ts";
import { GlobalWindowAggregateFunction } from "../exec/window/global-window-aggregate-function.ts";
import { LocalWindowAggregateFunction } from "../exec/window/local-window-aggregate-function.ts";
import { SessionWindowAggregateFunction } from "../exec/window/session-window-aggregate-function.ts";
import { WindowAggregateFunction } from "../exec/window/window-aggregate-function.ts";
import { WindowTableFunction } from "../exec/window/window-table-function.ts";
import { WindowRankFunction } from "../exec/window-rank/window-rank-function.ts";
import { isInsertOnly } from "../plan/changelog-traits.ts";
import type {
  PhysicalAssigningWindowAggregate,
  PhysicalWindowAggregate,
  PhysicalWindowTableFunction,
} from "../plan/physical-node.ts";
import type { PhysicalWindowRank } from "../plan/physical-window-rank.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import { windowEmitSpec } from "../planner/window-emit-options.ts";
import { aggregateCallSpecs } from "./aggregate-call-specs.ts";
import {
  type InputTranslator,
  named,
  processOne,
  type RowStream,
  type TranslationContext,
} from "./translation-context.ts";

export type PhysicalWindowOperator =
  | PhysicalWindowTableFunction
  | PhysicalWindowAggregate
  | PhysicalAssigningWindowAggregate
  | PhysicalWindowRank;

export function translateWindowOperator(
  node: PhysicalWindowOperator,
  inputs: InputTranslator,
  ctx: TranslationContext,
): RowStream {
  switch (node.kind) {
    case "WindowTableFunction": {
      const fn = new WindowTableFunction({
        strategy: node.strategy,
        timeIndex: node.timeIndex,
        timeKind: node.timeKind,
      });
      return processOne(inputs.translate(node.input), fn, node);
    }
    case "WindowAggregate":
      return attachedWindowAggregate(node, inputs, ctx);
    case "AssigningWindowAggregate":
      return assigningWindowAggregate(node, inputs, ctx);
    case "WindowRank":
      return windowRank(node, inputs);
  }
}

/** Rows that already carry their window: keyed by the group key, window columns included. */
function attachedWindowAggregate(
  node: PhysicalWindowAggregate,
  inputs: InputTranslator,
  ctx: TranslationContext,
): RowStream {
  if (node.phase === "local") {
    const local = new LocalWindowAggregateFunction({
      strategy: node.strategy,
      timeIndex: node.windowEndIndex,
      windowEndIndex: node.windowEndIndex,
      groupKey: node.groupKey,
      calls: aggregateCallSpecs(node.calls, true),
    });
    return processOne(inputs.translate(node.input), local, node);
  }
  const input = inputs.keyed(node.input, node.groupKey);
  if (node.phase === "global") {
    const global = new GlobalAttachedWindowAggregateFunction({
      keyCount: node.groupKey.length,
      calls: aggregateCallSpecs(node.calls, true),
      stateTtlMs: ctx.options.stateTtlMs,
    });
    return named(input.process(EventTimeExtension.wrapProcessFunction(global)), node);
  }
  const fn = new AttachedWindowAggregateFunction({
    groupKey: node.groupKey,
    windowEndIndex: node.windowEndIndex,
    timeKind: node.timeKind,
    calls: aggregateCallSpecs(node.calls, true),
    stateTtlMs: ctx.options.stateTtlMs,
    ...windowEmitSpec(node),
  });
  return named(input.process(EventTimeExtension.wrapProcessFunction(fn)), node);
}

/** Rows whose windows the operator assigns from their time column (always so for sessions). */
function assigningWindowAggregate(
  node: PhysicalAssigningWindowAggregate,
  inputs: InputTranslator,
  ctx: TranslationContext,
): RowStream {
  if (node.phase === "local") {
    const calls = aggregateCallSpecs(node.calls, true);
    const local = new LocalWindowAggregateFunction({
      strategy: node.strategy,
      timeIndex: node.timeIndex,
      groupKey: node.groupKey,
      calls,
    });
    return processOne(inputs.translate(node.input), local, node);
  }
  const input = inputs.keyed(node.input, node.groupKey);
  if (node.phase === "global") {
    const global = new GlobalWindowAggregateFunction({
      strategy: node.strategy,
      keyCount: node.groupKey.length,
      calls: aggregateCallSpecs(node.calls, true),
      stateTtlMs: ctx.options.stateTtlMs,
    });
    return named(input.process(EventTimeExtension.wrapProcessFunction(global)), node);
  }
  const spec = {
    strategy: node.strategy,
    timeIndex: node.timeIndex,
    timeKind: node.timeKind,
    groupKey: node.groupKey,
    calls: aggregateCallSpecs(node.calls, true),
    stateTtlMs: ctx.options.stateTtlMs,
    ...windowEmitSpec(node),
  };
  const fn =
    node.strategy.kind === "SESSION"
      ? new SessionWindowAggregateFunction(spec)
      : new WindowAggregateFunction(spec);
  return named(input.process(EventTimeExtension.wrapProcessFunction(fn)), node);
}

function windowRank(node: PhysicalWindowRank, inputs: InputTranslator): RowStream {
  if (node.input.traits !== null && !isInsertOnly(node.input.traits.kinds)) {
    throw new Error(
      `${describePhysicalNode(node)} takes only insert-only input, but its input produces updates`,
    );
  }
  const input = inputs.keyed(node.input, node.partitionKey);
  const fn = new WindowRankFunction({
    orderBy: node.orderBy,
    rankType: node.rankType,
    rankStart: node.rankStart,
    rankEnd: node.rankEnd,
    outputRankNumber: node.outputRankNumber,
    windowEndIndex: node.windowEndIndex,
    timeKind: node.timeKind,
    preferLatest: node.deduplicate?.keepLastRow ?? false,
  });
  return named(input.process(EventTimeExtension.wrapProcessFunction(fn)), node);
}
