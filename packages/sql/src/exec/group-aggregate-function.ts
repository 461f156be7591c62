/**
 * Group aggregation with retraction (`SELECT k, agg(x) FROM t GROUP BY k`), keyed by the group key
 * (`keySelectorFor(spec.groupKey, …)`; a global aggregation uses the constant key).
 *
 * Invariants:
 * - One value state per group holds every accumulator, the row count and the last emitted row
 *   (`group-accumulators.ts`), read once and written once per record (or per key per mini-batch).
 * - Output per group: +I for a new group, -U/+U when the result changed (+U only when the consumer
 *   takes upserts), -D when its last row is retracted, nothing when the result did not change
 *   (with a state TTL and no mini-batch every change is sent, as Flink does, to refresh downstream
 *   state).
 * - A retraction for a group that has no state (never seen, or expired by TTL) is dropped.
 * - An empty input gives no rows in streaming mode, as Flink's streaming GROUP BY; in BATCH mode a
 *   global aggregation (no group key) over no rows emits its one row at the end of input (e.g.
 *   `COUNT(*) = 0`), as Flink's batch mode does. That needs the aggregation to run on a non-keyed
 *   (global) stream: a keyed function without any key has no collector at the end of input.
 * - Mini-batch: rows are buffered per key in keyed list state (so checkpoints keep them) and folded
 *   into the group once per batch: when the batch's processing-time deadline (`latencyMs`) fires,
 *   when `size` rows were buffered since the last such fold (then the key being processed folds
 *   at once: a process function can reach only the current key's state), and at end of input.
 *   One fold emits at most one change per group. `latencyMs` bounds how long any row waits. A
 *   global aggregation (no group key) folds on a periodic callback every `latencyMs` instead of
 *   timers, so it also runs on a non-keyed global stream; it keeps its one group without a TTL.
 *
 * Worked example (mini-batch, `COUNT(*)` per k, one batch):
 * ```text
 * +I[a] +I[a] +I[b] +I[a]  (deadline fires) -> +I[a, 3] +I[b, 1]
 * ```
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
  type ValueState,
  type ValueStateDeclaration,
} from "@weir/api";
import { isAccumulate, type RowData } from "../data/row.ts";
import { emitEmptyGlobalResult, type GroupAccumulators, GroupAggregates } from "./group-accumulators.ts";
import { requireFullRetractions } from "./input-mode.ts";
import { MiniBatchTrigger } from "./mini-batch.ts";
import type { GroupAggregateSpec } from "./operator-specs.ts";
import { stateOptions } from "./state-ttl.ts";

export class GroupAggregateFunction implements OneInputStreamProcessFunction<RowData, RowData> {
  readonly #spec: GroupAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #groupState: ValueStateDeclaration<GroupAccumulators>;
  readonly #bufferState: ListStateDeclaration<RowData> | null;
  readonly #emitOptions: { readonly generateUpdateBefore: boolean; readonly alwaysEmit: boolean };
  readonly #trigger: MiniBatchTrigger | null;
  /** Folds the mini-batch of a global aggregation (no group key); undefined otherwise. */
  [ExtensionHooks.periodic]: PeriodicHook | undefined;

  constructor(spec: GroupAggregateSpec) {
    requireFullRetractions(spec.inputMode, "GroupAggregate");
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, {
      retract: spec.inputMode.kind !== "insert-only",
      merge: false,
    });
    const global = spec.groupKey.length === 0;
    // A global aggregation may run on a non-keyed global stream, where state cannot have a TTL;
    // its one group is kept (it would only restart counting after idling).
    const options = stateOptions(global ? 0 : spec.stateTtlMs);
    this.#groupState = StateDeclarations.value<GroupAccumulators>("group-aggregate", options);
    this[ExtensionHooks.periodic] = undefined;
    if (spec.miniBatch.enabled) {
      this.#trigger = new MiniBatchTrigger(spec.miniBatch);
      if (global) {
        // One group at most, and maybe no key for timers: the batch folds on a periodic callback.
        this[ExtensionHooks.periodic] = {
          intervalMs: spec.miniBatch.latencyMs,
          onPeriodic: (_now, ctx) =>
            ctx.applyToAllPartitions((output, partition) =>
              this.#fold(output as Collector<RowData>, partition as PartitionedContext<RowData>),
            ),
        };
      }
      this.#bufferState = StateDeclarations.list<RowData>("mini-batch-buffer", options);
    } else {
      this.#trigger = null;
      this.#bufferState = null;
    }
    // Flink's mini-batch aggregation sends nothing for an unchanged result, TTL or not.
    this.#emitOptions = {
      generateUpdateBefore: spec.generateUpdateBefore,
      alwaysEmit: spec.stateTtlMs > 0 && !spec.miniBatch.enabled,
    };
  }

  usesStates(): readonly StateDeclaration[] {
    return this.#bufferState === null ? [this.#groupState] : [this.#groupState, this.#bufferState];
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (this.#bufferState !== null) {
      this.#buffer(record, output, ctx);
      return;
    }
    const state = ctx.stateManager.getState(this.#groupState);
    const accumulate = isAccumulate(record.kind);
    let group = state.value();
    if (group === undefined) {
      if (!accumulate) return;
      group = this.#aggregates.create();
    }
    this.#aggregates.apply(group, record.fields, accumulate);
    this.#store(state, group, record, output);
  }

  onProcessingTimer(_timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fold(output, ctx);
  }

  endInput(ctx: NonPartitionedContext<RowData>): void {
    const foldPending = (output: Collector<RowData>, partition: PartitionedContext<RowData>) => {
      if (this.#bufferState !== null) this.#fold(output, partition);
    };
    if (this.#spec.groupKey.length === 0) {
      emitEmptyGlobalResult(this.#aggregates, this.#groupState, ctx, foldPending);
    } else if (this.#bufferState !== null) {
      ctx.applyToAllPartitions(foldPending);
    }
  }

  #store(
    state: ValueState<GroupAccumulators>,
    group: GroupAccumulators,
    keySource: RowData,
    output: Collector<RowData>,
  ): void {
    if (
      this.#aggregates.emitChange(group, keySource.fields, this.#spec.groupKey, output, this.#emitOptions)
    ) {
      state.update(group);
    } else {
      state.clear();
    }
  }

  #buffer(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const buffer = ctx.stateManager.getState(this.#bufferState!);
    if (this[ExtensionHooks.periodic] === undefined && buffer.get().length === 0) {
      const timers = ctx.processingTimeManager;
      // Registering the same deadline twice for a key fires once.
      timers.registerTimer(this.#trigger!.deadlineFor(timers.currentTime()));
    }
    buffer.add(record);
    if (this.#trigger!.countRow()) this.#fold(output, ctx);
  }

  /** Folds the current key's buffered rows into its group and emits the group's change once. */
  #fold(output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const buffer = ctx.stateManager.getState(this.#bufferState!);
    const rows = buffer.get();
    if (rows.length === 0) return;
    const state = ctx.stateManager.getState(this.#groupState);
    const aggregates = this.#aggregates;
    let group = state.value();
    for (const record of rows) {
      const accumulate = isAccumulate(record.kind);
      if (group === undefined || group.rows <= 0) {
        // An emptied group starts afresh, as it would after its state was cleared.
        if (!accumulate) continue;
        group = aggregates.create(group?.emitted ?? null);
      }
      aggregates.apply(group, record.fields, accumulate);
    }
    const last = rows[rows.length - 1]!;
    buffer.clear();
    if (group !== undefined) this.#store(state, group, last, output);
  }
}
