/**
 * Ordering nodes of the logical plan: ORDER BY / LIMIT, and the ranking family. The validator
 * turns `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY … ORDER BY …)` into a
 * {@link LogicalOverRank}; the Top-N rule turns an over-rank under a filter on the rank into a
 * {@link LogicalRank}, and the deduplication rule turns a Top-1 by a time attribute into a
 * {@link LogicalDeduplicate}. An over-rank left over when planning ends is an unsupported OVER
 * aggregation (the next issue).
 * @module
 */

import type { SortField } from "../exec/operator-specs.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";

export type RankType = "ROW_NUMBER" | "RANK" | "DENSE_RANK";

export interface LogicalSort extends LogicalNodeBase {
  readonly kind: "sort";
  readonly input: LogicalNode;
  readonly orderBy: readonly SortField[];
  readonly offset: number;
  /** Null: no limit. */
  readonly fetch: number | null;
}

/** Input fields plus the rank number (BIGINT NOT NULL) as the last field. */
export interface LogicalOverRank extends LogicalNodeBase {
  readonly kind: "over-rank";
  readonly input: LogicalNode;
  readonly rankType: RankType;
  readonly partitionKey: readonly number[];
  readonly orderBy: readonly SortField[];
}

/** Top-N: rows whose rank is within `[rankStart, rankEnd]`. */
export interface LogicalRank extends LogicalNodeBase {
  readonly kind: "rank";
  readonly input: LogicalNode;
  readonly rankType: RankType;
  readonly partitionKey: readonly number[];
  readonly orderBy: readonly SortField[];
  readonly rankStart: number;
  readonly rankEnd: number;
  /** True when the rank number is an output field (the last). */
  readonly outputRankNumber: boolean;
}

/** Top-1 per key ordered by a time attribute: first row (ASC) or last row (DESC). */
export interface LogicalDeduplicate extends LogicalNodeBase {
  readonly kind: "deduplicate";
  readonly input: LogicalNode;
  readonly key: readonly number[];
  readonly keepLastRow: boolean;
  /** Index of the ordering time attribute. */
  readonly orderIndex: number;
  /** True when ordered by a rowtime attribute (event time), false for proctime. */
  readonly rowtime: boolean;
}
