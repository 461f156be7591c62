/**
 * Window Top-N and window deduplication (Flink's WindowRankOperator / WindowDeduplicateOperator):
 * over rows that carry their window (from a window TVF or a window aggregation), keyed by a
 * partition key that includes `window_start` and `window_end`, so each key is one partition of one
 * window. Rows are buffered until the window closes — the watermark passes `window_end - 1` (event
 * time) or the clock reaches `window_end` (processing time, or the end of a bounded input) — then
 * the rows ranked within `[rankStart, rankEnd]` are emitted once, as inserts, and the state is
 * dropped. Late rows (their window already closed) are dropped.
 *
 * Invariants: for ROW_NUMBER the buffer never holds more than `rankEnd` rows (a row that cannot
 * reach the range is not kept); ties keep arrival order, or the latest arrival first when
 * `preferLatest` (keep-last-row deduplication). Example, Top-2 by price DESC of one window:
 * ```text
 * +I[a, 5]  +I[b, 9]  +I[c, 7]     buffer [b 9, c 7]   (a can no longer be in the top 2)
 * watermark ≥ window_end - 1       -> +I[b, 9, 1], +I[c, 7, 2]
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type NonPartitionedContext,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SortField } from "../operator-specs.ts";
import { type RowComparator, rowComparator } from "../row-order.ts";

export interface WindowRankSpec {
  readonly orderBy: readonly SortField[];
  readonly rankType: "ROW_NUMBER" | "RANK" | "DENSE_RANK";
  /** Inclusive, 1-based. */
  readonly rankStart: number;
  readonly rankEnd: number;
  /** Appends the rank number (BIGINT) to each output row. */
  readonly outputRankNumber: boolean;
  readonly windowEndIndex: number;
  readonly timeKind: "rowtime" | "proctime";
  /** Ties go to the latest arrival (keep-last-row deduplication) instead of the first. */
  readonly preferLatest: boolean;
}

interface WindowPartition {
  readonly end: number;
  /** Sorted by the ranking order (ties as the spec says). */
  readonly rows: Row[];
}

export class WindowRankFunction implements OneInputEventTimeStreamProcessFunction<RowData, RowData> {
  readonly #spec: WindowRankSpec;
  readonly #compare: RowComparator;
  readonly #state: ValueStateDeclaration<WindowPartition>;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: WindowRankSpec) {
    if (spec.rankStart < 1 || spec.rankEnd < spec.rankStart) {
      throw new Error(`invalid rank range [${spec.rankStart}, ${spec.rankEnd}]`);
    }
    this.#spec = spec;
    this.#compare = rowComparator(spec.orderBy);
    this.#state = StateDeclarations.value<WindowPartition>("window-rank");
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("window Top-N takes only insert-only input, but received an update or delete");
    }
    const fields = record.fields;
    const end = fields[this.#spec.windowEndIndex];
    if (typeof end !== "number") return;
    const rowtime = this.#spec.timeKind === "rowtime";
    if (rowtime && end - 1 <= (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)) return; // late
    const state = ctx.stateManager.getState(this.#state);
    let partition = state.value();
    if (partition === undefined) {
      partition = { end, rows: [] };
      if (rowtime) this.#eventTime?.registerTimer(end - 1);
      else ctx.processingTimeManager.registerTimer(end);
    }
    this.#insert(partition.rows, fields);
    state.update(partition);
  }

  /** Inserts `row` in order; for ROW_NUMBER keeps at most `rankEnd` rows. */
  #insert(rows: Row[], row: Row): void {
    const limit = this.#spec.rankType === "ROW_NUMBER" ? this.#spec.rankEnd : Number.POSITIVE_INFINITY;
    // Binary search: first position whose row sorts after `row` (or at/after, when preferring latest).
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = this.#compare(rows[mid]!, row);
      if (order < 0 || (order === 0 && !this.#spec.preferLatest)) low = mid + 1;
      else high = mid;
    }
    if (low >= limit) return;
    rows.splice(low, 0, row);
    if (rows.length > limit) rows.length = limit;
  }

  onEventTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(output, ctx);
  }

  onProcessingTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(output, ctx);
  }

  /** Bounded input, processing time: windows still open close now (event time ends with its timers). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => this.#fire(output, partition));
  }

  #fire(output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const partition = state.value();
    if (partition === undefined) return;
    state.clear();
    const { rankType, rankStart, rankEnd, outputRankNumber } = this.#spec;
    const rows = partition.rows;
    let rank = 0;
    let dense = 0;
    for (let i = 0; i < rows.length; i++) {
      const tie = i > 0 && this.#compare(rows[i - 1]!, rows[i]!) === 0;
      if (!tie) {
        rank = i + 1;
        dense++;
      }
      const number = rankType === "ROW_NUMBER" ? i + 1 : rankType === "RANK" ? rank : dense;
      if (number > rankEnd) break;
      if (number < rankStart) continue;
      const row = rows[i]!;
      output.collect({ kind: RowKind.INSERT, fields: outputRankNumber ? [...row, BigInt(number)] : row });
    }
  }
}
