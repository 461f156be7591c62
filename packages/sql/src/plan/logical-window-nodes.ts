/**
 * Logical nodes of windowing: the window table-valued function (`TUMBLE`, `HOP`, `CUMULATE`,
 * `SESSION`) and the window aggregation it becomes under `GROUP BY window_start, window_end, …`.
 *
 * A window TVF's row is its input row followed by `window_start`, `window_end` (TIMESTAMP(3) NOT
 * NULL) and `window_time` (the rowtime of the window's result, `window_end - 1 ms`), as Flink
 * defines them. A window aggregate's row is its group key fields, its calls, then `window_start`,
 * `window_end` and `window_time` — the order the window aggregation operator emits.
 * @module
 */

import type { WindowingStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { AggregateCall } from "./logical-aggregate.ts";
import type { LogicalNode, LogicalNodeBase } from "./logical-node.ts";

export interface LogicalWindowTableFunction extends LogicalNodeBase {
  readonly kind: "window-table-function";
  readonly input: LogicalNode;
  readonly strategy: WindowingStrategy;
  /** The DESCRIPTOR column, an index into the input row. */
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  /** SESSION's `PARTITION BY` columns (input indices); empty for the aligned windows. */
  readonly partitionKeys: readonly number[];
  /** Rewritten from a legacy group window (`GROUP BY TUMBLE(ts, …)`): honours the emit options. */
  readonly legacyGroupWindow?: boolean;
}

export interface LogicalWindowAggregate extends LogicalNodeBase {
  readonly kind: "window-aggregate";
  /** The window TVF's input (the TVF itself is folded into this node). */
  readonly input: LogicalNode;
  readonly strategy: WindowingStrategy;
  readonly timeIndex: number;
  readonly timeKind: WindowTimeKind;
  /** Grouping fields of the input besides the window (for SESSION: its partition keys first). */
  readonly groupKey: readonly number[];
  readonly calls: readonly AggregateCall[];
}
