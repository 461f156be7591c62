/**
 * The physical window Top-N / window deduplication (Flink's WindowRank and WindowDeduplicate):
 * a rank whose partition key includes `window_start` and `window_end` of rows that carry their
 * window (a window TVF or a window aggregation below), so each partition ends with its window and
 * is emitted once, insert-only, when the window closes.
 *
 * Invariants: `input` is an Exchange hashing on `partitionKey`; `windowStartIndex` and
 * `windowEndIndex` are members of `partitionKey`; the row is the input row, plus the rank number
 * (BIGINT) when `outputRankNumber`. A deduplication is a ROW_NUMBER Top-1 ordered by a time
 * attribute (`deduplicate` says which row it keeps).
 *
 * Example, `… WHERE rn <= 3` over `ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY
 * price DESC)` of a 10 s TUMBLE; EXPLAIN prints
 * `WindowRank(window=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[window_start, window_end], orderBy=[price DESC], select=[…])`.
 * @module
 */

import type { SortField } from "../exec/operator-specs.ts";
import type { WindowingStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { RowField } from "../types/logical-type.ts";
import type { RankType } from "./logical-order-nodes.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";

export interface PhysicalWindowRank {
  readonly kind: "WindowRank";
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
  readonly input: PhysicalNode;
  readonly rankType: RankType;
  readonly partitionKey: readonly number[];
  readonly orderBy: readonly SortField[];
  readonly rankStart: number;
  readonly rankEnd: number;
  readonly outputRankNumber: boolean;
  readonly windowStartIndex: number;
  readonly windowEndIndex: number;
  readonly strategy: WindowingStrategy;
  readonly timeKind: WindowTimeKind;
  readonly deduplicate: { readonly keepLastRow: boolean } | null;
}
