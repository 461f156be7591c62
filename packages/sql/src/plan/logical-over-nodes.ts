/**
 * The logical OVER aggregation: aggregate calls evaluated, for each input row, over a frame of its
 * partition that ends at the row (`SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS 2 PRECEDING)`).
 *
 * Invariant: the row is the input row followed by one field per call (named `w0$o0`, `w0$o1`, …
 * as Calcite names them); every call shares the one window (partition, order, frame), as Flink's
 * streaming planner requires; call arguments are input field indices.
 * @module
 */

import type { OverFrame } from "../exec/over/over-specs.ts";
import type { WindowTimeKind } from "../exec/window/window-specs.ts";
import type { AggregateCall } from "./logical-aggregate.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";

export interface LogicalOverAggregate extends LogicalNodeBase {
  readonly kind: "over-aggregate";
  readonly input: LogicalNode;
  readonly partitionKey: readonly number[];
  /** The ORDER BY time attribute (ascending), an input index. */
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  readonly frame: OverFrame;
  readonly calls: readonly AggregateCall[];
}
