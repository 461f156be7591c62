/**
 * The window join (Flink's WindowJoinOperator): two inputs of rows that carry their windows, keyed
 * by the join keys — which include `window_start` and `window_end` — so each key holds the rows of
 * one window of one join key. Both sides are buffered until the window closes (the watermark, the
 * minimum of both inputs, passes `window_end - 1`; or the clock reaches `window_end` for processing
 * time, or a bounded input ends), then joined once and emitted as inserts; the state is dropped.
 * Late rows (their window already closed) are dropped.
 *
 * Join types: INNER emits matching pairs; LEFT / RIGHT / FULL also each unmatched row of the outer
 * side(s) padded with NULLs; SEMI / ANTI emit each left row with / without a match, once.
 * Example, INNER, window [0, 10), key k:
 * ```text
 * left +I[k, 1]  right +I[k, a]  right +I[k, b]   watermark 9 -> +I[k, 1, k, a], +I[k, 1, k, b]
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type NonPartitionedContext,
  type PartitionedContext,
  StateDeclarations,
  type TwoInputEventTimeStreamProcessFunction,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { JoinPredicate } from "../operator-specs.ts";

export interface WindowJoinSpec {
  readonly joinType: "INNER" | "LEFT" | "RIGHT" | "FULL" | "SEMI" | "ANTI";
  readonly leftWindowEndIndex: number;
  readonly rightWindowEndIndex: number;
  readonly leftArity: number;
  readonly rightArity: number;
  /** The condition beyond the keys, over (left row, right row); null when none. */
  readonly condition: JoinPredicate | null;
  readonly timeKind: "rowtime" | "proctime";
}

interface WindowRows {
  readonly end: number;
  readonly left: Row[];
  readonly right: Row[];
}

export class WindowJoinFunction implements TwoInputEventTimeStreamProcessFunction<RowData, RowData, RowData> {
  readonly #spec: WindowJoinSpec;
  readonly #state: ValueStateDeclaration<WindowRows>;
  readonly #leftNulls: Row;
  readonly #rightNulls: Row;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: WindowJoinSpec) {
    this.#spec = spec;
    this.#state = StateDeclarations.value<WindowRows>("window-join");
    this.#leftNulls = new Array(spec.leftArity).fill(null);
    this.#rightNulls = new Array(spec.rightArity).fill(null);
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecordFromFirstInput(
    record: RowData,
    _output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#add(record, true, ctx);
  }

  processRecordFromSecondInput(
    record: RowData,
    _output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#add(record, false, ctx);
  }

  #add(record: RowData, left: boolean, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("a window join takes only insert-only inputs, but received an update or delete");
    }
    const end = record.fields[left ? this.#spec.leftWindowEndIndex : this.#spec.rightWindowEndIndex];
    if (typeof end !== "number") return;
    const rowtime = this.#spec.timeKind === "rowtime";
    if (rowtime && end - 1 <= (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)) return; // late
    const state = ctx.stateManager.getState(this.#state);
    let window = state.value();
    if (window === undefined) {
      window = { end, left: [], right: [] };
      if (rowtime) this.#eventTime?.registerTimer(end - 1);
      else ctx.processingTimeManager.registerTimer(end);
    }
    (left ? window.left : window.right).push(record.fields);
    state.update(window);
  }

  onEventTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(output, ctx);
  }

  onProcessingTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(output, ctx);
  }

  /** Bounded inputs, processing time: windows still open close now (event time ends with its timers). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => this.#fire(output, partition));
  }

  #fire(output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const window = state.value();
    if (window === undefined) return;
    state.clear();
    const { joinType, condition } = this.#spec;
    const emit = (fields: Row): void => output.collect({ kind: RowKind.INSERT, fields });
    const rightMatched =
      joinType === "RIGHT" || joinType === "FULL"
        ? new Array<boolean>(window.right.length).fill(false)
        : null;
    for (const l of window.left) {
      let matched = false;
      for (let j = 0; j < window.right.length; j++) {
        const r = window.right[j]!;
        if (condition !== null && !condition(l, r)) continue;
        matched = true;
        if (rightMatched !== null) rightMatched[j] = true;
        if (joinType === "SEMI" || joinType === "ANTI") break;
        emit([...l, ...r]);
      }
      if (joinType === "SEMI" && matched) emit(l);
      else if (joinType === "ANTI" && !matched) emit(l);
      else if (!matched && (joinType === "LEFT" || joinType === "FULL")) emit([...l, ...this.#rightNulls]);
    }
    if (rightMatched !== null) {
      for (let j = 0; j < window.right.length; j++) {
        if (!rightMatched[j]) emit([...this.#leftNulls, ...window.right[j]!]);
      }
    }
  }
}
