/**
 * Interval join (Flink's IntervalJoin): joins two insert-only streams on their keys where the left
 * row's time lies within a bounded interval around the right row's time, keeping each row only
 * while a row of the other side could still match it.
 *
 * Invariants, per join key (`lower <= l - r <= upper`):
 * - A left row at time l can only meet right rows with times in [l − upper, l − lower]; once the
 *   clock (watermark, or processing time) reaches l − lower no on-time right row can, so the row is
 *   dropped then — and, in a LEFT / FULL join, emitted with NULLs if it never matched. Right rows
 *   mirror this with r + upper.
 * - Every emitted row is an insert: matches as they are found, NULL-padded rows when they expire.
 * - A row that arrives already expired (late) is still joined with the rows held, but not kept.
 * - Event time: the output event time is the input's held back by `max(−lower, upper, 0)` (Flink's
 *   max output delay of the row-time interval join): an on-time row meets rows up to that much
 *   older, and a NULL-padded row comes out when the watermark passes its time − lower, so every row
 *   emitted is later than the event time already announced and a window downstream keeps it.
 *
 * Worked sequence, `l.ts BETWEEN r.ts - 1 AND r.ts + 1` (lower −1, upper 1), INNER, one key:
 * ```text
 * left  +I[a, 10]    held until the watermark reaches 11
 * right +I[x, 11]    meets [a, 10] -> +I[a, 10, x, 11]; held until 12
 * watermark 12       both freed
 * ```
 * @module
 */

import {
  type Collector,
  type EventTimeManager,
  type PartitionedContext,
  StateDeclarations,
  type TwoInputEventTimeStreamProcessFunction,
  type ValueStateDeclaration,
} from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import type { IntervalJoinSpec } from "./interval-join-specs.ts";

interface HeldRow {
  readonly row: Row;
  /** The row's time: its rowtime, or when it arrived (processing time). */
  readonly time: number;
  /** When the row can no longer meet an on-time row of the other side. */
  readonly expiresAt: number;
  matched: boolean;
}

/** One join key's state: plain data, so snapshots keep it whole. */
interface HeldRows {
  readonly left: HeldRow[];
  readonly right: HeldRow[];
}

export class IntervalJoinFunction
  implements TwoInputEventTimeStreamProcessFunction<RowData, RowData, RowData>
{
  readonly #spec: IntervalJoinSpec;
  readonly #state: ValueStateDeclaration<HeldRows>;
  readonly #leftOuter: boolean;
  readonly #rightOuter: boolean;
  readonly #leftNulls: readonly SqlValue[];
  readonly #rightNulls: readonly SqlValue[];
  #eventTime: EventTimeManager | undefined;
  /** How far the output event time is held back behind the input's (0 in processing time). */
  readonly #outputDelay: number;

  constructor(spec: IntervalJoinSpec) {
    this.#spec = spec;
    this.#outputDelay = spec.timeKind === "rowtime" ? Math.max(0, -spec.lowerMs, spec.upperMs) : 0;
    this.#state = StateDeclarations.value<HeldRows>("interval-join-rows");
    this.#leftOuter = spec.joinType === "LEFT" || spec.joinType === "FULL";
    this.#rightOuter = spec.joinType === "RIGHT" || spec.joinType === "FULL";
    this.#leftNulls = new Array<SqlValue>(spec.leftArity).fill(null);
    this.#rightNulls = new Array<SqlValue>(spec.rightArity).fill(null);
  }

  usesStates() {
    return [this.#state];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  outputEventTime(eventTime: number): number {
    return eventTime - this.#outputDelay;
  }

  processRecordFromFirstInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#process(record, true, output, ctx);
  }

  processRecordFromSecondInput(
    record: RowData,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    this.#process(record, false, output, ctx);
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#expire(timestamp, output, ctx);
  }

  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#expire(timestamp, output, ctx);
  }

  #process(
    record: RowData,
    fromLeft: boolean,
    output: Collector<RowData>,
    ctx: PartitionedContext<RowData>,
  ): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error("interval join takes only insert-only input, but received an update or delete");
    }
    const spec = this.#spec;
    const row = record.fields;
    const rowtime = spec.timeKind === "rowtime";
    const now = rowtime
      ? (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)
      : ctx.processingTimeManager.currentTime();
    const time = rowtime ? row[fromLeft ? spec.leftTimeIndex : spec.rightTimeIndex] : now;
    const outer = fromLeft ? this.#leftOuter : this.#rightOuter;
    if (typeof time !== "number" || this.#hasNullKey(row, fromLeft)) {
      if (outer) this.#emitPadded(row, fromLeft, output);
      return;
    }
    const state = ctx.stateManager.getState(this.#state);
    const held = state.value() ?? { left: [], right: [] };
    const others = fromLeft ? held.right : held.left;
    let matched = false;
    for (const other of others) {
      const diff = fromLeft ? time - other.time : other.time - time;
      if (diff < spec.lowerMs || diff > spec.upperMs) continue;
      const left = fromLeft ? row : other.row;
      const right = fromLeft ? other.row : row;
      if (spec.nonEquiCondition !== null && !spec.nonEquiCondition(left, right)) continue;
      matched = true;
      other.matched = true;
      output.collect({ kind: RowKind.INSERT, fields: [...left, ...right] });
    }
    // Left rows meet right rows up to l − lower; right rows meet left rows up to r + upper.
    const lastMeeting = fromLeft ? time - spec.lowerMs : time + spec.upperMs;
    // Event time: on-time rows are later than the watermark; processing time: not before now.
    const expiresAt = rowtime ? lastMeeting : lastMeeting + 1;
    if (expiresAt <= now) {
      if (outer && !matched) this.#emitPadded(row, fromLeft, output);
      if (held.left.length + held.right.length > 0) state.update(held);
      return;
    }
    (fromLeft ? held.left : held.right).push({ row, time, expiresAt, matched });
    state.update(held);
    if (rowtime) this.#eventTime?.registerTimer(expiresAt);
    else ctx.processingTimeManager.registerTimer(expiresAt);
  }

  #hasNullKey(row: Row, fromLeft: boolean): boolean {
    const key = fromLeft ? this.#spec.leftKey : this.#spec.rightKey;
    for (const k of key) if (row[k] === null || row[k] === undefined) return true;
    return false;
  }

  #emitPadded(row: Row, fromLeft: boolean, output: Collector<RowData>): void {
    const fields = fromLeft ? [...row, ...this.#rightNulls] : [...this.#leftNulls, ...row];
    output.collect({ kind: RowKind.INSERT, fields });
  }

  /** Drops every row that expired by `now`, emitting the unmatched ones of an outer side. */
  #expire(now: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#state);
    const held = state.value();
    if (held === undefined) return;
    const left = this.#keepLive(held.left, now, this.#leftOuter, true, output);
    const right = this.#keepLive(held.right, now, this.#rightOuter, false, output);
    if (left.length + right.length === 0) state.clear();
    else state.update({ left, right });
  }

  #keepLive(
    rows: HeldRow[],
    now: number,
    outer: boolean,
    fromLeft: boolean,
    output: Collector<RowData>,
  ): HeldRow[] {
    let live = 0;
    for (const held of rows) if (held.expiresAt > now) live++;
    if (live === rows.length) return rows;
    const kept: HeldRow[] = [];
    for (const held of rows) {
      if (held.expiresAt > now) kept.push(held);
      else if (outer && !held.matched) this.#emitPadded(held.row, fromLeft, output);
    }
    return kept;
  }
}
