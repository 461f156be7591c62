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
 * With an emit strategy (legacy group windows' early / late firing, see `window-emit.ts`) the group
 * also fires before its window closes and, within the allowed lateness, after; its state then lives
 * until the watermark passes `window_end - 1 + allowLateness`.
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
import { newPane, type PaneEmitState, WindowEmitter } from "./window-emit.ts";
import type { AttachedWindowAggregateSpec } from "./window-specs.ts";

interface WindowGroup {
  readonly keys: Row;
  readonly end: number;
  readonly group: GroupAccumulators;
  readonly pane: PaneEmitState;
}

export class AttachedWindowAggregateFunction
  implements OneInputEventTimeStreamProcessFunction<RowData, RowData>
{
  readonly #spec: AttachedWindowAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #state: ValueStateDeclaration<WindowGroup>;
  readonly #keyPositions: readonly number[];
  readonly #emitter: WindowEmitter;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: AttachedWindowAggregateSpec) {
    if (!spec.groupKey.includes(spec.windowEndIndex)) {
      throw new Error("a window aggregation must group by window_end (and window_start)");
    }
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, { retract: false, merge: false });
    this.#state = StateDeclarations.value<WindowGroup>("window-group");
    this.#keyPositions = spec.groupKey.map((_, i) => i);
    this.#emitter = new WindowEmitter(spec.emit, spec.timeKind);
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("window aggregation takes only insert-only input, but received an update or delete");
    }
    const fields = record.fields;
    const end = fields[this.#spec.windowEndIndex];
    if (typeof end !== "number") return;
    const rowtime = this.#spec.timeKind === "rowtime";
    const watermark = this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY;
    const emitter = this.#emitter;
    if (rowtime && emitter.isLate(end, watermark)) return; // past its allowed lateness: dropped
    const state = ctx.stateManager.getState(this.#state);
    let window = state.value();
    if (window === undefined) {
      window = {
        keys: this.#spec.groupKey.map((i) => fields[i] ?? null),
        end,
        group: this.#aggregates.create(),
        pane: newPane(),
      };
      if (rowtime) {
        this.#eventTime?.registerTimer(end - 1);
        if (emitter.allowLatenessMs > 0) this.#eventTime?.registerTimer(end - 1 + emitter.allowLatenessMs);
      } else {
        ctx.processingTimeManager.registerTimer(end);
      }
    }
    this.#aggregates.apply(window.group, fields, true);
    // A group still open at a watermark past its end is only seen after a restore: it fires.
    if (emitter.onRow(window.pane, ctx) || (rowtime && !window.pane.closed && end - 1 <= watermark)) {
      emitter.fire(window.pane, this.#result(window), output);
    }
    state.update(window);
  }

  /** The timer at `end - 1` closes the window; the one at `end - 1 + allowLateness` frees it. */
  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const window = state.value();
    if (window === undefined) return;
    if (window.pane.closed) {
      if (timestamp >= window.end - 1 + this.#emitter.allowLatenessMs) state.clear();
      return;
    }
    this.#close(output, ctx);
  }

  /** A due early / late firing, or (processing time) the window's end. */
  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const window = state.value();
    if (window === undefined) return;
    if (this.#emitter.takeDue(window.pane, timestamp)) {
      this.#emitter.fire(window.pane, this.#result(window), output);
      state.update(window);
    }
    if (this.#spec.timeKind === "proctime" && timestamp >= window.end) this.#close(output, ctx);
  }

  /** Bounded input, processing time: windows still open close now (event time ends with its timers). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => this.#close(output, partition));
  }

  /** The window closes: the group fires, then is freed unless late rows may still come. */
  #close(output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const window = state.value();
    if (window === undefined || window.pane.closed) return;
    this.#emitter.fire(window.pane, this.#result(window), output);
    if (this.#emitter.allowLatenessMs > 0) {
      this.#emitter.close(window.pane);
      state.update(window);
    } else {
      state.clear();
    }
  }

  #result(window: WindowGroup): Row {
    return this.#aggregates.resultRow(window.group, window.keys, this.#keyPositions);
  }
}
