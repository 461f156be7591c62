/**
 * Physical plan → DataStream graph: each physical node becomes the operator of `../exec/` its spec
 * describes, exchanges become `keyBy` (on `keySelectorFor` of the operator's key) or `global()`,
 * expressions are compiled once here, and sinks are the table's connector sink or, for a SELECT,
 * a collect sink returned to the caller.
 *
 * Invariants: translation is a pure function of the plan and the configuration (every worker builds
 * the same graph in the same order, so operators line up by position); each operator is named with
 * its EXPLAIN line, so logs and failures name the plan node.
 * @module
 */

import {
  type Collector,
  EventTimeExtension,
  type ExecutionEnvironment,
  type GlobalStream,
  type KeyedPartitionStream,
  type KeyValue,
  type NonKeyedPartitionStream,
  type OneInputStreamProcessFunction,
  type Sink,
  Sinks,
  type TwoInputNonBroadcastStreamProcessFunction,
} from "@weir/api";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { type RowData, RowKind } from "../data/row.ts";
import { CalcFunction } from "../exec/calc-function.ts";
import { ChangelogNormalizeFunction } from "../exec/changelog-normalize-function.ts";
import { DeduplicateFunction } from "../exec/deduplicate-function.ts";
import { GlobalGroupAggregateFunction } from "../exec/global-group-aggregate-function.ts";
import { GroupAggregateFunction } from "../exec/group-aggregate-function.ts";
import { IntervalJoinFunction } from "../exec/interval-join/interval-join-function.ts";
import { JoinFunction } from "../exec/join-function.ts";
import { keySelectorFor } from "../exec/key-selector.ts";
import { LocalGroupAggregateFunction, partialKeyIndices } from "../exec/local-group-aggregate-function.ts";
import { MatchRecognizeFunction } from "../exec/match/match-recognize-function.ts";
import type { AggregateCallSpec, GroupAggregateSpec, JoinPredicate } from "../exec/operator-specs.ts";
import { OverAggregateFunction } from "../exec/over/over-aggregate-function.ts";
import { isUnboundedFrame } from "../exec/over/over-specs.ts";
import { RankFunction } from "../exec/rank-function.ts";
import { SetOperationFunction } from "../exec/set-operation-function.ts";
import { SortLimitFunction } from "../exec/sort-limit-function.ts";
import { TemporalJoinFunction } from "../exec/temporal/temporal-join-function.ts";
import { AttachedWindowAggregateFunction } from "../exec/window/attached-window-aggregate-function.ts";
import { GlobalAttachedWindowAggregateFunction } from "../exec/window/global-attached-window-aggregate-function.ts";
import { GlobalWindowAggregateFunction } from "../exec/window/global-window-aggregate-function.ts";
import { LocalWindowAggregateFunction } from "../exec/window/local-window-aggregate-function.ts";
import { SessionWindowAggregateFunction } from "../exec/window/session-window-aggregate-function.ts";
import { WindowAggregateFunction } from "../exec/window/window-aggregate-function.ts";
import { WindowTableFunction } from "../exec/window/window-table-function.ts";
import { WindowJoinFunction } from "../exec/window-join/window-join-function.ts";
import { WindowRankFunction } from "../exec/window-rank/window-rank-function.ts";
import {
  compileJoinPredicate,
  compilePredicate,
  compileProjection,
} from "../expressions/compile-expression.ts";
import type { FunctionContext } from "../functions/function-definition.ts";
import { isInsertOnly, toChangelogMode } from "../plan/changelog-traits.ts";
import type { AggregateCall } from "../plan/logical-aggregate.ts";
import type { PhysicalNode, PhysicalSink } from "../plan/physical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import type { PlannerOptions } from "../planner/planner-options.ts";
import { connectorOf, describeSource, physicalRowType } from "../planner/source-description.ts";
import { windowEmitSpec } from "../planner/window-emit-options.ts";
import { correlateFunctionOf } from "./translate-correlate.ts";
import { translateLookupJoin } from "./translate-lookup-join.ts";
import { matchSpecOf } from "./translate-match.ts";
import { translateMultiJoin } from "./translate-multi-join.ts";
import { watermarkDelay } from "./watermark-delay.ts";
import { withEmission } from "./watermark-emission.ts";

export interface TranslationContext {
  readonly env: ExecutionEnvironment;
  readonly config: ReadonlyMap<string, string>;
  readonly functionContext: FunctionContext;
  readonly options: PlannerOptions;
}

type RowStream = NonKeyedPartitionStream<RowData> | GlobalStream<RowData>;
type KeyedRows = KeyedPartitionStream<KeyValue, RowData>;

/** Builds the sink's job part; returns the collect sink for a SELECT, else null. */
export function translateSink(sink: PhysicalSink, ctx: TranslationContext): Sink<RowData, unknown> | null {
  const stream = translate(sink.input, ctx);
  if (sink.table === null) {
    const collect = Sinks.collect<RowData>("sql-result");
    stream.toSink(collect).withName("Sink(collect)");
    return collect;
  }
  const traits = sink.input.traits!;
  const tableSink = connectorOf(sink.table).createSink!({
    table: sink.table,
    physicalType: physicalRowType(sink.table),
    inputMode: toChangelogMode(traits.kinds, traits.upsertKey),
    config: ctx.config,
  });
  tableSink.consume(stream.kind === "global" ? stream.shuffle() : stream);
  return null;
}

function modeOf(node: PhysicalNode) {
  return toChangelogMode(node.traits!.kinds, node.traits!.upsertKey);
}

function named<S extends { withName(name: string): S }>(stream: S, node: PhysicalNode): S {
  return stream.withName(describePhysicalNode(node));
}

function processOne(
  input: RowStream,
  fn: OneInputStreamProcessFunction<RowData, RowData, never>,
  node: PhysicalNode,
): RowStream {
  if (input.kind === "global") return named(input.process(fn), node);
  return named(input.process(fn), node);
}

/**
 * A changelog source at its own parallelism, redistributed by hash to the job's parallelism: every
 * change of one primary key (of one whole row, without a key) travels one channel, in order.
 */
function changesKeptInOrder(stream: RowStream, table: ResolvedTable): RowStream {
  const physical = physicalRowType(table).fields;
  const byName = new Map(physical.map((f, i) => [f.name, i]));
  const keys =
    table.primaryKey !== null && table.primaryKey.length > 0
      ? table.primaryKey.map((name) => byName.get(name)!)
      : physical.map((_, i) => i);
  return stream
    .keyBy(
      keySelectorFor(
        keys,
        keys.map((k) => physical[k]!.type),
      ),
    )
    .process(forward())
    .withName(
      `ChangelogExchange(${table.name}, ${table.primaryKey !== null ? "primary key" : "all columns"})`,
    );
}

/** The input of a keyed operator: its Exchange turned into `keyBy` on `keys`. */
function keyedInput(node: PhysicalNode, keys: readonly number[], ctx: TranslationContext): KeyedRows {
  const source = node.kind === "Exchange" ? node.input : node;
  const stream = translate(source, ctx);
  const types = keys.map((k) => source.fields[k]!.type);
  return stream.keyBy(keySelectorFor(keys, types));
}

/** The operator-side specs of aggregate calls; `insertOnly` lets MIN/MAX & co. skip retraction bookkeeping. */
function aggregateCallSpecs(calls: readonly AggregateCall[], insertOnly: boolean): AggregateCallSpec[] {
  return calls.map(
    (c): AggregateCallSpec => ({
      display: `${c.name}(${c.distinct ? "DISTINCT " : ""}${c.args.map((a) => `$${a}`).join(", ")})`,
      implementation: c.definition.create(
        c.argTypes,
        c.type,
        insertOnly ? { retraction: false } : undefined,
      ) as AggregateCallSpec["implementation"],
      args: c.args,
      distinct: c.distinct,
      filterArg: c.filterArg,
      resultType: c.type,
    }),
  );
}

/** The compiled non-equi part of a join condition, or null when the keys say it all. */
function joinPredicate(
  condition: RexNode | null,
  leftArity: number,
  fctx: FunctionContext,
): JoinPredicate | null {
  return condition === null ? null : compileJoinPredicate(condition, leftArity, fctx);
}

function translate(node: PhysicalNode, ctx: TranslationContext): RowStream {
  const fctx = ctx.functionContext;
  switch (node.kind) {
    case "TableSourceScan": {
      const source = describeSource(node.table, ctx.config, ctx.env, node.projectedFields);
      const stream = named(source.createStream(), node);
      return source.parallelism === undefined || source.changelogMode.kind === "insert-only"
        ? stream
        : changesKeptInOrder(stream, node.table);
    }
    case "Values": {
      const rows: RowData[] = node.rows.map((r) => ({ kind: RowKind.INSERT, fields: r.map((l) => l.value) }));
      return ctx.env.fromCollection(rows, { name: describePhysicalNode(node) }).withParallelism(1);
    }
    case "WatermarkAssigner": {
      const input = translate(node.input, ctx);
      const rowtime = node.rowtimeIndex;
      const delay = watermarkDelay(node.watermark, rowtime);
      const builder = withEmission(
        EventTimeExtension.newWatermarkGeneratorBuilder<RowData>((row) => row.fields[rowtime] as number),
        node.emission,
        ctx.options.watermarkIntervalMs,
      ).withMaxOutOfOrderTime(Math.max(0, delay - 1));
      return processOne(input, builder.buildAsProcessFunction(), node);
    }
    case "Calc": {
      const spec = {
        condition: node.condition === null ? null : compilePredicate(node.condition, fctx),
        projection: node.projection === null ? null : compileProjection(node.projection, fctx),
      };
      return processOne(translate(node.input, ctx), new CalcFunction(spec), node);
    }
    case "Expand": {
      const projections = node.projections.map((row) => compileProjection(row, fctx));
      const expand = (row: RowData): RowData[] =>
        projections.map((p) => ({ kind: row.kind, fields: p(row.fields) }));
      const input = translate(node.input, ctx);
      return named(input.kind === "global" ? input.flatMap(expand) : input.flatMap(expand), node);
    }
    case "Exchange": {
      const input = translate(node.input, ctx);
      if (node.distribution.kind === "single") return input.global();
      const keys = node.distribution.keys;
      // A hash exchange with no keyed consumer (e.g. before a sink): redistribute and forget the key.
      return input
        .keyBy(
          keySelectorFor(
            keys,
            keys.map((k) => node.input.fields[k]!.type),
          ),
        )
        .process(forward());
    }
    case "ChangelogNormalize": {
      const input = keyedInput(node.input, node.key, ctx);
      const fn = new ChangelogNormalizeFunction({
        key: node.key,
        generateUpdateBefore: node.traits!.kinds.updateBefore,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(input.process(fn), node);
    }
    case "GroupAggregate": {
      const spec: GroupAggregateSpec = {
        groupKey: node.groupKey,
        calls: aggregateCallSpecs(node.calls, false),
        inputMode: node.phase === "global" ? modeOf(aggregateInput(node)) : modeOf(node.input),
        generateUpdateBefore: node.traits!.kinds.updateBefore,
        miniBatch: ctx.options.miniBatch,
        twoPhase: node.phase !== "single",
        stateTtlMs: ctx.options.stateTtlMs,
      };
      if (node.phase === "local") {
        return processOne(translate(node.input, ctx), new LocalGroupAggregateFunction(spec), node);
      }
      if (node.phase === "global") {
        const input = keyedInput(node.input, partialKeyIndices(spec), ctx);
        return named(input.process(new GlobalGroupAggregateFunction(spec)), node);
      }
      const input = keyedInput(node.input, node.groupKey, ctx);
      return named(input.process(new GroupAggregateFunction(spec)), node);
    }
    case "Join": {
      const left = keyedInput(node.left, node.leftKey, ctx);
      const right = keyedInput(node.right, node.rightKey, ctx);
      const leftArity = node.left.fields.length;
      const fn = new JoinFunction({
        joinType: node.joinType,
        leftKey: node.leftKey,
        rightKey: node.rightKey,
        nullSafe: node.nullSafe,
        nonEquiCondition: joinPredicate(node.nonEquiCondition, leftArity, fctx),
        leftArity,
        rightArity: node.right.fields.length,
        leftMode: modeOf(node.left),
        rightMode: modeOf(node.right),
        miniBatch: ctx.options.miniBatch,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(left.connectAndProcess(right, fn), node);
    }
    case "Rank": {
      const input = keyedInput(node.input, node.partitionKey, ctx);
      const fn = new RankFunction({
        partitionKey: node.partitionKey,
        orderBy: node.orderBy,
        rankType: node.rankType,
        rankStart: node.rankStart,
        rankEnd: node.rankEnd,
        outputRankNumber: node.outputRankNumber,
        inputMode: modeOf(node.input),
        generateUpdateBefore: node.traits!.kinds.updateBefore,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(input.process(fn), node);
    }
    case "WindowRank": {
      if (node.input.traits !== null && !isInsertOnly(node.input.traits.kinds)) {
        throw new Error(
          `${describePhysicalNode(node)} takes only insert-only input, but its input produces updates`,
        );
      }
      const input = keyedInput(node.input, node.partitionKey, ctx);
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
    case "WindowJoin": {
      for (const side of [node.left, node.right]) {
        if (side.traits !== null && !isInsertOnly(side.traits.kinds)) {
          throw new Error(
            `${describePhysicalNode(node)} takes only insert-only inputs, but an input produces updates`,
          );
        }
      }
      const left = keyedInput(node.left, node.leftKey, ctx);
      const right = keyedInput(node.right, node.rightKey, ctx);
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
    case "LookupJoin":
      return translateLookupJoin(node, translate(node.input, ctx), ctx.config, ctx.functionContext);
    case "TemporalJoin": {
      const left = keyedInput(node.left, node.leftKey, ctx);
      const right = keyedInput(node.right, node.rightKey, ctx);
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
    case "IntervalJoin": {
      const left = keyedInput(node.left, node.leftKey, ctx);
      const right = keyedInput(node.right, node.rightKey, ctx);
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
        nonEquiCondition: joinPredicate(node.nonEquiCondition, leftArity, fctx),
        leftArity,
        rightArity: node.right.fields.length,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(left.connectAndProcess(right, EventTimeExtension.wrapProcessFunction(fn)), node);
    }
    case "Match": {
      const input = keyedInput(node.input, node.match.partitionKey, ctx);
      const fn = new MatchRecognizeFunction(matchSpecOf(node, fctx, ctx.options.stateTtlMs));
      return named(input.process(EventTimeExtension.wrapProcessFunction(fn)), node);
    }
    case "OverAggregate": {
      const input = keyedInput(node.input, node.partitionKey, ctx);
      const fn = new OverAggregateFunction({
        partitionKey: node.partitionKey,
        timeIndex: node.timeIndex,
        timeKind: node.timeKind,
        frame: node.frame,
        // Bounded frames take rows back as they leave the frame.
        calls: aggregateCallSpecs(node.calls, isUnboundedFrame(node.frame)),
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(input.process(EventTimeExtension.wrapProcessFunction(fn)), node);
    }
    case "Correlate":
      return processOne(translate(node.input, ctx), correlateFunctionOf(node, fctx), node);
    case "WindowTableFunction": {
      const fn = new WindowTableFunction({
        strategy: node.strategy,
        timeIndex: node.timeIndex,
        timeKind: node.timeKind,
      });
      return processOne(translate(node.input, ctx), fn, node);
    }
    case "WindowAggregate": {
      if (node.phase === "local") {
        const local = new LocalWindowAggregateFunction({
          strategy: node.strategy,
          timeIndex: node.windowEndIndex,
          windowEndIndex: node.windowEndIndex,
          groupKey: node.groupKey,
          calls: aggregateCallSpecs(node.calls, true),
        });
        return processOne(translate(node.input, ctx), local, node);
      }
      const input = keyedInput(node.input, node.groupKey, ctx);
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
    case "AssigningWindowAggregate": {
      if (node.phase === "local") {
        const calls = aggregateCallSpecs(node.calls, true);
        const local = new LocalWindowAggregateFunction({
          strategy: node.strategy,
          timeIndex: node.timeIndex,
          groupKey: node.groupKey,
          calls,
        });
        return processOne(translate(node.input, ctx), local, node);
      }
      const input = keyedInput(node.input, node.groupKey, ctx);
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
    case "Deduplicate": {
      const input = keyedInput(node.input, node.key, ctx);
      const fn = new DeduplicateFunction({
        key: node.key,
        keepLastRow: node.keepLastRow,
        rowtimeIndex: node.rowtime ? node.orderIndex : null,
        generateUpdateBefore: node.traits!.kinds.updateBefore,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(input.process(fn), node);
    }
    case "Union": {
      let result: RowStream | null = null;
      for (const input of node.inputs) {
        const stream = translate(input, ctx);
        const next: NonKeyedPartitionStream<RowData> = stream.kind === "global" ? stream.shuffle() : stream;
        result =
          result === null
            ? next
            : named((result as NonKeyedPartitionStream<RowData>).connectAndProcess(next, union()), node);
      }
      return result!;
    }
    case "SetOperation": {
      const keys = node.fields.map((_, i) => i);
      const left = keyedInput(node.left, keys, ctx);
      const right = keyedInput(node.right, keys, ctx);
      const fn = new SetOperationFunction({
        operation: node.operation,
        all: node.all,
        arity: node.fields.length,
        stateTtlMs: ctx.options.stateTtlMs,
      });
      return named(left.connectAndProcess(right, fn), node);
    }
    case "MultiJoin":
      return translateMultiJoin(node, (input) => translate(input, ctx), fctx, ctx.options.stateTtlMs);
    case "SortLimit": {
      const source = node.input.kind === "Exchange" ? node.input.input : node.input;
      const input = translate(source, ctx);
      const global = input.kind === "global" ? input : input.global();
      const fn = new SortLimitFunction({
        orderBy: node.orderBy,
        offset: node.offset,
        fetch: node.fetch,
        inputMode: modeOf(source),
      });
      return named(global.process(fn), node);
    }
    case "Sink":
      throw new Error("a Sink node can only be the root of a plan");
  }
}

/** The input of a two-phase aggregate's local half (for the input mode of the global half). */
function aggregateInput(node: PhysicalNode): PhysicalNode {
  let current = node;
  while (current.kind !== "GroupAggregate" || current.phase !== "local") {
    if (current.kind === "TableSourceScan" || current.kind === "Values") return current;
    current = (current as { input: PhysicalNode }).input;
  }
  return current.input;
}

function forward(): OneInputStreamProcessFunction<RowData, RowData, KeyValue> {
  return {
    processRecord(record: RowData, output: Collector<RowData>) {
      output.collect(record);
    },
  };
}

function union(): TwoInputNonBroadcastStreamProcessFunction<RowData, RowData, RowData, never> {
  return {
    processRecordFromFirstInput(record: RowData, output: Collector<RowData>) {
      output.collect(record);
    },
    processRecordFromSecondInput(record: RowData, output: Collector<RowData>) {
      output.collect(record);
    },
  };
}
