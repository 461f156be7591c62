/**
 * OVER aggregation (Flink's RowTime/ProcTime Rows/Range Bounded/Unbounded PrecedingFunction in one
 * operator): for each input row, the row followed by its aggregates over the frame that ends at it.
 *
 * Invariants, per partition key:
 * - Event time: a row waits in `pending` (by timestamp) until the watermark passes its timestamp,
 *   then rows come out in timestamp order. A row is late, and dropped, when its time is not after
 *   the last time this partition already emitted (Flink's `lastTriggeringTs`) — not when it is
 *   behind the watermark: such a row still comes out, at the next watermark, in time order.
 * - `retained` holds exactly the rows of the current frame that a later row could still have to
 *   take back (bounded frames only), oldest first; the accumulators equal those rows folded in.
 *   ROWS n keeps the last n + 1 rows; RANGE x keeps the rows whose time is ≥ (last emitted time − x):
 *   in event time a later row can be behind the watermark yet still not late, so rows leave when
 *   a later row comes out (as Flink), not when the watermark passes; in processing time a timer
 *   frees them, and the whole partition, once the clock passes time + x. (An idle event-time
 *   key keeps the rows within x of its last row, as Flink without state TTL does.)
 * - RANGE frames treat rows of equal time as peers: all are folded in before any comes out, so
 *   they share one result; ROWS frames fold and emit row by row.
 *
 * Worked sequence, `COUNT(*) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`:
 * ```text
 * +I[a, 1], +I[b, 3], +I[c, 2]   pending {1: [a], 3: [b], 2: [c]}
 * watermark 2                    -> +I[a, 1, 1], +I[c, 2, 2]   retained [a, c]
 * watermark 3                    -> +I[b, 3, 2]                retained [c, b] (a taken back)
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
import { AggregateSetupError, type GroupAccumulators, GroupAggregates } from "../group-accumulators.ts";
import type { OverAggregateSpec } from "./over-specs.ts";

/** One partition's state: plain data, so snapshots keep it whole. */
interface OverPartition {
  /** Event time only: rows waiting for the watermark, by their timestamp. */
  readonly pending: Map<number, Row[]>;
  /** Bounded frames: the rows in the frame, oldest first, and their times. */
  readonly retained: Row[];
  readonly retainedTimes: number[];
  readonly group: GroupAccumulators;
  /** Event time: the last timestamp whose rows came out; absent before the first. */
  lastEmitted?: number;
}

export class OverAggregateFunction implements OneInputEventTimeStreamProcessFunction<RowData, RowData> {
  readonly #spec: OverAggregateSpec;
  readonly #aggregates: GroupAggregates;
  readonly #state: ValueStateDeclaration<OverPartition>;
  readonly #bounded: boolean;
  /** RANGE frames: the frame's span back in ms (Infinity for UNBOUNDED); ROWS: -1. */
  readonly #rangeMs: number;
  /** ROWS frames: how many rows the frame holds (Infinity for UNBOUNDED). */
  readonly #rowsInFrame: number;
  #keyPositions: number[] = [];
  #eventTime: EventTimeManager | undefined;

  constructor(spec: OverAggregateSpec) {
    const { frame } = spec;
    this.#bounded = frame.kind === "ROWS" ? frame.preceding !== null : frame.precedingMs !== null;
    if (this.#bounded) {
      for (const call of spec.calls) {
        if (call.implementation.retract === undefined) {
          throw new AggregateSetupError(
            `${call.display} cannot run in a bounded OVER window: rows leaving the frame must be taken back, and the aggregate function has no retract method`,
          );
        }
      }
    }
    this.#spec = spec;
    this.#aggregates = new GroupAggregates(spec.calls, { retract: this.#bounded, merge: false });
    this.#state = StateDeclarations.value<OverPartition>("over-partition");
    this.#rangeMs = frame.kind === "RANGE" ? (frame.precedingMs ?? Number.POSITIVE_INFINITY) : -1;
    this.#rowsInFrame = frame.kind === "ROWS" ? (frame.preceding ?? Number.POSITIVE_INFINITY) + 1 : 0;
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("OVER aggregation takes only insert-only input, but received an update or delete");
    }
    const state = ctx.stateManager.getState(this.#state);
    if (this.#spec.timeKind === "proctime") {
      const now = ctx.processingTimeManager.currentTime();
      const partition = state.value() ?? this.#newPartition();
      this.#evictOlderThan(partition, now);
      this.#emit(partition, now, [record.fields], output);
      state.update(partition);
      if (this.#rangeMs >= 0 && this.#bounded)
        ctx.processingTimeManager.registerTimer(now + this.#rangeMs + 1);
      return;
    }
    const time = record.fields[this.#spec.timeIndex];
    if (typeof time !== "number") return; // a rowtime is never NULL; nothing to order by
    const partition = state.value() ?? this.#newPartition();
    if (time <= (partition.lastEmitted ?? Number.NEGATIVE_INFINITY)) return; // late
    const waiting = partition.pending.get(time);
    if (waiting === undefined) {
      partition.pending.set(time, [record.fields]);
      this.#eventTime?.registerTimer(time);
    } else waiting.push(record.fields);
    state.update(partition);
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const partition = state.value();
    if (partition === undefined) return;
    const rows = partition.pending.get(timestamp);
    if (rows !== undefined) {
      this.#evictOlderThan(partition, timestamp);
      partition.pending.delete(timestamp);
      this.#emit(partition, timestamp, rows, output);
      partition.lastEmitted = timestamp;
    }
    this.#store(state, partition);
  }

  onProcessingTimer(timestamp: number, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const partition = state.value();
    if (partition === undefined) return;
    this.#evictOlderThan(partition, timestamp);
    this.#store(state, partition);
  }

  endInput(_ctx: NonPartitionedContext<RowData>): void {}

  #newPartition(): OverPartition {
    return { pending: new Map(), retained: [], retainedTimes: [], group: this.#aggregates.create() };
  }

  /** Writes the partition back, or frees it when a bounded RANGE frame has nothing left. */
  #store(state: { update(v: OverPartition): void; clear(): void }, partition: OverPartition): void {
    const empty =
      this.#rangeMs >= 0 && this.#bounded && partition.pending.size === 0 && partition.retained.length === 0;
    if (empty) state.clear();
    else state.update(partition);
  }

  /** RANGE x: takes back the rows whose time is before `now - x`; they are out of every later frame. */
  #evictOlderThan(partition: OverPartition, now: number): void {
    if (!this.#bounded || this.#rangeMs < 0) return;
    const oldest = now - this.#rangeMs;
    const { retained, retainedTimes } = partition;
    let drop = 0;
    while (drop < retained.length && retainedTimes[drop]! < oldest) {
      this.#aggregates.apply(partition.group, retained[drop]!, false);
      drop++;
    }
    if (drop > 0) {
      retained.splice(0, drop);
      retainedTimes.splice(0, drop);
    }
  }

  /** Folds in `rows` (all of time `time`) and emits each with its frame's results. */
  #emit(partition: OverPartition, time: number, rows: readonly Row[], output: Collector<RowData>): void {
    const width = rows[0]!.length;
    if (this.#keyPositions.length !== width) this.#keyPositions = Array.from({ length: width }, (_, i) => i);
    const { group } = partition;
    if (this.#rangeMs >= 0) {
      for (const row of rows) this.#fold(partition, time, row);
      for (const row of rows) {
        output.collect({
          kind: RowKind.INSERT,
          fields: this.#aggregates.resultRow(group, row, this.#keyPositions),
        });
      }
      return;
    }
    for (const row of rows) {
      this.#fold(partition, time, row);
      if (partition.retained.length > this.#rowsInFrame) {
        this.#aggregates.apply(group, partition.retained.shift()!, false);
        partition.retainedTimes.shift();
      }
      output.collect({
        kind: RowKind.INSERT,
        fields: this.#aggregates.resultRow(group, row, this.#keyPositions),
      });
    }
  }

  #fold(partition: OverPartition, time: number, row: Row): void {
    this.#aggregates.apply(partition.group, row, true);
    if (this.#bounded) {
      partition.retained.push(row);
      partition.retainedTimes.push(time);
    }
  }
}
