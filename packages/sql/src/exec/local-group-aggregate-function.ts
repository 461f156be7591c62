/**
 * The local phase of a two-phase (local-global) group aggregation: before the shuffle, each subtask
 * folds its rows into partial accumulators per group key, and sends one partial row per group at
 * each flush instead of every input row. `GlobalGroupAggregateFunction` merges the partials.
 *
 * Partial row layout (the contract between the two phases), for k group-key fields and c calls:
 * ```text
 * [key_0 … key_{k-1}, rows, acc_0 … acc_{c-1}]      kind: always +I
 * ```
 * `rows` is the net row count of the partial (negative when it retracted more than it added), and
 * each `acc_i` the call's partial accumulator (plain data). The global phase is keyed by the first
 * k fields: `keySelectorFor(partialKeyIndices(spec), keyTypes)`.
 *
 * Invariants: non-keyed; partials are flushed when `miniBatch.size` rows were folded, at every
 * watermark (before it is forwarded), every `miniBatch.latencyMs` of processing time, and at end of
 * input. The partials map is registered once in redistributable list state and updated in place,
 * so a checkpoint taken between flushes holds exactly the partials not sent yet, and a restore at
 * another parallelism hands each of them to one subtask (merging partials is order-free).
 * DISTINCT calls are refused (a partial cannot tell which values other subtasks saw).
 * @module
 */

import {
  type Collector,
  ExtensionHooks,
  type ListStateDeclaration,
  type NonPartitionedContext,
  type OneInputStreamProcessFunction,
  type PartitionedContext,
  type PeriodicHook,
  type StateDeclaration,
  StateDeclarations,
  type Watermark,
  type WatermarkHandling,
} from "@weir/api";
import { isAccumulate, type Row, type RowData, RowKind } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import { type GroupAccumulators, GroupAggregates } from "./group-accumulators.ts";
import { requireFullRetractions } from "./input-mode.ts";
import type { GroupAggregateSpec } from "./operator-specs.ts";
import { keyOfFields, keyOfValue, mapKeyOf } from "./row-key.ts";

/** One group's partial: its key fields and accumulators. */
interface Partial {
  readonly key: Row;
  readonly group: GroupAccumulators;
}
type Partials = Map<unknown, Partial>;

/** Indices of the group key in the partial row (what the global phase is keyed by). */
export function partialKeyIndices(spec: GroupAggregateSpec): number[] {
  return spec.groupKey.map((_, i) => i);
}

const PARTIALS = StateDeclarations.list<Partials>("local-aggregate-partials");

export class LocalGroupAggregateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #aggregates: GroupAggregates;
  readonly #groupKey: readonly number[];
  readonly #flushSize: number;
  #partials: Partials = new Map();
  #folded = 0;
  [ExtensionHooks.periodic]: PeriodicHook | undefined;

  constructor(spec: GroupAggregateSpec) {
    requireFullRetractions(spec.inputMode, "LocalGroupAggregate");
    this.#groupKey = [...spec.groupKey];
    this.#aggregates = new GroupAggregates(spec.calls, {
      retract: spec.inputMode.kind !== "insert-only",
      merge: true,
    });
    const { enabled, size, latencyMs } = spec.miniBatch;
    this.#flushSize = enabled && Number.isInteger(size) && size > 0 ? size : 1;
    this[ExtensionHooks.periodic] =
      enabled && latencyMs > 0
        ? {
            intervalMs: latencyMs,
            onPeriodic: (_now, ctx) => {
              if (this.#partials.size > 0) {
                ctx.applyToAllPartitions((output) => this.#flush(output as Collector<RowData>));
              }
            },
          }
        : undefined;
  }

  usesStates(): readonly StateDeclaration[] {
    return [PARTIALS];
  }

  open(ctx: NonPartitionedContext<never>): void {
    const list = ctx.stateManager.getState(PARTIALS as ListStateDeclaration<Partials>);
    const live: Partials = new Map();
    // Partials restored from one or more old subtasks: merged into one map of this subtask.
    for (const restored of list.get()) {
      for (const [id, partial] of restored) {
        const mine = live.get(id);
        if (mine === undefined) live.set(id, partial);
        else this.#aggregates.merge(mine.group, partial.group.rows, partial.group.accs);
      }
    }
    this.#partials = live;
    list.update([live]);
  }

  processRecord(record: RowData, output: Collector<RowData>, _ctx: PartitionedContext<RowData>): void {
    const fields = record.fields;
    const groupKey = this.#groupKey;
    const id =
      groupKey.length === 1
        ? mapKeyOf(keyOfValue(fields[groupKey[0]!] ?? null))
        : mapKeyOf(keyOfFields(fields, groupKey));
    let partial = this.#partials.get(id);
    if (partial === undefined) {
      const key = new Array<SqlValue>(groupKey.length);
      for (let i = 0; i < groupKey.length; i++) key[i] = fields[groupKey[i]!] ?? null;
      partial = { key, group: this.#aggregates.create() };
      this.#partials.set(id, partial);
    }
    this.#aggregates.apply(partial.group, fields, isAccumulate(record.kind));
    if (++this.#folded >= this.#flushSize) this.#flush(output);
  }

  onWatermark(_watermark: Watermark, output: Collector<RowData>): WatermarkHandling {
    this.#flush(output);
    return undefined;
  }

  endInput(ctx: NonPartitionedContext<RowData>): void {
    ctx.applyToAllPartitions((output) => this.#flush(output));
  }

  #flush(output: Collector<RowData>): void {
    const k = this.#groupKey.length;
    const calls = this.#aggregates.callCount;
    for (const { key, group } of this.#partials.values()) {
      const fields = new Array<unknown>(k + 1 + calls);
      for (let i = 0; i < k; i++) fields[i] = key[i];
      fields[k] = group.rows;
      for (let c = 0; c < calls; c++) fields[k + 1 + c] = group.accs[c];
      output.collect({ kind: RowKind.INSERT, fields: fields as Row });
    }
    // Cleared in place: the same map stays registered in state for the next checkpoint.
    this.#partials.clear();
    this.#folded = 0;
  }
}
