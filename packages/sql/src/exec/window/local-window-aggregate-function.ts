/**
 * The local phase of a two-phase window aggregation (Flink's LocalWindowAggregate): before the
 * shuffle, each subtask folds its rows into partial accumulators per (group key, slice) and sends
 * one partial row per pair at each flush instead of every row — for HOP one per slice, not one per
 * window a row belongs to. `GlobalWindowAggregateFunction` merges the partials into windows.
 *
 * Partial row layout: see `LocalWindowAggregateSpec` (`[keys…, rows, accs…, slice_end]`).
 *
 * Invariants: non-keyed; partials are flushed at every watermark (before it is forwarded, so the
 * global phase has every partial of a window before the watermark that closes it), when
 * {@link FLUSH_SIZE} partials are buffered, and at end of input. The buffer is registered once in
 * redistributable list state and updated in place, so a checkpoint between flushes holds exactly
 * the partials not sent yet; merging partials is order-free, so a restore at another parallelism
 * may hand them to any subtask. Rows without a time are dropped, as the one-phase aggregation does.
 * Over attached windows (`windowEndIndex`) a row's window is already in its group key and its
 * window_end is the partial's `slice_end`.
 *
 * Worked sequence, HOP size 10 s slide 5 s, `COUNT(*)` per k:
 * ```text
 * +I[a, 3 s] +I[a, 4 s] +I[a, 7 s]      buffer: (a, slice 5 s): 2, (a, slice 10 s): 1
 * watermark 4 s -> +I[a, 2, 2, 5000] +I[a, 1, 1, 10000], then the watermark
 * ```
 * @module
 */

import {
  type Collector,
  type ListStateDeclaration,
  type NonPartitionedContext,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type StateDeclaration,
  StateDeclarations,
  type Watermark,
  type WatermarkHandling,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { keyOfFields, keyOfValue, mapKeyOf } from "../row-key.ts";
import { validateStrategy } from "./window-assigner.ts";
import { type PartialAccumulators, WindowPartialAggregates } from "./window-partial-aggregates.ts";
import { sliceEndOf } from "./window-slices.ts";
import type { LocalWindowAggregateSpec, WindowingStrategy } from "./window-specs.ts";

/** Partials buffered before a flush is forced (bounds the local phase's memory between watermarks). */
export const FLUSH_SIZE = 10_000;

interface Partial {
  readonly key: Row;
  readonly sliceEnd: number;
  readonly group: PartialAccumulators;
}
/** slice end → group key id → partial. */
type Partials = Map<number, Map<unknown, Partial>>;

const PARTIALS = StateDeclarations.list<Partials>("local-window-aggregate-partials");

export class LocalWindowAggregateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #strategy: Exclude<WindowingStrategy, { kind: "SESSION" }>;
  readonly #timeIndex: number;
  readonly #attached: boolean;
  readonly #groupKey: readonly number[];
  readonly #aggregates: WindowPartialAggregates;
  #partials: Partials = new Map();
  #buffered = 0;

  constructor(spec: LocalWindowAggregateSpec) {
    if (spec.strategy.kind === "SESSION")
      throw new Error("SESSION windows are not aggregated in two phases (as in Flink)");
    validateStrategy(spec.strategy);
    this.#strategy = spec.strategy;
    this.#attached = spec.windowEndIndex !== undefined;
    this.#timeIndex = spec.windowEndIndex ?? spec.timeIndex;
    this.#groupKey = [...spec.groupKey];
    this.#aggregates = new WindowPartialAggregates(spec.calls);
  }

  usesStates(): readonly StateDeclaration[] {
    return [PARTIALS];
  }

  open(ctx: NonPartitionedContext<never>): void {
    const list = ctx.stateManager.getState(PARTIALS as ListStateDeclaration<Partials>);
    const live: Partials = new Map();
    // Partials restored from one or more old subtasks: merged into this subtask's buffer.
    for (const restored of list.get()) {
      for (const [sliceEnd, partials] of restored) {
        for (const [id, partial] of partials) {
          const mine = this.#slice(live, sliceEnd).get(id);
          if (mine === undefined) {
            this.#slice(live, sliceEnd).set(id, partial);
            this.#buffered++;
          } else {
            this.#aggregates.merge(mine.group, partial.group);
          }
        }
      }
    }
    this.#partials = live;
    list.update([live]);
  }

  processRecord(record: RowData, output: Collector<RowData>, _ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("window aggregation takes only insert-only input, but received an update or delete");
    }
    const fields = record.fields;
    const time = fields[this.#timeIndex];
    if (typeof time !== "number") return;
    // Attached windows: the row's own window_end names its "slice" (the window, in the group key).
    const sliceEnd = this.#attached ? time : sliceEndOf(this.#strategy, time);
    const groupKey = this.#groupKey;
    const id =
      groupKey.length === 0
        ? 0
        : groupKey.length === 1
          ? mapKeyOf(keyOfValue(fields[groupKey[0]!] ?? null))
          : mapKeyOf(keyOfFields(fields, groupKey));
    const slice = this.#slice(this.#partials, sliceEnd);
    let partial = slice.get(id);
    if (partial === undefined) {
      const key = new Array<SqlValue>(groupKey.length);
      for (let i = 0; i < groupKey.length; i++) key[i] = fields[groupKey[i]!] ?? null;
      partial = { key, sliceEnd, group: this.#aggregates.create() };
      slice.set(id, partial);
      if (++this.#buffered >= FLUSH_SIZE) {
        this.#aggregates.apply(partial.group, fields);
        this.#flush(output);
        return;
      }
    }
    this.#aggregates.apply(partial.group, fields);
  }

  onWatermark(_watermark: Watermark, output: Collector<RowData>): WatermarkHandling {
    this.#flush(output);
    return undefined;
  }

  endInput(ctx: NonPartitionedContext<RowData>): void {
    ctx.applyToAllPartitions((output) => this.#flush(output));
  }

  #slice(partials: Partials, sliceEnd: number): Map<unknown, Partial> {
    let slice = partials.get(sliceEnd);
    if (slice === undefined) {
      slice = new Map();
      partials.set(sliceEnd, slice);
    }
    return slice;
  }

  #flush(output: Collector<RowData>): void {
    if (this.#buffered === 0) return;
    const k = this.#groupKey.length;
    const calls = this.#aggregates.callCount;
    for (const slice of this.#partials.values()) {
      for (const { key, sliceEnd, group } of slice.values()) {
        const fields = new Array<unknown>(k + 2 + calls);
        for (let i = 0; i < k; i++) fields[i] = key[i];
        fields[k] = group.rows;
        for (let c = 0; c < calls; c++) fields[k + 1 + c] = this.#aggregates.wire(group, c);
        fields[k + 1 + calls] = sliceEnd;
        output.collect({ kind: RowKind.INSERT, fields: fields as Row });
      }
    }
    // Cleared in place: the same map stays registered in state for the next checkpoint.
    this.#partials.clear();
    this.#buffered = 0;
  }
}
