/**
 * The physical plan: the operators a query runs as (Flink's StreamPhysicalRel names, which
 * EXPLAIN prints under "== Optimized Physical Plan =="), each annotated by changelog inference
 * with the kinds it emits.
 *
 * Invariants: exchanges are explicit nodes, so every keyed operator's input is an Exchange hashing
 * on exactly the operator's key (or a single-partition exchange for a global operator); field
 * indices refer to the node's input rows as in the logical plan; `traits` is null only between
 * physical conversion and changelog inference.
 *
 * Example, `SELECT a, COUNT(*) FROM t GROUP BY a` collected:
 * ```text
 * Sink(table=[*collect*], fields=[a, EXPR$1], changelogMode=[I,UB,UA])
 * +- GroupAggregate(groupBy=[a], select=[a, COUNT(*) AS EXPR$1], changelogMode=[I,UB,UA])
 *    +- Exchange(distribution=[hash[a]], changelogMode=[I])
 *       +- TableSourceScan(table=[[default_catalog, default_database, t]], fields=[a, b], changelogMode=[I])
 * ```
 * @module
 */

import type { ResolvedTable } from "../catalog/catalog-table.ts";
import type { ChangelogMode } from "../data/row.ts";
import type { SortField } from "../exec/operator-specs.ts";
import type { WindowEmitConfig, WindowingStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { RowField } from "../types/logical-type.ts";
import type { ModifyKinds } from "./changelog-traits.ts";
import type { PhysicalCorrelate } from "./correlate-nodes.ts";
import type { AggregateCall } from "./logical-aggregate.ts";
import type { LogicalJoinType } from "./logical-join.ts";
import type { RankType } from "./logical-order-nodes.ts";
import type { ScanMetadata } from "./logical-source-nodes.ts";
import type { PhysicalMatch } from "./match-nodes.ts";
import type { PhysicalIntervalJoin } from "./physical-interval-join.ts";
import type { PhysicalLookupJoin } from "./physical-lookup-join.ts";
import type { PhysicalMultiJoin } from "./physical-multi-join.ts";
import type { PhysicalOverAggregate } from "./physical-over-aggregate.ts";
import type { PhysicalTemporalJoin } from "./physical-temporal-join.ts";
import type { PhysicalWindowJoin } from "./physical-window-join.ts";
import type { PhysicalWindowRank } from "./physical-window-rank.ts";
import type { RexLiteral, RexNode } from "./rex.ts";
import type { WatermarkEmission } from "./watermark-emission.ts";

export interface PhysicalTraits {
  readonly kinds: ModifyKinds;
  /** The fields updates are keyed by (null when unknown or insert-only). */
  readonly upsertKey: readonly number[] | null;
}

interface PhysicalBase {
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
}

export interface PhysicalTableSourceScan extends PhysicalBase {
  readonly kind: "TableSourceScan";
  readonly table: ResolvedTable;
  readonly path: readonly string[];
  readonly metadata: readonly ScanMetadata[];
  readonly projectedFields: readonly number[] | null;
  /** What the connector declared when planned. */
  readonly sourceMode: ChangelogMode;
  readonly bounded: boolean;
}

export interface PhysicalValues extends PhysicalBase {
  readonly kind: "Values";
  readonly rows: readonly (readonly RexLiteral[])[];
}

export interface PhysicalWatermarkAssigner extends PhysicalBase {
  readonly kind: "WatermarkAssigner";
  readonly input: PhysicalNode;
  readonly rowtimeIndex: number;
  readonly watermark: RexNode;
  /** `scan.watermark.*` options; absent: periodic, never idle, unaligned. */
  readonly emission?: WatermarkEmission;
}

/** Filter then projection; null parts are identity. */
export interface PhysicalCalc extends PhysicalBase {
  readonly kind: "Calc";
  readonly input: PhysicalNode;
  readonly projection: readonly RexNode[] | null;
  readonly condition: RexNode | null;
}

/** One output row per projection for every input row (grouping sets). */
export interface PhysicalExpand extends PhysicalBase {
  readonly kind: "Expand";
  readonly input: PhysicalNode;
  readonly projections: readonly (readonly RexNode[])[];
}

export type Distribution =
  | { readonly kind: "hash"; readonly keys: readonly number[] }
  | { readonly kind: "single" };

export interface PhysicalExchange extends PhysicalBase {
  readonly kind: "Exchange";
  readonly input: PhysicalNode;
  readonly distribution: Distribution;
}

/** `phase`: a single keyed aggregation, or the local / global halves of TWO_PHASE. */
export interface PhysicalGroupAggregate extends PhysicalBase {
  readonly kind: "GroupAggregate";
  readonly input: PhysicalNode;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCall[];
  readonly phase: "single" | "local" | "global";
  /** Names of the aggregate's input fields, for EXPLAIN of the global phase. */
  readonly inputNames: readonly string[];
}

export interface PhysicalJoin extends PhysicalBase {
  readonly kind: "Join";
  readonly joinType: LogicalJoinType;
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  readonly nullSafe: readonly boolean[];
  /** Over left fields then right fields; null when the keys say it all. */
  readonly nonEquiCondition: RexNode | null;
  /** The whole condition, for EXPLAIN. */
  readonly condition: RexNode;
}

export interface PhysicalRank extends PhysicalBase {
  readonly kind: "Rank";
  readonly input: PhysicalNode;
  readonly rankType: RankType;
  readonly partitionKey: readonly number[];
  readonly orderBy: readonly SortField[];
  readonly rankStart: number;
  readonly rankEnd: number;
  readonly outputRankNumber: boolean;
}

export interface PhysicalDeduplicate extends PhysicalBase {
  readonly kind: "Deduplicate";
  readonly input: PhysicalNode;
  readonly key: readonly number[];
  readonly keepLastRow: boolean;
  readonly orderIndex: number;
  readonly rowtime: boolean;
}

export interface PhysicalUnion extends PhysicalBase {
  readonly kind: "Union";
  readonly inputs: readonly PhysicalNode[];
}

export interface PhysicalSetOperation extends PhysicalBase {
  readonly kind: "SetOperation";
  readonly operation: "INTERSECT" | "EXCEPT";
  readonly all: boolean;
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
}

/** ORDER BY / LIMIT on bounded input, on a single partition; emits at end of input. */
export interface PhysicalSortLimit extends PhysicalBase {
  readonly kind: "SortLimit";
  readonly input: PhysicalNode;
  readonly orderBy: readonly SortField[];
  readonly offset: number;
  readonly fetch: number | null;
}

export interface PhysicalChangelogNormalize extends PhysicalBase {
  readonly kind: "ChangelogNormalize";
  readonly input: PhysicalNode;
  readonly key: readonly number[];
}

/** A window TVF: appends window_start, window_end and window_time, one row per window. */
export interface PhysicalWindowTableFunction extends PhysicalBase {
  readonly kind: "WindowTableFunction";
  readonly input: PhysicalNode;
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  /** Rewritten from a legacy group window: honours the `table.exec.emit.*` options. */
  readonly legacyGroupWindow?: boolean;
}

/**
 * A window aggregation over rows that carry their window (Flink's WindowAggregate with an attached
 * windowing strategy): keyed by the group key, window columns included; emits each group once when
 * its window closes. Row: group key fields then calls, as the logical aggregate.
 */
export interface PhysicalWindowAggregate extends PhysicalBase {
  readonly kind: "WindowAggregate";
  readonly input: PhysicalNode;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCall[];
  readonly windowStartIndex: number;
  readonly windowEndIndex: number;
  readonly strategy: WindowingStrategy;
  readonly timeKind: WindowTimeKind;
  readonly inputNames: readonly string[];
  /** Early / late firing (legacy group windows); absent: one insert per window. */
  readonly emit?: WindowEmitConfig;
  /**
   * Two-phase aggregation: "local" pre-aggregates per group (window included) before the shuffle
   * and emits partial rows (group key fields, `$rows`, accumulators, `$slice_end` = window_end);
   * "global" (group key `[0, k)` of the partials) merges them and fires each window. Absent: one phase.
   */
  readonly phase?: "local" | "global";
}

/**
 * A window aggregation that assigns windows itself, from the time column of the window TVF's
 * input: SESSION windows always (sessions cannot be attached to rows), TUMBLE / HOP / CUMULATE when
 * only plain projections lie between the TVF and the aggregation — then no row is copied per
 * window and each key keeps one accumulator set per open window. Row: group key fields, calls,
 * then window_start, window_end, window_time.
 */
export interface PhysicalAssigningWindowAggregate extends PhysicalBase {
  readonly kind: "AssigningWindowAggregate";
  readonly input: PhysicalNode;
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCall[];
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  /** Early / late firing (legacy group windows); absent: one insert per window. */
  readonly emit?: WindowEmitConfig;
  /**
   * Two-phase aggregation (`table.optimizer.agg-phase-strategy`): "local" pre-aggregates per
   * (key, slice) before the shuffle and emits partial rows; "global" (keyed by the partials' first
   * `groupKey.length` fields) merges them into windows. Absent: one phase.
   */
  readonly phase?: "local" | "global";
}

/** The end of a job: a catalog table's sink (INSERT) or the collect sink (SELECT). */
export interface PhysicalSink extends PhysicalBase {
  readonly kind: "Sink";
  readonly input: PhysicalNode;
  /** Null for the collect sink of a SELECT. */
  readonly table: ResolvedTable | null;
  readonly path: readonly string[] | null;
  /** The sink's required upsert key (its primary key's field indices), if any. */
  readonly upsertKey: readonly number[] | null;
}

export type PhysicalNode =
  | PhysicalTableSourceScan
  | PhysicalValues
  | PhysicalWatermarkAssigner
  | PhysicalCalc
  | PhysicalExpand
  | PhysicalExchange
  | PhysicalGroupAggregate
  | PhysicalJoin
  | PhysicalRank
  | PhysicalDeduplicate
  | PhysicalUnion
  | PhysicalSetOperation
  | PhysicalSortLimit
  | PhysicalChangelogNormalize
  | PhysicalWindowTableFunction
  | PhysicalWindowAggregate
  | PhysicalAssigningWindowAggregate
  | PhysicalLookupJoin
  | PhysicalTemporalJoin
  | PhysicalWindowRank
  | PhysicalWindowJoin
  | PhysicalOverAggregate
  | PhysicalMatch
  | PhysicalIntervalJoin
  | PhysicalMultiJoin
  | PhysicalCorrelate
  | PhysicalSink;

export function physicalInputs(node: PhysicalNode): readonly PhysicalNode[] {
  switch (node.kind) {
    case "TableSourceScan":
    case "Values":
      return [];
    case "Join":
    case "IntervalJoin":
    case "TemporalJoin":
    case "WindowJoin":
    case "SetOperation":
      return [node.left, node.right];
    case "Union":
    case "MultiJoin":
      return node.inputs;
    default:
      return [node.input];
  }
}

export function withPhysicalInputs(node: PhysicalNode, inputs: readonly PhysicalNode[]): PhysicalNode {
  switch (node.kind) {
    case "TableSourceScan":
    case "Values":
      return node;
    case "Join":
    case "IntervalJoin":
    case "TemporalJoin":
    case "WindowJoin":
    case "SetOperation":
      return { ...node, left: inputs[0]!, right: inputs[1]! };
    case "Union":
    case "MultiJoin":
      return { ...node, inputs };
    default:
      return { ...node, input: inputs[0]! };
  }
}
