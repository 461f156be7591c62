/**
 * Window aggregation over aligned windows (TUMBLE, HOP, CUMULATE): per group key, one set of
 * accumulators per open window, emitted once when the window closes and then dropped, so state
 * stays bounded on an unbounded input.
 *
 * Worked sequence, TUMBLE 10 s, `COUNT(*)` per k, watermark = largest time − 0:
 * ```text
 * +I[a, 00:00:01]   window [0 s, 10 s) of a: 1, timer at 9.999 s
 * +I[a, 00:00:04]   window [0 s, 10 s) of a: 2
 * watermark 10 s    timer fires -> +I[a, 2, 00:00:00, 00:00:10, 00:00:09.999], state of the window gone
 * +I[a, 00:00:03]   late (its only window closed): dropped
 * ```
 * With an emit strategy (legacy group windows' early / late firing, see `window-emit.ts`) windows
 * also fire before they close and, within the allowed lateness, after; a window's state then lives
 * until the watermark passes `end - 1 + allowLateness` (a second event timer).
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type MapStateDeclaration,
  type NonPartitionedContext,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import { type GroupAccumulators, GroupAggregates } from "../group-accumulators.ts";
import { forEachWindow, validateStrategy } from "./window-assigner.ts";
import { newPane, type PaneEmitState, WindowEmitter } from "./window-emit.ts";
import type { WindowAggregateSpec } from "./window-specs.ts";

/** One open window of one key: its start, the key's fields, the accumulators, its emit state. */
interface OpenWindow {
  readonly start: number;
  readonly keys: Row;
  readonly group: GroupAccumulators;
  readonly pane: PaneEmitState;
}

export class WindowAggregateFunction implements OneInputEventTimeStreamProcessFunction<RowData, RowData> {
  readonly #spec: WindowAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #windows: MapStateDeclaration<number, OpenWindow>;
  readonly #emitter: WindowEmitter;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: WindowAggregateSpec) {
    if (spec.strategy.kind === "SESSION")
      throw new Error("session windows use SessionWindowAggregateFunction");
    validateStrategy(spec.strategy);
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, { retract: false, merge: false });
    this.#windows = StateDeclarations.map<number, OpenWindow>("window-aggregates");
    this.#emitter = new WindowEmitter(spec.emit, spec.timeKind);
  }

  usesStates() {
    return [this.#windows];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("window aggregation takes only insert-only input, but received an update or delete");
    }
    const fields = record.fields;
    const rowtime = this.#spec.timeKind === "rowtime";
    const time = rowtime ? fields[this.#spec.timeIndex] : ctx.processingTimeManager.currentTime();
    if (typeof time !== "number") return;
    const watermark = rowtime
      ? (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)
      : Number.NEGATIVE_INFINITY;
    const windows = ctx.stateManager.getState(this.#windows);
    const emitter = this.#emitter;
    const lateness = emitter.allowLatenessMs;
    forEachWindow(this.#spec.strategy, time, (start, end) => {
      if (rowtime && emitter.isLate(end, watermark)) return; // past its allowed lateness: dropped
      let open = windows.get(end);
      if (open === undefined || open.start !== start) {
        open = {
          start,
          keys: this.#spec.groupKey.map((i) => fields[i] ?? null),
          group: this.#aggregates.create(),
          pane: newPane(),
        };
        if (rowtime) {
          this.#eventTime?.registerTimer(end - 1);
          if (lateness > 0) this.#eventTime?.registerTimer(end - 1 + lateness);
        } else {
          ctx.processingTimeManager.registerTimer(end);
        }
      }
      this.#aggregates.apply(open.group, fields, true);
      // A window still open at a watermark past its end is only seen after a restore: it fires.
      const fireNow = emitter.onRow(open.pane, ctx) || (rowtime && !open.pane.closed && end - 1 <= watermark);
      if (fireNow) this.#emitter.fire(open.pane, this.#result(open, end), output);
      windows.put(end, open);
    });
  }

  /** Timers at `end - 1` close a window; at `end - 1 + allowLateness` they free it. */
  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#close(timestamp + 1, output, ctx);
    const lateness = this.#emitter.allowLatenessMs;
    if (lateness > 0) ctx.stateManager.getState(this.#windows).remove(timestamp + 1 - lateness);
  }

  /** Early / late firings that are due, then (processing time) the window that ends now. */
  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (this.#emitter.updates) {
      const windows = ctx.stateManager.getState(this.#windows);
      for (const [end, open] of [...windows.entries()]) {
        if (!this.#emitter.takeDue(open.pane, timestamp)) continue;
        this.#emitter.fire(open.pane, this.#result(open, end), output);
        windows.put(end, open);
      }
    }
    if (this.#spec.timeKind === "proctime") this.#close(timestamp, output, ctx);
  }

  /** Bounded input, processing time: windows still open close now (event time ends with its timers). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => {
      const windows = partition.stateManager.getState(this.#windows);
      for (const end of [...windows.keys()].sort((a, b) => a - b)) this.#close(end, output, partition);
    });
  }

  /** The window ending at `end` closes: it fires, then is freed unless late rows may still come. */
  #close(end: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const windows = ctx.stateManager.getState(this.#windows);
    const open = windows.get(end);
    if (open === undefined || open.pane.closed) return;
    this.#emitter.fire(open.pane, this.#result(open, end), output);
    if (this.#emitter.allowLatenessMs > 0) {
      this.#emitter.close(open.pane);
      windows.put(end, open);
    } else {
      windows.remove(end);
    }
  }

  #result(open: OpenWindow, end: number): Row {
    const row = this.#aggregates.resultRow(
      open.group,
      open.keys,
      open.keys.map((_, i) => i),
    );
    row.push(open.start, end, end - 1);
    return row;
  }
}
