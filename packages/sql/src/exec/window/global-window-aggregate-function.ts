/**
 * The global phase of a two-phase window aggregation (Flink's GlobalWindowAggregate over slices):
 * keyed by the group key, it merges the local phase's partial rows into one accumulator set per
 * slice, and when the watermark passes a window's end − 1 merges the window's slices into its
 * result, emitted once as an insert — the same rows as the one-phase `WindowAggregateFunction`.
 *
 * Invariants:
 * - A partial is dropped when the last window its slice belongs to has fired (the rows in it are
 *   late for every window); otherwise it counts in every window of its slice not fired yet, as a
 *   late row does in the one-phase aggregation.
 * - Timers chain: a slice asks for its first window's timer; a fired window asks for the next
 *   window's timer while a slice it needs is held. A slice is freed once the last window it belongs
 *   to has fired, so state is bounded on an unbounded input.
 *
 * Worked sequence, HOP size 10 s slide 5 s, COUNT(*) per k, partials `[k, rows, acc, slice_end]`:
 * ```text
 * +I[a, 2, 2, 5 s]     slice 5 s of a: 2, timer 4.999 s
 * +I[a, 1, 1, 10 s]    slice 10 s: 1, timer 9.999 s
 * watermark 4.999 s -> window [-5 s, 5 s): +I[a, 2, …]; next window 10 s keeps slice 5 s
 * watermark 9.999 s -> window [0 s, 10 s): slices 5 s + 10 s = 3; slice 5 s freed; timer 14.999 s
 * watermark 14.999 s -> window [5 s, 15 s): slice 10 s = 1; slice 10 s freed
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type MapStateDeclaration,
  type OneInputEventTimeStreamProcessFunction,
  type PartitionedContext,
  StateDeclarations,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { validateStrategy } from "./window-assigner.ts";
import { type PartialAccumulators, WindowPartialAggregates } from "./window-partial-aggregates.ts";
import {
  forEachSliceOf,
  lastWindowEnd,
  nextWindowEnd,
  oldestSliceAfter,
  windowStartOf,
} from "./window-slices.ts";
import type { GlobalWindowAggregateSpec, WindowingStrategy } from "./window-specs.ts";

/** One slice of one key: the key's fields and the merged accumulators. */
interface Slice {
  readonly keys: Row;
  readonly group: PartialAccumulators;
}

export class GlobalWindowAggregateFunction
  implements OneInputEventTimeStreamProcessFunction<RowData, RowData>
{
  readonly #strategy: Exclude<WindowingStrategy, { kind: "SESSION" }>;
  readonly #keyCount: number;
  readonly #aggregates: WindowPartialAggregates;
  readonly #slices: MapStateDeclaration<number, Slice>;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: GlobalWindowAggregateSpec) {
    if (spec.strategy.kind === "SESSION")
      throw new Error("SESSION windows are not aggregated in two phases (as in Flink)");
    validateStrategy(spec.strategy);
    this.#strategy = spec.strategy;
    this.#keyCount = spec.keyCount;
    this.#aggregates = new WindowPartialAggregates(spec.calls);
    this.#slices = StateDeclarations.map<number, Slice>("global-window-slices");
  }

  usesStates() {
    return [this.#slices];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const fields = record.fields as unknown[];
    const k = this.#keyCount;
    const sliceEnd = this.#aggregates.sliceEndOf(fields, k);
    const watermark = this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY;
    const strategy = this.#strategy;
    if (lastWindowEnd(strategy, sliceEnd) - 1 <= watermark) return; // late for all its windows
    const slices = ctx.stateManager.getState(this.#slices);
    let slice = slices.get(sliceEnd);
    if (slice === undefined) {
      slice = { keys: fields.slice(0, k) as Row, group: this.#aggregates.create() };
      // The first of the slice's windows not fired yet.
      let end: number | null = sliceEnd;
      while (end !== null && end - 1 <= watermark) end = nextWindowEnd(strategy, end);
      if (end !== null) this.#eventTime?.registerTimer(end - 1);
    }
    this.#aggregates.mergeWire(slice.group, fields, k);
    slices.put(sliceEnd, slice);
  }

  /** The window ending at `timestamp + 1` fires; slices no later window needs are freed. */
  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const strategy = this.#strategy;
    const windowEnd = timestamp + 1;
    const slices = ctx.stateManager.getState(this.#slices);
    let window: PartialAccumulators | null = null;
    let keys: Row | null = null;
    let single: PartialAccumulators | null = null;
    let count = 0;
    forEachSliceOf(strategy, windowEnd, (sliceEnd) => {
      const slice = slices.get(sliceEnd);
      if (slice === undefined) return;
      keys = slice.keys;
      count++;
      if (count === 1) {
        single = slice.group;
        return;
      }
      if (window === null) {
        // Merged into fresh accumulators: the slices stay as they are for later windows.
        window = this.#aggregates.create();
        this.#aggregates.merge(window, single!);
      }
      this.#aggregates.merge(window, slice.group);
    });
    if (keys !== null) {
      const row: SqlValue[] = [...(keys as Row)];
      this.#aggregates.appendResults(window ?? single!, row);
      row.push(windowStartOf(strategy, windowEnd), windowEnd, windowEnd - 1);
      output.collect({ kind: RowKind.INSERT, fields: row });
    }
    // Free the slices no later window needs; ask for the next window while a slice remains for it.
    const oldest = oldestSliceAfter(strategy, windowEnd);
    let remaining = false;
    for (const sliceEnd of [...slices.keys()]) {
      if (sliceEnd < oldest) slices.remove(sliceEnd);
      else remaining = true;
    }
    const next = nextWindowEnd(strategy, windowEnd);
    if (remaining && next !== null) {
      let needed = false;
      forEachSliceOf(strategy, next, (sliceEnd) => {
        if (!needed && slices.contains(sliceEnd)) needed = true;
      });
      if (needed) this.#eventTime?.registerTimer(next - 1);
    }
  }
}
