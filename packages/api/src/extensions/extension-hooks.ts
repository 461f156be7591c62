/**
 * The narrow contract between built-in extensions and the runtime. Extensions are built from the
 * primitives, but two services cannot be expressed with them: a periodic callback on a non-keyed
 * stream (watermark generators must emit even when no record arrives) and event-time timers (kept
 * per key and fired as event time advances). A process function asks for them by carrying one of
 * these symbol-keyed hooks; every Weir runtime implements them. User code does not need them.
 * Watermark alignment also needs coordination across subtasks, which only the runtime has.
 * @module
 */

import type { Collector, NonPartitionedContext, PartitionedContext } from "../contexts.ts";
import type { KeyValue } from "../key.ts";

/** Symbols under which a process function carries extension hooks. @public */
export const ExtensionHooks = {
  /** {@link PeriodicHook}: called every `intervalMs` of processing time while the task runs. */
  periodic: Symbol.for("weir.extension.periodic"),
  /** {@link EventTimeHook}: per-key event-time timers driven by the event-time watermark. */
  eventTime: Symbol.for("weir.extension.event-time"),
  /** {@link AlignmentHook}: pause this subtask while its watermark runs ahead of its group. */
  alignment: Symbol.for("weir.extension.watermark-alignment"),
} as const;

/** A periodic callback on the function's subtask. @public */
export interface PeriodicHook {
  readonly intervalMs: number;
  onPeriodic(now: number, ctx: NonPartitionedContext<unknown>): void;
}

/**
 * Event-time services the runtime gives a function on a keyed stream.
 * @public
 */
export interface EventTimeManager {
  /** Fires `onEventTimer(timestamp)` for the current key once event time reaches `timestamp`. */
  registerTimer(timestamp: number): void;
  /** Removes the current key's event timer at `timestamp`, if any. */
  deleteTimer(timestamp: number): void;
  /** The current event time: the last event-time watermark (`-Infinity` before the first). */
  currentTime(): number;
  /** Event timestamp of the record being processed (`-Infinity` when it has none). */
  recordTimestamp(): number;
}

/** What the runtime calls on a function that carries the event-time hook. @public */
export interface EventTimeHook {
  /** Called once before the first record, with the manager bound to the operator. */
  init(manager: EventTimeManager): void;
  /** An event timer fired; the key it was registered for is current. */
  onEventTimer(
    timestamp: number,
    output: Collector<unknown>,
    ctx: PartitionedContext<unknown, KeyValue>,
  ): void;
  /** Event time advanced to `timestamp`, after the timers due by then fired. */
  onEventTimeWatermark?(
    timestamp: number,
    output: Collector<unknown>,
    ctx: NonPartitionedContext<unknown>,
  ): void;
  /**
   * The event time to forward downstream for input event time `eventTime` (at most `eventTime`);
   * absent: forward the input event time. See `OneInputEventTimeStreamProcessFunction.outputEventTime`.
   */
  outputEventTime?(eventTime: number): number;
}

/**
 * Watermark alignment (Flink's `withWatermarkAlignment`): every subtask carrying this hook reports
 * its current watermark to the coordinator every `updateIntervalMs`; the coordinator announces to
 * the group the largest watermark allowed, `min over the group + maxDriftMs`; a subtask whose
 * watermark is above it pauses its input (so its source stops reading) until the group catches up.
 * @public
 */
export interface AlignmentHook {
  readonly group: string;
  readonly maxDriftMs: number;
  readonly updateIntervalMs: number;
  /** This subtask's current watermark (`-Infinity` before the first, `+Infinity` at the end). */
  currentWatermark(): number;
}
