/**
 * The global phase of a two-phase window aggregation over attached windows (rows that carry their
 * window, e.g. a window TVF with a filter in between): keyed by the group key with the window
 * columns, so each key is one window of one group; it merges the local phase's partials and emits
 * the group's result once, as an insert, when the watermark passes window_end − 1 — the row of the
 * one-phase `AttachedWindowAggregateFunction`. Partials for a window that has fired are dropped, as
 * late rows are; the state is dropped when the window fires.
 *
 * Worked sequence, `COUNT(*)` per (auction, window_start, window_end), partials
 * `[auction, window_start, window_end, rows, acc, slice_end]`:
 * ```text
 * +I[7, 0 s, 10 s, 2, 2, 10 s]   key (7, 0 s, 10 s): 2, timer 9.999 s
 * +I[7, 0 s, 10 s, 1, 1, 10 s]   3 (another subtask's partial)
 * watermark 9.999 s              -> +I[7, 0 s, 10 s, 3], state gone
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { type PartialAccumulators, WindowPartialAggregates } from "./window-partial-aggregates.ts";
import type { GlobalAttachedWindowAggregateSpec } from "./window-specs.ts";

interface WindowGroup {
  readonly keys: Row;
  readonly group: PartialAccumulators;
}

export class GlobalAttachedWindowAggregateFunction
  implements OneInputEventTimeStreamProcessFunction<RowData, RowData>
{
  readonly #keyCount: number;
  readonly #aggregates: WindowPartialAggregates;
  readonly #state: ValueStateDeclaration<WindowGroup>;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: GlobalAttachedWindowAggregateSpec) {
    this.#keyCount = spec.keyCount;
    this.#aggregates = new WindowPartialAggregates(spec.calls);
    this.#state = StateDeclarations.value<WindowGroup>("global-window-group");
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const fields = record.fields as unknown[];
    const k = this.#keyCount;
    const end = this.#aggregates.sliceEndOf(fields, k);
    if (end - 1 <= (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)) return; // late
    const state = ctx.stateManager.getState(this.#state);
    let window = state.value();
    if (window === undefined) {
      window = { keys: fields.slice(0, k) as Row, group: this.#aggregates.create() };
      this.#eventTime?.registerTimer(end - 1);
    }
    this.#aggregates.mergeWire(window.group, fields, k);
    state.update(window);
  }

  onEventTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const window = state.value();
    if (window === undefined) return;
    state.clear();
    const row: SqlValue[] = [...window.keys];
    this.#aggregates.appendResults(window.group, row);
    output.collect({ kind: RowKind.INSERT, fields: row });
  }
}
