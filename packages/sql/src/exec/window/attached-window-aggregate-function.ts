/**
 * Window aggregation over rows that carry their window (`window_start`, `window_end` appended by
 * a window TVF): keyed by the group key with the window columns, so each key is one window of one
 * group. The group's accumulators live until the window closes — the watermark passes
 * `window_end - 1` (event time) or the clock reaches `window_end` (processing time) — then the
 * result is emitted once, as an insert, and the state is dropped. Late rows are dropped.
 *
 * Worked sequence, `SELECT auction, window_start, window_end, COUNT(*) … GROUP BY auction,
 * window_start, window_end` over TUMBLE 10 s:
 * ```text
 * +I[7, …, 0 s, 10 s]   key (7, 0 s, 10 s): 1, timer at 9.999 s
 * +I[7, …, 0 s, 10 s]   2
 * watermark 9.999 s     -> +I[7, 0 s, 10 s, 2]
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
import { type GroupAccumulators, GroupAggregates } from "../group-accumulators.ts";
import type { AttachedWindowAggregateSpec } from "./window-specs.ts";

interface WindowGroup {
  readonly keys: Row;
  readonly end: number;
  readonly group: GroupAccumulators;
}

export class AttachedWindowAggregateFunction
  implements OneInputEventTimeStreamProcessFunction<RowData, RowData>
{
  readonly #spec: AttachedWindowAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #state: ValueStateDeclaration<WindowGroup>;
  readonly #keyPositions: readonly number[];
  #eventTime: EventTimeManager | undefined;

  constructor(spec: AttachedWindowAggregateSpec) {
    if (!spec.groupKey.includes(spec.windowEndIndex)) {
      throw new Error("a window aggregation must group by window_end (and window_start)");
    }
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, { retract: false, merge: false });
    this.#state = StateDeclarations.value<WindowGroup>("window-group");
    this.#keyPositions = spec.groupKey.map((_, i) => i);
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("window aggregation takes only insert-only input, but received an update or delete");
    }
    const fields = record.fields;
    const end = fields[this.#spec.windowEndIndex];
    if (typeof end !== "number") return;
    const rowtime = this.#spec.timeKind === "rowtime";
    if (rowtime && end - 1 <= (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)) return; // late
    const state = ctx.stateManager.getState(this.#state);
    let window = state.value();
    if (window === undefined) {
      window = {
        keys: this.#spec.groupKey.map((i) => fields[i] ?? null),
        end,
        group: this.#aggregates.create(),
      };
      if (rowtime) this.#eventTime?.registerTimer(end - 1);
      else ctx.processingTimeManager.registerTimer(end);
    }
    this.#aggregates.apply(window.group, fields, true);
    state.update(window);
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
    const window = state.value();
    if (window === undefined) return;
    state.clear();
    output.collect({
      kind: RowKind.INSERT,
      fields: this.#aggregates.resultRow(window.group, window.keys, this.#keyPositions),
    });
  }
}
