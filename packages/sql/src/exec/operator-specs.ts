/**
 * Specs of the SQL operators: the contract between the planner's translation (which builds a spec
 * per physical node, in every worker, from the same deterministic plan) and the operator
 * implementations in this directory (process functions of `@weir/api` over {@link RowData}).
 *
 * Functions inside a spec (`project`, `condition`, key extractors) are compiled expressions made by
 * `../expressions/`; they take rows in the representation of `../data/values.ts` and never throw
 * for NULL input. Field indices refer to the operator's input row (for joins: left or right row as
 * named). State produced by an operator is keyed by the stream's key, which the translation sets
 * with `keyBy` on the spec's key fields before calling `process`.
 * @module
 */

import type { ChangelogMode, Row } from "../data/row.ts";
import type { AggregateImplementation } from "../functions/function-definition.ts";
import type { LogicalType } from "../types/logical-type.ts";

/** A compiled projection: input row → output row (a new array). */
export type RowProjection = (row: Row) => Row;
/** A compiled predicate; NULL (unknown) counts as false, as in SQL's WHERE. */
export type RowPredicate = (row: Row) => boolean;
/** A compiled predicate over a joined pair (left fields then right fields). */
export type JoinPredicate = (left: Row, right: Row) => boolean;

/** Options every stateful SQL operator takes. */
export interface StatefulOptions {
  /** `table.exec.state.ttl` in milliseconds; 0 keeps state forever (Flink's default). */
  readonly stateTtlMs: number;
}

/** Calc: optional filter then projection, per row; row kinds pass through unchanged. */
export interface CalcSpec {
  readonly condition: RowPredicate | null;
  readonly projection: RowProjection | null;
}

/** One aggregate call of a group or window aggregation. */
export interface AggregateCallSpec {
  /** For EXPLAIN and error messages, e.g. `COUNT(DISTINCT $1)`. */
  readonly display: string;
  readonly implementation: AggregateImplementation<unknown>;
  /** Input field indices passed as operands. */
  readonly args: readonly number[];
  readonly distinct: boolean;
  /** Index of a BOOLEAN input field from `FILTER (WHERE …)`, or null. */
  readonly filterArg: number | null;
  readonly resultType: LogicalType;
}

/**
 * Group aggregation (`GROUP BY` with retraction). Output row: group key fields, then one field per
 * aggregate call. Emits +I for a new group, -U/+U when a result changes (only +U when
 * `generateUpdateBefore` is false, i.e. the consumer takes upserts), -D when the group's last row
 * is retracted; emits nothing when a result did not change.
 */
export interface GroupAggregateSpec extends StatefulOptions {
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCallSpec[];
  readonly inputMode: ChangelogMode;
  readonly generateUpdateBefore: boolean;
  /** `table.exec.mini-batch.*`: buffer input per key and fold it before touching state. */
  readonly miniBatch: { readonly enabled: boolean; readonly size: number; readonly latencyMs: number };
  /** `table.optimizer.agg-phase-strategy` = TWO_PHASE: a local pre-aggregation before the shuffle. */
  readonly twoPhase: boolean;
}

export type SortDirection = "ASC" | "DESC";
export interface SortField {
  readonly index: number;
  readonly direction: SortDirection;
  /** Flink: NULLS FIRST for ASC, NULLS LAST for DESC unless written. */
  readonly nullsFirst: boolean;
  readonly type: LogicalType;
}

/**
 * Top-N: `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY … ORDER BY …)` filtered to a
 * rank range. Output row: input fields, plus the rank number as BIGINT when `outputRankNumber`.
 */
export interface RankSpec extends StatefulOptions {
  readonly partitionKey: readonly number[];
  readonly orderBy: readonly SortField[];
  readonly rankType: "ROW_NUMBER" | "RANK" | "DENSE_RANK";
  /** Inclusive, 1-based. */
  readonly rankStart: number;
  readonly rankEnd: number;
  readonly outputRankNumber: boolean;
  readonly inputMode: ChangelogMode;
  readonly generateUpdateBefore: boolean;
}

/**
 * Deduplication: Top-1 by a time attribute. Keep-first emits only the first row per key
 * (insert-only); keep-last emits -U/+U (or upserts) as later rows replace it.
 */
export interface DeduplicateSpec extends StatefulOptions {
  readonly key: readonly number[];
  readonly keepLastRow: boolean;
  /** Index of the rowtime field when ordered by event time; null for processing time. */
  readonly rowtimeIndex: number | null;
  readonly generateUpdateBefore: boolean;
}

/**
 * Regular streaming join with retraction. Output row: left fields then right fields; the outer
 * side's missing row is all NULLs. Equality on `leftKey[i] = rightKey[i]` (the stream is keyed by
 * these), then `nonEquiCondition` on the pair.
 */
export interface JoinSpec extends StatefulOptions {
  readonly joinType: "INNER" | "LEFT" | "RIGHT" | "FULL" | "SEMI" | "ANTI";
  readonly leftKey: readonly number[];
  readonly rightKey: readonly number[];
  /** Null-safe equality per key position (`IS NOT DISTINCT FROM`); otherwise NULL keys never match. */
  readonly nullSafe: readonly boolean[];
  readonly nonEquiCondition: JoinPredicate | null;
  readonly leftArity: number;
  readonly rightArity: number;
  readonly leftMode: ChangelogMode;
  readonly rightMode: ChangelogMode;
  /** `table.exec.mini-batch.*` applied to joins (buffer and fold per key before probing). */
  readonly miniBatch: { readonly enabled: boolean; readonly size: number; readonly latencyMs: number };
}

/**
 * Set operations that are not plain UNION ALL, on the whole row: `UNION` (distinct), `INTERSECT
 * [ALL]`, `EXCEPT [ALL]`. Left input and right input keyed by the full row; output is the left row
 * with the multiplicity the operation defines, as a retracting changelog.
 */
export interface SetOperationSpec extends StatefulOptions {
  readonly operation: "UNION" | "INTERSECT" | "EXCEPT";
  readonly all: boolean;
  readonly arity: number;
}

/** ORDER BY … [OFFSET n] [FETCH / LIMIT m] on bounded input: a global, single-subtask sort. */
export interface SortLimitSpec {
  readonly orderBy: readonly SortField[];
  readonly offset: number;
  /** Null for no limit. */
  readonly fetch: number | null;
  readonly inputMode: ChangelogMode;
}

/**
 * Normalizes an upsert stream (e.g. from a primary-keyed source) into a retract stream by keeping
 * the last row per key (Flink's ChangelogNormalize).
 */
export interface ChangelogNormalizeSpec extends StatefulOptions {
  readonly key: readonly number[];
  readonly generateUpdateBefore: boolean;
}
