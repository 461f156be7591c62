/**
 * Logical plan → physical plan: picks Flink's stream operators, merges projections and filters
 * into Calc nodes, places exchanges (hash on the operator's key, or a single partition), splits
 * join conditions into equi-keys and a remaining predicate, and normalizes upsert sources.
 *
 * Invariants: every keyed operator reads from an Exchange on exactly its key; a Calc never sits on
 * a Calc; changelog traits are left null (see `changelog-inference.ts`). A ranking OVER that is no
 * Top-N, and sorts over unbounded input, fail with a clear error.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { LogicalNode } from "../plan/logical-node.ts";
import type { Distribution, PhysicalJoin, PhysicalNode } from "../plan/physical-node.ts";
import type { RexNode } from "../plan/rex.ts";
import { and, conjunctsOf } from "../plan/rex-factory.ts";
import { substituteInputs } from "../plan/rex-visit.ts";
import { watermarkDelay } from "../translate/watermark-delay.ts";
import { sameTypeIgnoringNullability } from "../types/type-coercion.ts";
import { intervalJoinOf } from "./interval-join-planning.ts";
import { temporalJoinToPhysical } from "./lookup-join-planning.ts";
import { physicalMatch } from "./match-recognize-planning.ts";
import { physicalOverAggregate } from "./over-aggregate-planning.ts";
import type { PlannerOptions } from "./planner-options.ts";
import { multiJoinOf } from "./rules/multi-join.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { attachedWindowAggregate } from "./window-aggregate-planning.ts";
import { windowJoinOf } from "./window-join-planning.ts";
import { windowRankOf } from "./window-rank-planning.ts";

export interface PhysicalContext {
  readonly options: PlannerOptions;
  /** Where planning errors point (the statement). */
  readonly span: Span;
}

export function toPhysical(node: LogicalNode, ctx: PhysicalContext): PhysicalNode {
  switch (node.kind) {
    case "scan": {
      const scan: PhysicalNode = {
        kind: "TableSourceScan",
        table: node.table,
        path: node.path,
        metadata: node.metadata,
        projectedFields: node.projectedFields,
        sourceMode: node.source.mode,
        bounded: node.source.bounded,
        fields: node.fields,
        traits: null,
      };
      if (node.source.mode.kind !== "upsert") return scan;
      const key = node.source.mode.upsertKey;
      return {
        kind: "ChangelogNormalize",
        input: exchange(scan, { kind: "hash", keys: key }),
        key,
        fields: node.fields,
        traits: null,
      };
    }
    case "values":
      return { kind: "Values", rows: node.rows, fields: node.fields, traits: null };
    case "watermark-assigner":
      try {
        watermarkDelay(node.watermark, node.rowtimeIndex);
      } catch (error) {
        throw new SqlValidationError(ctx.span, (error as Error).message);
      }
      return {
        kind: "WatermarkAssigner",
        input: toPhysical(node.input, ctx),
        rowtimeIndex: node.rowtimeIndex,
        watermark: node.watermark,
        ...(node.emission === undefined ? {} : { emission: node.emission }),
        fields: node.fields,
        traits: null,
      };
    case "project": {
      const input = toPhysical(node.input, ctx);
      if (isIdentity(node.exprs, input.fields.length)) return renamed(input, node.fields);
      if (input.kind === "Calc") {
        const projection =
          input.projection === null
            ? node.exprs
            : node.exprs.map((e) => substituteInputs(e, input.projection!));
        return { ...input, projection, fields: node.fields };
      }
      return {
        kind: "Calc",
        input,
        projection: node.exprs,
        condition: null,
        fields: node.fields,
        traits: null,
      };
    }
    case "filter": {
      const input = toPhysical(node.input, ctx);
      if (input.kind === "Calc") {
        const pushed =
          input.projection === null ? node.condition : substituteInputs(node.condition, input.projection);
        const condition = input.condition === null ? pushed : and([input.condition, pushed]);
        return { ...input, condition };
      }
      return {
        kind: "Calc",
        input,
        projection: null,
        condition: node.condition,
        fields: node.fields,
        traits: null,
      };
    }
    case "expand":
      return {
        kind: "Expand",
        input: toPhysical(node.input, ctx),
        projections: node.projections,
        fields: node.fields,
        traits: null,
      };
    case "correlate":
      return {
        kind: "Correlate",
        input: toPhysical(node.input, ctx),
        joinType: node.joinType,
        invocation: node.invocation,
        condition: node.condition,
        fields: node.fields,
        traits: null,
      };
    case "window-table-function":
      // A SESSION TVF only runs folded into its window aggregation (window-aggregate-planning.ts).
      return {
        kind: "WindowTableFunction",
        input: toPhysical(node.input, ctx),
        strategy: node.strategy,
        timeIndex: node.timeIndex,
        timeKind: node.timeKind,
        fields: node.fields,
        traits: null,
        ...(node.legacyGroupWindow === true ? { legacyGroupWindow: true } : {}),
      };
    case "aggregate": {
      const input = toPhysical(node.input, ctx);
      const windowed = attachedWindowAggregate(node, input, ctx.span, ctx.options);
      if (windowed !== null) return windowed;
      const twoPhase =
        node.calls.every((c) => !c.distinct) &&
        (ctx.options.aggPhaseStrategy === "TWO_PHASE" ||
          (ctx.options.aggPhaseStrategy === "AUTO" && ctx.options.miniBatch.enabled));
      const distribution = keyDistribution(node.groupKey);
      const inputNames = input.fields.map((f) => f.name);
      if (!twoPhase) {
        return {
          kind: "GroupAggregate",
          input: exchange(input, distribution),
          groupKey: node.groupKey,
          calls: node.calls,
          phase: "single",
          inputNames,
          fields: node.fields,
          traits: null,
        };
      }
      const local: PhysicalNode = {
        kind: "GroupAggregate",
        input,
        groupKey: node.groupKey,
        calls: node.calls,
        phase: "local",
        inputNames,
        fields: node.fields,
        traits: null,
      };
      return {
        kind: "GroupAggregate",
        input: exchange(local, keyDistribution(node.groupKey.map((_, i) => i))),
        groupKey: node.groupKey,
        calls: node.calls,
        phase: "global",
        inputNames,
        fields: node.fields,
        traits: null,
      };
    }
    case "join": {
      const left = toPhysical(node.left, ctx);
      const right = toPhysical(node.right, ctx);
      if (node.temporal !== undefined) return temporalJoinToPhysical(node, left, right, ctx.span);
      const windowJoin = windowJoinOf(node, left, right, ctx.span);
      if (windowJoin !== null) return windowJoin;
      const split = splitJoinCondition(node.condition, left.fields.length);
      const interval = intervalJoinOf(node, left, right, split);
      if (interval !== null) return interval;
      const join: PhysicalJoin = {
        kind: "Join",
        joinType: node.joinType,
        left: exchange(left, keyDistribution(split.leftKey)),
        right: exchange(right, keyDistribution(split.rightKey)),
        leftKey: split.leftKey,
        rightKey: split.rightKey,
        nullSafe: split.nullSafe,
        nonEquiCondition: split.rest,
        condition: node.condition,
        fields: node.fields,
        traits: null,
      };
      return ctx.options.multiJoinEnabled === true ? (multiJoinOf(join) ?? join) : join;
    }
    case "union":
      return {
        kind: "Union",
        inputs: node.inputs.map((i) => toPhysical(i, ctx)),
        fields: node.fields,
        traits: null,
      };
    case "set-operation": {
      const all = node.fields.map((_, i) => i);
      return {
        kind: "SetOperation",
        operation: node.operation,
        all: node.all,
        left: exchange(toPhysical(node.left, ctx), { kind: "hash", keys: all }),
        right: exchange(toPhysical(node.right, ctx), { kind: "hash", keys: all }),
        fields: node.fields,
        traits: null,
      };
    }
    case "sort": {
      const input = toPhysical(node.input, ctx);
      if (!isBounded(input)) {
        if (node.fetch === null)
          throw new SqlValidationError(ctx.span, "Sort on a non-time-attribute field is not supported.");
        // Streaming ORDER BY … LIMIT n (or LIMIT alone): a Top-N over the whole input, whose result
        // is updated as rows arrive (with no ORDER BY: the first n rows, by arrival).
        return {
          kind: "Rank",
          input: exchange(input, { kind: "single" }),
          rankType: "ROW_NUMBER",
          partitionKey: [],
          orderBy: node.orderBy,
          rankStart: node.offset + 1,
          rankEnd: node.offset + Math.max(node.fetch, 0),
          outputRankNumber: false,
          fields: node.fields,
          traits: null,
        };
      }
      return {
        kind: "SortLimit",
        input: exchange(input, { kind: "single" }),
        orderBy: node.orderBy,
        offset: node.offset,
        fetch: node.fetch,
        fields: node.fields,
        traits: null,
      };
    }
    case "over-aggregate":
      return physicalOverAggregate(node, toPhysical(node.input, ctx));
    case "match":
      return physicalMatch(node, toPhysical(node.input, ctx));
    case "over-rank":
      throw new SqlValidationError(
        ctx.span,
        `OVER aggregations are not supported yet: ${node.rankType}() OVER (...) is only supported as Top-N (filtered by rank <= N) or deduplication (= 1)`,
      );
    case "rank": {
      const input = toPhysical(node.input, ctx);
      const windowed = windowRankOf(node, input, ctx.span);
      if (windowed !== null) return windowed;
      return {
        kind: "Rank",
        input: exchange(input, keyDistribution(node.partitionKey)),
        rankType: node.rankType,
        partitionKey: node.partitionKey,
        orderBy: node.orderBy,
        rankStart: node.rankStart,
        rankEnd: node.rankEnd,
        outputRankNumber: node.outputRankNumber,
        fields: node.fields,
        traits: null,
      };
    }
    case "deduplicate": {
      const input = toPhysical(node.input, ctx);
      const windowed = windowRankOf(node, input, ctx.span);
      if (windowed !== null) return windowed;
      return {
        kind: "Deduplicate",
        input: exchange(input, keyDistribution(node.key)),
        key: node.key,
        keepLastRow: node.keepLastRow,
        orderIndex: node.orderIndex,
        rowtime: node.rowtime,
        fields: node.fields,
        traits: null,
      };
    }
  }
}

function keyDistribution(keys: readonly number[]): Distribution {
  return keys.length === 0 ? { kind: "single" } : { kind: "hash", keys };
}

function exchange(input: PhysicalNode, distribution: Distribution): PhysicalNode {
  return { kind: "Exchange", input, distribution, fields: input.fields, traits: null };
}

function isIdentity(exprs: readonly RexNode[], width: number): boolean {
  return exprs.length === width && exprs.every((e, i) => e.kind === "input-ref" && e.index === i);
}

/** A node with new field names (an identity projection that only renames). */
function renamed(node: PhysicalNode, fields: PhysicalNode["fields"]): PhysicalNode {
  return { ...node, fields } as PhysicalNode;
}

export function isBounded(node: PhysicalNode): boolean {
  switch (node.kind) {
    case "TableSourceScan":
      return node.bounded;
    case "Values":
      return true;
    case "Join":
    case "TemporalJoin":
    case "WindowJoin":
    case "IntervalJoin":
    case "SetOperation":
      return isBounded(node.left) && isBounded(node.right);
    case "Union":
    case "MultiJoin":
      return node.inputs.every(isBounded);
    default:
      return isBounded(node.input);
  }
}

interface SplitCondition {
  readonly leftKey: number[];
  readonly rightKey: number[];
  readonly nullSafe: boolean[];
  readonly rest: RexNode | null;
}

/** Equalities `left field = right field` become keys; everything else stays a predicate. */
export function splitJoinCondition(condition: RexNode, leftWidth: number): SplitCondition {
  const leftKey: number[] = [];
  const rightKey: number[] = [];
  const nullSafe: boolean[] = [];
  const rest: RexNode[] = [];
  for (const conjunct of conjunctsOf(condition)) {
    const pair = equiPair(conjunct, leftWidth);
    if (pair === null) rest.push(conjunct);
    else {
      leftKey.push(pair.left);
      rightKey.push(pair.right);
      nullSafe.push(pair.nullSafe);
    }
  }
  return { leftKey, rightKey, nullSafe, rest: rest.length === 0 ? null : and(rest) };
}

function equiPair(
  rex: RexNode,
  leftWidth: number,
): { left: number; right: number; nullSafe: boolean } | null {
  if (rex.kind !== "call" || (rex.name !== "=" && rex.name !== "IS NOT DISTINCT FROM")) return null;
  const [a, b] = rex.operands;
  if (a?.kind !== "input-ref" || b?.kind !== "input-ref") return null;
  // Keys hash by their value in their type's representation: only identical types may meet.
  if (!sameTypeIgnoringNullability(a.type, b.type)) return null;
  const nullSafe = rex.name === "IS NOT DISTINCT FROM";
  if (a.index < leftWidth && b.index >= leftWidth)
    return { left: a.index, right: b.index - leftWidth, nullSafe };
  if (b.index < leftWidth && a.index >= leftWidth)
    return { left: b.index, right: a.index - leftWidth, nullSafe };
  return null;
}
