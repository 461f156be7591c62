/**
 * The event-time extension (FLIP-499), built on generalized watermarks: event time is one declared
 * numeric watermark (MIN over channels, waiting for all), plus a boolean idle-status watermark so
 * that an idle source stops holding event time back.
 *
 * - `newWatermarkGeneratorBuilder(extractor)` builds a process function that stamps each record with
 *   its event timestamp and emits event-time watermarks (bounded out-of-orderness, periodic or
 *   per-event) and idle status. At the end of a bounded input it emits event time +Infinity, so
 *   everything downstream completes.
 * - `wrapProcessFunction(fn)` gives a one- or two-input function event-time timers (keyed streams),
 *   the current event time and each record's timestamp.
 *
 * Watermark rule (as Flink's `BoundedOutOfOrdernessWatermarks`): after seeing a largest timestamp
 * `t`, the watermark is `t - maxOutOfOrderness - 1`, i.e. records with timestamps up to
 * `maxOutOfOrderness` behind the largest seen are still on time.
 *
 * Sequence for records with timestamps 5, 3, 9 and maxOutOfOrderness 2, per-event:
 * ```text
 * r(5) -> W(2)      r(3) (on time: 3 > 2)      r(9) -> W(6)      end of input -> W(+Infinity)
 * ```
 * @module
 */

import type { Collector, NonPartitionedContext, PartitionedContext } from "../contexts.ts";
import type {
  OneInputStreamProcessFunction,
  TwoInputNonBroadcastStreamProcessFunction,
  WatermarkHandling,
} from "../functions.ts";
import type { KeyValue } from "../key.ts";
import { type Watermark, WatermarkDeclarations } from "../watermark.ts";
import {
  type AlignmentHook,
  type EventTimeHook,
  type EventTimeManager,
  ExtensionHooks,
  type PeriodicHook,
} from "./extension-hooks.ts";

const EVENT_TIME_WATERMARK_DECLARATION = WatermarkDeclarations.numeric("BUILTIN_API_EVENT_TIME", {
  combine: "MIN",
  waitForAllChannels: true,
  defaultHandling: "FORWARD",
});

const IDLE_STATUS_WATERMARK_DECLARATION = WatermarkDeclarations.boolean("BUILTIN_API_EVENT_TIME_IDLE", {
  combine: "AND",
  waitForAllChannels: false,
  defaultHandling: "FORWARD",
});

/** Extracts the event timestamp (milliseconds since the epoch) of a record. @public */
export type EventTimeExtractor<T> = (record: T) => number;

/**
 * A one-input function with event-time services. Everything of a plain one-input function applies;
 * event-time watermarks are turned into `onEventTimeWatermark` calls instead of `onWatermark`.
 * @public
 */
export interface OneInputEventTimeStreamProcessFunction<IN, OUT, K extends KeyValue = KeyValue>
  extends OneInputStreamProcessFunction<IN, OUT, K> {
  /** Receives the event-time manager before the first record. */
  initEventTimeProcessFunction?(manager: EventTimeManager): void;
  /** Event time advanced to `timestamp` (after the event timers due by then fired). */
  onEventTimeWatermark?(timestamp: number, output: Collector<OUT>, ctx: NonPartitionedContext<OUT, K>): void;
  /** An event timer registered for the current key fired. Keyed streams only. */
  onEventTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /**
   * Holds back the event time announced downstream (Flink's watermark delay of time-bounded joins):
   * called with each new input event time, after the timers due by it fired and
   * `onEventTimeWatermark` ran; returns the event time to forward instead. Contract: the result is
   * at most `eventTime` (larger values are clamped to it); the runtime forwards it only when it is
   * larger than the last forwarded one, so output event time stays monotonic; `+Infinity` in must
   * give `+Infinity` out for downstream to complete at end of input. Event timers of this function
   * still fire at the input event time. Without this method the input event time is forwarded.
   *
   * Worked sequence, a join that may still emit rows up to 5 ms older than its input event time
   * (`outputEventTime: (t) => t - 5`):
   * ```text
   * input W(100) -> timers <= 100 fire, onEventTimeWatermark(100), downstream gets W(95)
   * input W(102) -> downstream gets W(97)
   * end of input W(+Infinity) -> downstream gets W(+Infinity)
   * ```
   */
  outputEventTime?(eventTime: number): number;
}

/**
 * A two-input (non-broadcast) function with event-time services. Event time is the minimum of the
 * two inputs' event times; event timers are per key on keyed inputs.
 * @public
 */
export interface TwoInputEventTimeStreamProcessFunction<IN1, IN2, OUT, K extends KeyValue = KeyValue>
  extends TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K> {
  /** Receives the event-time manager before the first record. */
  initEventTimeProcessFunction?(manager: EventTimeManager): void;
  /** Event time (the minimum over both inputs) advanced to `timestamp`. */
  onEventTimeWatermark?(timestamp: number, output: Collector<OUT>, ctx: NonPartitionedContext<OUT, K>): void;
  /** An event timer registered for the current key fired. Keyed streams only. */
  onEventTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /** Holds back the event time announced downstream; see `OneInputEventTimeStreamProcessFunction`. */
  outputEventTime?(eventTime: number): number;
}

/**
 * Builds a watermark generator.
 * @public
 */
export interface WatermarkGeneratorBuilder<T> {
  /** How far behind the largest timestamp seen a record may be and still be on time (default 0). */
  withMaxOutOfOrderTime(ms: number): WatermarkGeneratorBuilder<T>;
  /** Declares the input idle after `ms` of processing time without records (default: never). */
  withIdleness(ms: number): WatermarkGeneratorBuilder<T>;
  /**
   * Aligns this generator with every other generator of `group`: its input pauses while its
   * watermark is more than `maxDriftMs` ahead of the group's slowest member (checked every
   * `updateIntervalMs`, default 1000). Keeps fast sources from racing ahead of slow ones, which
   * would otherwise make downstream joins and windows buffer without bound.
   */
  withWatermarkAlignment(
    group: string,
    maxDriftMs: number,
    updateIntervalMs?: number,
  ): WatermarkGeneratorBuilder<T>;
  /** Emit the watermark every `intervalMs` of processing time, if it advanced (default, 200 ms). */
  periodicWatermark(intervalMs?: number): WatermarkGeneratorBuilder<T>;
  /** Emit the watermark after every record that advances it. */
  perEventWatermark(): WatermarkGeneratorBuilder<T>;
  /** Stamp timestamps only; emit no event-time watermarks (event time ends at end of input). */
  noWatermark(): WatermarkGeneratorBuilder<T>;
  /** The generator as a process function on the non-keyed stream it stamps. */
  buildAsProcessFunction(): OneInputStreamProcessFunction<T, T, never>;
}

type Emission =
  | { readonly mode: "periodic"; readonly intervalMs: number }
  | { readonly mode: "per-event" | "none" };

interface GeneratorSettings {
  readonly maxOutOfOrderness: number;
  readonly idlenessMs: number | undefined;
  readonly emission: Emission;
  readonly alignment:
    | { readonly group: string; readonly maxDriftMs: number; readonly updateIntervalMs: number }
    | undefined;
}

function checkDuration(what: string, ms: number, allowZero: boolean): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || (!allowZero && ms === 0)) {
    throw new RangeError(
      `${what} must be a ${allowZero ? "non-negative" : "positive"} number of milliseconds, got ${String(ms)}`,
    );
  }
  return ms;
}

function builder<T>(
  extractor: EventTimeExtractor<T>,
  settings: GeneratorSettings,
): WatermarkGeneratorBuilder<T> {
  return {
    withMaxOutOfOrderTime: (ms) =>
      builder(extractor, {
        ...settings,
        maxOutOfOrderness: checkDuration("withMaxOutOfOrderTime", ms, true),
      }),
    withIdleness: (ms) =>
      builder(extractor, { ...settings, idlenessMs: checkDuration("withIdleness", ms, false) }),
    withWatermarkAlignment: (group, maxDriftMs, updateIntervalMs = 1000) => {
      if (typeof group !== "string" || group.length === 0) {
        throw new TypeError(
          `withWatermarkAlignment needs a non-empty group name, got ${JSON.stringify(group)}`,
        );
      }
      return builder(extractor, {
        ...settings,
        alignment: {
          group,
          maxDriftMs: checkDuration("withWatermarkAlignment maxDriftMs", maxDriftMs, true),
          updateIntervalMs: checkDuration("withWatermarkAlignment updateIntervalMs", updateIntervalMs, false),
        },
      });
    },
    periodicWatermark: (intervalMs = 200) =>
      builder(extractor, {
        ...settings,
        emission: { mode: "periodic", intervalMs: checkDuration("periodicWatermark", intervalMs, false) },
      }),
    perEventWatermark: () => builder(extractor, { ...settings, emission: { mode: "per-event" } }),
    noWatermark: () => builder(extractor, { ...settings, emission: { mode: "none" } }),
    buildAsProcessFunction: () => generatorFunction(extractor, settings),
  };
}

/** The generator: stamps records, tracks the largest timestamp, emits event time and idle status. */
function generatorFunction<T>(
  extractor: EventTimeExtractor<T>,
  settings: GeneratorSettings,
): OneInputStreamProcessFunction<T, T, never> {
  const { maxOutOfOrderness, idlenessMs, emission, alignment } = settings;
  // One function object serves one subtask (every worker rebuilds the graph), so plain fields are
  // per-subtask state. Generator progress is not checkpointed; it rebuilds from the data (as Flink).
  let maxTimestamp = Number.NEGATIVE_INFINITY;
  let emitted = Number.NEGATIVE_INFINITY;
  let idle = false;
  /** Processing time of the last record; idleness is measured from the first check otherwise. */
  let lastRecordAt: number | undefined;

  const current = () => maxTimestamp - maxOutOfOrderness - 1;
  const emitIfAdvanced = (ctx: NonPartitionedContext<unknown>) => {
    const watermark = current();
    if (watermark > emitted) {
      emitted = watermark;
      ctx.watermarkManager.emitWatermark(EVENT_TIME_WATERMARK_DECLARATION.newWatermark(watermark));
    }
  };
  const checkInterval =
    emission.mode === "periodic"
      ? Math.min(emission.intervalMs, idlenessMs ?? Number.POSITIVE_INFINITY)
      : idlenessMs;

  const fn: OneInputStreamProcessFunction<T, T, never> & {
    [ExtensionHooks.periodic]?: PeriodicHook;
    [ExtensionHooks.alignment]?: AlignmentHook;
  } = {
    declareWatermarks: () => [EVENT_TIME_WATERMARK_DECLARATION, IDLE_STATUS_WATERMARK_DECLARATION],
    processRecord(record, output, ctx) {
      const timestamp = extractor(record);
      if (typeof timestamp !== "number" || Number.isNaN(timestamp)) {
        throw new TypeError(
          `the timestamp extractor returned ${String(timestamp)}, expected milliseconds since the epoch`,
        );
      }
      const np = ctx.nonPartitionedContext;
      if (idle) {
        idle = false;
        np.watermarkManager.emitWatermark(IDLE_STATUS_WATERMARK_DECLARATION.newWatermark(false));
      }
      // Reading the clock costs; only idleness needs it.
      if (idlenessMs !== undefined) lastRecordAt = ctx.processingTimeManager.currentTime();
      if (timestamp > maxTimestamp) maxTimestamp = timestamp;
      output.collectAndOverwriteTimestamp(record, timestamp);
      if (emission.mode === "per-event") emitIfAdvanced(np as NonPartitionedContext<unknown>);
    },
    onWatermark(watermark: Watermark): WatermarkHandling {
      // This generator defines event time from here on: upstream event time and idleness are dropped.
      const own =
        watermark.identifier === EVENT_TIME_WATERMARK_DECLARATION.identifier ||
        watermark.identifier === IDLE_STATUS_WATERMARK_DECLARATION.identifier;
      return own ? "POLL" : "PEEK";
    },
    endInput(ctx) {
      emitted = Number.POSITIVE_INFINITY;
      ctx.watermarkManager.emitWatermark(
        EVENT_TIME_WATERMARK_DECLARATION.newWatermark(Number.POSITIVE_INFINITY),
      );
    },
  };
  if (alignment !== undefined) {
    fn[ExtensionHooks.alignment] = {
      ...alignment,
      // The watermark this generator stands at, emitted or not: what the group must wait for.
      currentWatermark: () => (emitted === Number.POSITIVE_INFINITY ? emitted : current()),
    };
  }
  if (checkInterval !== undefined) {
    fn[ExtensionHooks.periodic] = {
      intervalMs: checkInterval,
      onPeriodic(now, ctx) {
        if (emission.mode === "periodic") emitIfAdvanced(ctx);
        lastRecordAt ??= now;
        if (idlenessMs !== undefined && !idle && now - lastRecordAt >= idlenessMs) {
          idle = true;
          ctx.watermarkManager.emitWatermark(IDLE_STATUS_WATERMARK_DECLARATION.newWatermark(true));
        }
      },
    };
  }
  return fn;
}

/** The hook through which the runtime drives an event-time function's timers and event time. */
function eventTimeHook<OUT, K extends KeyValue>(fn: {
  initEventTimeProcessFunction?(manager: EventTimeManager): void;
  outputEventTime?(eventTime: number): number;
  onEventTimeWatermark?(timestamp: number, output: Collector<OUT>, ctx: NonPartitionedContext<OUT, K>): void;
  onEventTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
}): EventTimeHook {
  const hook: EventTimeHook = {
    init: (manager) => fn.initEventTimeProcessFunction?.(manager),
    onEventTimer: (timestamp, output, ctx) =>
      fn.onEventTimer?.(timestamp, output as Collector<OUT>, ctx as unknown as PartitionedContext<OUT, K>),
    onEventTimeWatermark: (timestamp, output, ctx) =>
      fn.onEventTimeWatermark?.(
        timestamp,
        output as Collector<OUT>,
        ctx as unknown as NonPartitionedContext<OUT, K>,
      ),
  };
  // Only functions that hold event time back get the hook: the runtime's plain path stays as it is.
  if (typeof fn.outputEventTime === "function") {
    const outputEventTime = fn.outputEventTime.bind(fn);
    return { ...hook, outputEventTime };
  }
  return hook;
}

const isEventTime = (watermark: Watermark) =>
  watermark.identifier === EVENT_TIME_WATERMARK_DECLARATION.identifier;

/**
 * Gives a function event-time timers and the current event time. Event-time watermarks reach it
 * as `onEventTimeWatermark` (after the timers they make due), never as `onWatermark`.
 */
function wrapProcessFunction<IN, OUT, K extends KeyValue>(
  fn: OneInputEventTimeStreamProcessFunction<IN, OUT, K>,
): OneInputStreamProcessFunction<IN, OUT, K>;
function wrapProcessFunction<IN1, IN2, OUT, K extends KeyValue>(
  fn: TwoInputEventTimeStreamProcessFunction<IN1, IN2, OUT, K>,
): TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K>;
function wrapProcessFunction(
  fn:
    | OneInputEventTimeStreamProcessFunction<unknown, unknown>
    | TwoInputEventTimeStreamProcessFunction<unknown, unknown, unknown>,
): object {
  if (fn === null || typeof fn !== "object")
    throw new TypeError("wrapProcessFunction expects a process function");
  const common = {
    [ExtensionHooks.eventTime]: eventTimeHook(fn),
    usesStates: () => fn.usesStates?.() ?? [],
    declareWatermarks: () => fn.declareWatermarks?.() ?? [],
    open: (ctx: NonPartitionedContext<never>) => fn.open?.(ctx),
    close: () => fn.close?.(),
    onProcessingTimer: (timestamp: number, output: Collector<unknown>, ctx: PartitionedContext<unknown>) =>
      fn.onProcessingTimer?.(timestamp, output, ctx),
  };
  if ("processRecordFromFirstInput" in fn && typeof fn.processRecordFromFirstInput === "function") {
    const two = fn as TwoInputEventTimeStreamProcessFunction<unknown, unknown, unknown>;
    const wrapped: TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown> = {
      ...common,
      processRecordFromFirstInput: (record, output, ctx) =>
        two.processRecordFromFirstInput(record, output, ctx),
      processRecordFromSecondInput: (record, output, ctx) =>
        two.processRecordFromSecondInput(record, output, ctx),
      endFirstInput: (ctx) => two.endFirstInput?.(ctx),
      endSecondInput: (ctx) => two.endSecondInput?.(ctx),
      onWatermarkFromFirstInput: (watermark, output, ctx) =>
        isEventTime(watermark) ? "PEEK" : two.onWatermarkFromFirstInput?.(watermark, output, ctx),
      onWatermarkFromSecondInput: (watermark, output, ctx) =>
        isEventTime(watermark) ? "PEEK" : two.onWatermarkFromSecondInput?.(watermark, output, ctx),
    };
    return wrapped;
  }
  const one = fn as OneInputEventTimeStreamProcessFunction<unknown, unknown>;
  if (typeof one.processRecord !== "function") {
    throw new TypeError(
      "wrapProcessFunction expects a process function with processRecord() (or the two-input pair)",
    );
  }
  const wrapped: OneInputStreamProcessFunction<unknown, unknown> = {
    ...common,
    processRecord: (record, output, ctx) => one.processRecord(record, output, ctx),
    endInput: (ctx) => one.endInput?.(ctx),
    onWatermark: (watermark, output, ctx) =>
      isEventTime(watermark) ? "PEEK" : one.onWatermark?.(watermark, output, ctx),
  };
  return wrapped;
}

/**
 * Entry point of the event-time extension.
 *
 * @example
 * ```ts
 * const stamped = clicks.process(
 *   EventTimeExtension.newWatermarkGeneratorBuilder((c: Click) => c.at)
 *     .withMaxOutOfOrderTime(5_000)
 *     .withIdleness(30_000)
 *     .periodicWatermark(200)
 *     .buildAsProcessFunction(),
 * );
 * stamped.keyBy((c) => c.user).process(EventTimeExtension.wrapProcessFunction(sessionizer));
 * ```
 * @public
 */
export const EventTimeExtension = {
  /** The event-time watermark: numeric, MIN, waits for all channels, forwarded. */
  EVENT_TIME_WATERMARK_DECLARATION,
  /** The idle-status watermark: boolean, AND; an input counts as active until it says otherwise. */
  IDLE_STATUS_WATERMARK_DECLARATION,
  /** True for event-time watermarks. */
  isEventTimeWatermark(watermark: Watermark): boolean {
    return watermark.identifier === EVENT_TIME_WATERMARK_DECLARATION.identifier;
  },
  /** True for idle-status watermarks. */
  isIdleStatusWatermark(watermark: Watermark): boolean {
    return watermark.identifier === IDLE_STATUS_WATERMARK_DECLARATION.identifier;
  },
  /** Starts a watermark generator that takes each record's timestamp from `extractor`. */
  newWatermarkGeneratorBuilder<T>(extractor: EventTimeExtractor<T>): WatermarkGeneratorBuilder<T> {
    if (typeof extractor !== "function")
      throw new TypeError("newWatermarkGeneratorBuilder expects a timestamp extractor function");
    return builder(extractor, {
      maxOutOfOrderness: 0,
      idlenessMs: undefined,
      emission: { mode: "periodic", intervalMs: 200 },
      alignment: undefined,
    });
  },
  /** Gives `fn` event-time timers and the current event time. */
  wrapProcessFunction,
} as const;
