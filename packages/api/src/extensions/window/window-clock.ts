/**
 * The clock a keyed window runs on, and the process function that drives a window implementation
 * with it. Event time comes from the event-time extension (record timestamps, event-time
 * watermarks, event timers through `EventTimeExtension.wrapProcessFunction`); processing time from
 * the primitive `ProcessingTimeManager` (the wall clock and processing-time timers).
 *
 * Invariants: a window implementation never asks which clock it runs on except through
 * `clock.eventTime` (lateness exists only in event time); every timer a window registers comes back
 * as `onTimer` with the key it was registered for; when the input ends every key that still has
 * window state is flushed once (event time would reach +Infinity there anyway; processing-time
 * timers are dropped by the runtime at end of input, so open processing-time windows fire early).
 * @module
 */

import type { Collector, PartitionedContext } from "../../contexts.ts";
import type { OneInputStreamProcessFunction } from "../../functions.ts";
import type { KeyValue } from "../../key.ts";
import type { StateDeclaration } from "../../state.ts";
import { EventTimeExtension } from "../event-time.ts";
import type { EventTimeManager } from "../extension-hooks.ts";
import type { TimeType } from "./window-strategy.ts";

/**
 * Time services of a keyed window.
 *
 * @example
 * ```ts
 * const now = clock.now(ctx);
 * if (clock.eventTime && windowEnd - 1 <= now) fireNow(); else clock.registerTimer(ctx, windowEnd - 1);
 * ```
 * @public
 */
export interface WindowClock {
  /** True for event time; lateness and late records exist only then. */
  readonly eventTime: boolean;
  /** The time that places the current record in windows: its event timestamp, or the wall clock. */
  recordTime(ctx: PartitionedContext<unknown, KeyValue>): number;
  /** The current event time (last event-time watermark) or processing time. */
  now(ctx: PartitionedContext<unknown, KeyValue>): number;
  /** A timer for the current key at `timestamp`, delivered to `onTimer`. */
  registerTimer(ctx: PartitionedContext<unknown, KeyValue>, timestamp: number): void;
  /** Removes the current key's timer at `timestamp`, if any. */
  deleteTimer(ctx: PartitionedContext<unknown, KeyValue>, timestamp: number): void;
}

/**
 * A keyed window implementation, independent of the clock it runs on.
 *
 * @example
 * ```ts
 * const fn = keyedWindowFunction(alignedWindows(strategy, contents, undefined), strategy.timeType);
 * ```
 * @public
 */
export interface KeyedWindowLogic<IN, OUT, K extends KeyValue> {
  /** The keyed state the windows keep. */
  readonly states: readonly StateDeclaration[];
  /** A record arrived for the current key. */
  onRecord(record: IN, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>, clock: WindowClock): void;
  /** A timer registered through the clock fired for the current key. */
  onTimer(
    timestamp: number,
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
    clock: WindowClock,
  ): void;
  /** The input ended: fire what has not fired yet and clear the current key's windows. */
  flush(output: Collector<OUT>, ctx: PartitionedContext<OUT, K>, clock: WindowClock): void;
}

const PROCESSING_CLOCK: WindowClock = Object.freeze({
  eventTime: false,
  recordTime: (ctx: PartitionedContext<unknown, KeyValue>) => ctx.processingTimeManager.currentTime(),
  now: (ctx: PartitionedContext<unknown, KeyValue>) => ctx.processingTimeManager.currentTime(),
  registerTimer: (ctx: PartitionedContext<unknown, KeyValue>, timestamp: number) =>
    ctx.processingTimeManager.registerTimer(timestamp),
  deleteTimer: (ctx: PartitionedContext<unknown, KeyValue>, timestamp: number) =>
    ctx.processingTimeManager.deleteTimer(timestamp),
});

/** An event-time clock reading the manager the event-time extension hands the function at open. */
class EventClock implements WindowClock {
  readonly eventTime = true;
  manager: EventTimeManager | undefined;

  recordTime(): number {
    const timestamp = this.manager!.recordTimestamp();
    if (!Number.isFinite(timestamp)) {
      throw new TypeError(
        `event-time windows need records with finite event timestamps, got ${String(timestamp)}; ` +
          "stamp them with EventTimeExtension.newWatermarkGeneratorBuilder(...).buildAsProcessFunction() before keyBy",
      );
    }
    return timestamp;
  }

  now(): number {
    return this.manager!.currentTime();
  }

  registerTimer(_ctx: PartitionedContext<unknown, KeyValue>, timestamp: number): void {
    this.manager!.registerTimer(timestamp);
  }

  deleteTimer(_ctx: PartitionedContext<unknown, KeyValue>, timestamp: number): void {
    this.manager!.deleteTimer(timestamp);
  }
}

/**
 * The process function that runs `logic` on event time (wrapped by the event-time extension) or on
 * processing time. A fresh function object per call: each parallel instance builds its own.
 *
 * @example
 * ```ts
 * keyed.process(keyedWindowFunction(sessionWindows(strategy, contents, undefined), "EVENT"));
 * ```
 * @public
 */
export function keyedWindowFunction<IN, OUT, K extends KeyValue>(
  logic: KeyedWindowLogic<IN, OUT, K>,
  timeType: TimeType,
): OneInputStreamProcessFunction<IN, OUT, K> {
  if (timeType === "PROCESSING") {
    const clock = PROCESSING_CLOCK;
    return {
      usesStates: () => logic.states,
      processRecord: (record, output, ctx) => logic.onRecord(record, output, ctx, clock),
      onProcessingTimer: (timestamp, output, ctx) => logic.onTimer(timestamp, output, ctx, clock),
      endInput: (ctx) =>
        ctx.applyToAllPartitions((output, partition) => logic.flush(output, partition, clock)),
    };
  }
  const clock = new EventClock();
  return EventTimeExtension.wrapProcessFunction<IN, OUT, K>({
    usesStates: () => logic.states,
    initEventTimeProcessFunction(manager) {
      clock.manager = manager;
    },
    processRecord: (record, output, ctx) => logic.onRecord(record, output, ctx, clock),
    onEventTimer: (timestamp, output, ctx) => logic.onTimer(timestamp, output, ctx, clock),
    endInput: (ctx) => ctx.applyToAllPartitions((output, partition) => logic.flush(output, partition, clock)),
  });
}
