/**
 * Physical plan → DataStream graph: each physical node becomes the operator of `../exec/` its spec
 * describes, exchanges become `keyBy` (on `keySelectorFor` of the operator's key) or `global()`,
 * expressions are compiled once here, and sinks are the table's connector sink or, for a SELECT,
 * a collect sink returned to the caller. This file walks the plan; the two-input joins and the
 * window operators are built in `translate-two-input-joins.ts` and `translate-window-operators.ts`.
 *
 * Invariants: translation is a pure function of the plan and the configuration (every worker builds
 * the same graph in the same order, so operators line up by position); each operator is named with
 * its EXPLAIN line, so logs and failures name the plan node.
 * @module
 */

import {
  type Collector,
  EventTimeExtension,
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
import { keySelectorFor } from "../exec/key-selector.ts";
import { LocalGroupAggregateFunction, partialKeyIndices } from "../exec/local-group-aggregate-function.ts";
import { MatchRecognizeFunction } from "../exec/match/match-recognize-function.ts";
import type { GroupAggregateSpec } from "../exec/operator-specs.ts";
import { OverAggregateFunction } from "../exec/over/over-aggregate-function.ts";
import { isUnboundedFrame } from "../exec/over/over-specs.ts";
import { RankFunction } from "../exec/rank-function.ts";
import { SetOperationFunction } from "../exec/set-operation-function.ts";
import { SortLimitFunction } from "../exec/sort-limit-function.ts";
import { compilePredicate, compileProjection } from "../expressions/compile-expression.ts";
import { toChangelogMode } from "../plan/changelog-traits.ts";
import type { PhysicalNode, PhysicalSink } from "../plan/physical-node.ts";
import { describePhysicalNode } from "../planner/explain-plan.ts";
import { connectorOf, describeSource, physicalRowType } from "../planner/source-description.ts";
import { aggregateCallSpecs } from "./aggregate-call-specs.ts";
import { correlateFunctionOf } from "./translate-correlate.ts";
import { translateLookupJoin } from "./translate-lookup-join.ts";
import { matchSpecOf } from "./translate-match.ts";
import { translateMultiJoin } from "./translate-multi-join.ts";
import { translateTwoInputJoin } from "./translate-two-input-joins.ts";
import { translateWindowOperator } from "./translate-window-operators.ts";
import {
  type InputTranslator,
  type KeyedRows,
  modeOf,
  named,
  processOne,
  type RowStream,
  type TranslationContext,
} from "./translation-context.ts";
import { watermarkDelay } from "./watermark-delay.ts";
import { withEmission } from "./watermark-emission.ts";

export type { TranslationContext } from "./translation-context.ts";

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

/** The recursion the per-family translation steps use to build their inputs. */
function inputTranslator(ctx: TranslationContext): InputTranslator {
  return {
    translate: (node) => translate(node, ctx),
    keyed: (node, keys) => keyedInput(node, keys, ctx),
  };
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
    case "Join":
    case "WindowJoin":
    case "TemporalJoin":
    case "IntervalJoin":
      return translateTwoInputJoin(node, inputTranslator(ctx), ctx);
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
    case "WindowRank":
    case "WindowTableFunction":
    case "WindowAggregate":
    case "AssigningWindowAggregate":
      return translateWindowOperator(node, inputTranslator(ctx), ctx);
    case "LookupJoin":
      return translateLookupJoin(node, translate(node.input, ctx), ctx.config, ctx.functionContext);
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
