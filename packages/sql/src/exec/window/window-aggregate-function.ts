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
import type { WindowAggregateSpec } from "./window-specs.ts";

/** One open window of one key: its start, the key's fields, and the accumulators. */
interface OpenWindow {
  readonly start: number;
  readonly keys: Row;
  readonly group: GroupAccumulators;
}

export class WindowAggregateFunction implements OneInputEventTimeStreamProcessFunction<RowData, RowData> {
  readonly #spec: WindowAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #windows: MapStateDeclaration<number, OpenWindow>;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: WindowAggregateSpec) {
    if (spec.strategy.kind === "SESSION")
      throw new Error("session windows use SessionWindowAggregateFunction");
    validateStrategy(spec.strategy);
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, { retract: false, merge: false });
    this.#windows = StateDeclarations.map<number, OpenWindow>("window-aggregates");
  }

  usesStates() {
    return [this.#windows];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
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
    forEachWindow(this.#spec.strategy, time, (start, end) => {
      if (rowtime && end - 1 <= watermark) return; // the window has fired: a late row
      let open = windows.get(end);
      if (open === undefined || open.start !== start) {
        open = {
          start,
          keys: this.#spec.groupKey.map((i) => fields[i] ?? null),
          group: this.#aggregates.create(),
        };
        if (rowtime) this.#eventTime?.registerTimer(end - 1);
        else ctx.processingTimeManager.registerTimer(end);
      }
      this.#aggregates.apply(open.group, fields, true);
      windows.put(end, open);
    });
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(timestamp + 1, output, ctx);
  }

  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(timestamp, output, ctx);
  }

  /** Bounded input, processing time: windows still open close now (event time ends with its timers). */
  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => {
      const windows = partition.stateManager.getState(this.#windows);
      for (const end of [...windows.keys()].sort((a, b) => a - b)) this.#fire(end, output, partition);
    });
  }

  #fire(end: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const windows = ctx.stateManager.getState(this.#windows);
    const open = windows.get(end);
    if (open === undefined) return;
    windows.remove(end);
    const row = this.#aggregates.resultRow(
      open.group,
      open.keys,
      open.keys.map((_, i) => i),
    );
    row.push(open.start, end, end - 1);
    output.collect({ kind: RowKind.INSERT, fields: row });
  }
}
