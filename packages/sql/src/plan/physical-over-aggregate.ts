/**
 * The physical OVER aggregation (Flink's OverAggregate): one output row per input row, the input
 * row followed by its aggregates over the frame ending at it.
 *
 * Invariants: `input` is an Exchange hashing on `partitionKey` (single partition when there is
 * none); the input is insert-only (checked after changelog inference, as Flink refuses updates);
 * the output is insert-only.
 *
 * Example, `SELECT k, v, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS 1 PRECEDING) FROM t`:
 * `OverAggregate(partitionBy=[k], orderBy=[ts ASC], window=[ROWS BETWEEN 1 PRECEDING AND CURRENT
 * ROW], select=[k, v, ts, SUM(v) AS w0$o0])`.
 * @module
 */

import type { OverFrame } from "../exec/over/over-specs.ts";
import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { RowField } from "../types/logical-type.ts";
import type { AggregateCall } from "./logical-aggregate.ts";
import type { PhysicalNode, PhysicalTraits } from "./physical-node.ts";

export interface PhysicalOverAggregate {
  readonly kind: "OverAggregate";
  readonly input: PhysicalNode;
  readonly partitionKey: readonly number[];
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly frame: OverFrame;
  readonly calls: readonly AggregateCall[];
  readonly fields: readonly RowField[];
  readonly traits: PhysicalTraits | null;
}
