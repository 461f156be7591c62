/**
 * Early and late firing of a window aggregation (Flink's WindowEmitStrategy with the
 * `AfterEndOfWindow` trigger and its early / late sub-triggers): decides, per window ("pane"), when
 * a row makes it fire, when a processing-time firing is due, and turns a firing into changelog rows.
 *
 * Invariants:
 * - Without a strategy every firing is one insert, and a window fires once (when it closes).
 * - With one, a window's first output is +I, later ones -U(previous)/+U(new) (+U alone for an
 *   upsert consumer), and a firing whose result equals the previous one emits nothing.
 * - A delayed firing is armed by the first row after the last firing and fires `delay` of
 *   processing time later (Flink's `ProcessingTimeTriggers.every`); delay 0 fires on every row.
 * - Event time: a window keeps its state until the watermark passes `end - 1 + allowLateness`;
 *   rows later than that are dropped, as Flink drops them.
 *
 * Worked sequence, early delay 100 ms, COUNT(*) per window:
 * ```text
 * clock 0:   row -> pane armed for 100     clock 50: row (already armed)
 * clock 100: fires -> +I[2]                clock 120: row -> armed for 220
 * clock 220: fires -> -U[2] +U[3]          watermark passes end - 1: fires, unchanged -> nothing
 * ```
 * @module
 */

import type { Collector, PartitionedContext } from "@weir/api";
import { type Row, type RowData, RowKind } from "../../data/row.ts";
import { rowsEqual } from "../value-equality.ts";
import type { WindowEmitStrategy, WindowTimeKind } from "./window-specs.ts";

/** What a window remembers for emitting (plain data, so it lives in the window's state). */
export interface PaneEmitState {
  /** The result emitted last, or null before the first (only kept when emitting updates). */
  previous: Row | null;
  /** The window has closed (its on-time firing happened); rows now are late. */
  closed: boolean;
  /** Processing time of the armed early / late firing, or null. */
  pendingAt: number | null;
}

export function newPane(): PaneEmitState {
  return { previous: null, closed: false, pendingAt: null };
}

export class WindowEmitter {
  readonly #emit: WindowEmitStrategy | undefined;
  readonly #rowtime: boolean;
  /** True when the aggregation emits updates rather than one insert per window. */
  readonly updates: boolean;
  /** How long after `end - 1` an event-time window keeps its state (0: freed when it closes). */
  readonly allowLatenessMs: number;

  constructor(emit: WindowEmitStrategy | undefined, timeKind: WindowTimeKind) {
    this.#emit = emit;
    this.#rowtime = timeKind === "rowtime";
    this.allowLatenessMs = this.#rowtime && emit?.lateFireDelayMs != null ? emit.allowLatenessMs : 0;
    this.updates =
      emit !== undefined &&
      (emit.earlyFireDelayMs !== null || (this.#rowtime && emit.lateFireDelayMs !== null));
  }

  /** Event time: true when a row at watermark `watermark` is too late for the window ending at `end`. */
  isLate(end: number, watermark: number): boolean {
    return end - 1 + this.allowLatenessMs <= watermark;
  }

  /**
   * A row was added to `pane`: true when the pane must fire now; arms a delayed firing (and its
   * processing timer) when the strategy says so.
   */
  onRow(pane: PaneEmitState, ctx: PartitionedContext<RowData>): boolean {
    const emit = this.#emit;
    if (emit === undefined) return false;
    const delay = pane.closed ? emit.lateFireDelayMs : emit.earlyFireDelayMs;
    if (delay === null) return false;
    if (delay === 0) return true;
    if (pane.pendingAt === null) {
      pane.pendingAt = ctx.processingTimeManager.currentTime() + delay;
      ctx.processingTimeManager.registerTimer(pane.pendingAt);
    }
    return false;
  }

  /** True when `pane` has a delayed firing due at processing time `timestamp` (and disarms it). */
  takeDue(pane: PaneEmitState, timestamp: number): boolean {
    if (pane.pendingAt === null || pane.pendingAt > timestamp) return false;
    pane.pendingAt = null;
    return true;
  }

  /** The window closed (on-time firing): later rows are late, an armed early firing is dropped. */
  close(pane: PaneEmitState): void {
    pane.closed = true;
    pane.pendingAt = null;
  }

  /** Emits `result` for `pane`: an insert, or an update of what it emitted before (if changed). */
  fire(pane: PaneEmitState, result: Row, output: Collector<RowData>): void {
    if (!this.updates) {
      output.collect({ kind: RowKind.INSERT, fields: result });
      return;
    }
    const previous = pane.previous;
    pane.previous = result;
    if (previous === null) {
      output.collect({ kind: RowKind.INSERT, fields: result });
      return;
    }
    if (rowsEqual(previous, result)) return;
    if (this.#emit!.generateUpdateBefore) output.collect({ kind: RowKind.UPDATE_BEFORE, fields: previous });
    output.collect({ kind: RowKind.UPDATE_AFTER, fields: result });
  }
}
