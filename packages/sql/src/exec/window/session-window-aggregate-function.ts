/**
 * Window aggregation over SESSION windows (`SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap)`
 * and the legacy `GROUP BY SESSION(ts, gap)`): per key, a row at t opens the window [t, t + gap);
 * windows that overlap or touch merge (their accumulators merge), as Flink's MergingWindowAssigner.
 * A session is emitted once when the watermark passes its end − 1, then dropped.
 *
 * Worked sequence, gap 10 s, `COUNT(*)` per bidder:
 * ```text
 * +I[b, 0 s]    session [0 s, 10 s): 1, timer 9.999 s
 * +I[b, 7 s]    [7 s, 17 s) overlaps: merged into [0 s, 17 s): 2, timer moves to 16.999 s
 * watermark 20 s -> +I[b, 2, 00:00:00, 00:00:17, 00:00:16.999]
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
import { type GroupAccumulators, GroupAggregates } from "../group-accumulators.ts";
import { validateStrategy } from "./window-assigner.ts";
import type { WindowAggregateSpec } from "./window-specs.ts";

interface Session {
  start: number;
  end: number;
  readonly keys: Row;
  readonly group: GroupAccumulators;
}

export class SessionWindowAggregateFunction
  implements OneInputEventTimeStreamProcessFunction<RowData, RowData>
{
  readonly #spec: WindowAggregateSpec;
  readonly #gapMs: number;
  readonly #aggregates: GroupAggregates;
  readonly #sessions: ValueStateDeclaration<Session[]>;
  #eventTime: EventTimeManager | undefined;

  constructor(spec: WindowAggregateSpec) {
    if (spec.strategy.kind !== "SESSION") throw new Error("aligned windows use WindowAggregateFunction");
    validateStrategy(spec.strategy);
    this.#spec = spec;
    this.#gapMs = spec.strategy.gapMs;
    // Sessions merge, so every aggregate must be able to merge accumulators.
    this.#aggregates = new GroupAggregates(spec.calls, { retract: false, merge: true });
    this.#sessions = StateDeclarations.value<Session[]>("session-windows");
  }

  usesStates() {
    return [this.#sessions];
  }

  initEventTimeProcessFunction(manager: EventTimeManager): void {
    this.#eventTime = manager;
  }

  processRecord(record: RowData, _output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    if (record.kind !== RowKind.INSERT) {
      throw new Error(
        "session window aggregation takes only insert-only input, but received an update or delete",
      );
    }
    const fields = record.fields;
    const rowtime = this.#spec.timeKind === "rowtime";
    const time = rowtime ? fields[this.#spec.timeIndex] : ctx.processingTimeManager.currentTime();
    if (typeof time !== "number") return;
    const state = ctx.stateManager.getState(this.#sessions);
    const sessions = state.value() ?? [];
    let merged: Session = {
      start: time,
      end: time + this.#gapMs,
      keys: this.#spec.groupKey.map((i) => fields[i] ?? null),
      group: this.#aggregates.create(),
    };
    this.#aggregates.apply(merged.group, fields, true);
    const kept: Session[] = [];
    for (const session of sessions) {
      if (session.start <= merged.end && session.end >= merged.start) {
        this.#deleteTimer(session.end, ctx);
        this.#aggregates.merge(session.group, merged.group.rows, merged.group.accs);
        session.start = Math.min(session.start, merged.start);
        session.end = Math.max(session.end, merged.end);
        merged = session;
      } else {
        kept.push(session);
      }
    }
    const watermark = rowtime
      ? (this.#eventTime?.currentTime() ?? Number.NEGATIVE_INFINITY)
      : Number.NEGATIVE_INFINITY;
    if (rowtime && merged.end - 1 <= watermark) return; // late, and it merged with nothing still open
    kept.push(merged);
    this.#registerTimer(merged.end, ctx);
    state.update(kept);
  }

  onEventTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(timestamp + 1, output, ctx);
  }

  onProcessingTimer(timestamp: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    this.#fire(timestamp, output, ctx);
  }

  endInput(ctx: NonPartitionedContext<RowData>): void {
    if (this.#spec.timeKind !== "proctime") return;
    ctx.applyToAllPartitions((output, partition) => {
      const sessions = partition.stateManager.getState(this.#sessions).value() ?? [];
      for (const end of sessions.map((s) => s.end).sort((a, b) => a - b)) this.#fire(end, output, partition);
    });
  }

  #registerTimer(end: number, ctx: PartitionedContext<RowData>): void {
    if (this.#spec.timeKind === "rowtime") this.#eventTime?.registerTimer(end - 1);
    else ctx.processingTimeManager.registerTimer(end);
  }

  #deleteTimer(end: number, ctx: PartitionedContext<RowData>): void {
    if (this.#spec.timeKind === "rowtime") this.#eventTime?.deleteTimer(end - 1);
    else ctx.processingTimeManager.deleteTimer(end);
  }

  #fire(end: number, output: Collector<RowData>, ctx: PartitionedContext<RowData>): void {
    const state = ctx.stateManager.getState(this.#sessions);
    const sessions = state.value();
    if (sessions === undefined) return;
    const remaining: Session[] = [];
    for (const session of sessions) {
      if (session.end !== end) {
        remaining.push(session);
        continue;
      }
      const row = this.#aggregates.resultRow(
        session.group,
        session.keys,
        session.keys.map((_, i) => i),
      );
      row.push(session.start, session.end, session.end - 1);
      output.collect({ kind: RowKind.INSERT, fields: row });
    }
    if (remaining.length === 0) state.clear();
    else state.update(remaining);
  }
}
