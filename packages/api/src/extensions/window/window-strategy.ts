/**
 * Window strategies (FLIP-501 `WindowStrategy`): which windows a record belongs to and on which
 * clock they fire. Tumbling and sliding windows are aligned to the epoch (plus an offset), session
 * windows grow and merge per key, the global window fires once at end of input.
 *
 * Invariant: a strategy is a frozen, validated value. Sizes, slides, gaps and offsets are integer
 * milliseconds, sizes are positive, `|offset|` is below the size (tumbling) or the slide (sliding),
 * and allowed lateness is only accepted for event time, where it means something.
 * @module
 */

/**
 * The clock a window strategy runs on: the records' event time (driven by event-time watermarks)
 * or the wall clock of the task.
 *
 * @example
 * ```ts
 * const timeType: TimeType = "PROCESSING";
 * WindowStrategy.tumbling(60_000, { timeType });
 * ```
 * @public
 */
export type TimeType = "EVENT" | "PROCESSING";

/**
 * Options of tumbling and sliding windows.
 *
 * @example
 * ```ts
 * const options: AlignedWindowOptions = { timeType: "EVENT", allowedLatenessMs: 5_000, offsetMs: 0 };
 * ```
 * @public
 */
export interface AlignedWindowOptions {
  /** Default `"EVENT"`. */
  readonly timeType?: TimeType | undefined;
  /**
   * Event time only (default 0): how long after a window fired its state is kept, so that a late
   * record still updates it and fires it again. Records later than that are late records.
   */
  readonly allowedLatenessMs?: number | undefined;
  /**
   * Shifts window starts from multiples of the size (or slide) by this much, e.g. `-8 * 3_600_000`
   * for days in UTC+8. Default 0; `|offsetMs|` must be below the size (tumbling) or slide (sliding).
   */
  readonly offsetMs?: number | undefined;
}

/**
 * Options of session windows.
 *
 * @example
 * ```ts
 * const options: SessionWindowOptions = { timeType: "EVENT", allowedLatenessMs: 1_000 };
 * ```
 * @public
 */
export interface SessionWindowOptions {
  /** Default `"EVENT"`. */
  readonly timeType?: TimeType | undefined;
  /** Event time only (default 0); as for {@link AlignedWindowOptions.allowedLatenessMs}. */
  readonly allowedLatenessMs?: number | undefined;
}

/**
 * Fixed-size, non-overlapping windows `[start, start + sizeMs)` with `start ≡ offsetMs (mod sizeMs)`.
 *
 * @example
 * ```ts
 * const minutes: TumblingWindowStrategy = WindowStrategy.tumbling(60_000);
 * ```
 * @public
 */
export interface TumblingWindowStrategy {
  readonly kind: "tumbling";
  readonly sizeMs: number;
  readonly offsetMs: number;
  readonly timeType: TimeType;
  readonly allowedLatenessMs: number;
}

/**
 * Fixed-size windows starting every `slideMs` (`start ≡ offsetMs (mod slideMs)`); a record belongs
 * to every window that contains its timestamp (`sizeMs / slideMs` of them when the slide divides
 * the size).
 *
 * @example
 * ```ts
 * const lastMinuteEveryTenSeconds: SlidingWindowStrategy = WindowStrategy.sliding(60_000, 10_000);
 * ```
 * @public
 */
export interface SlidingWindowStrategy {
  readonly kind: "sliding";
  readonly sizeMs: number;
  readonly slideMs: number;
  readonly offsetMs: number;
  readonly timeType: TimeType;
  readonly allowedLatenessMs: number;
}

/**
 * Per-key windows that grow while records keep coming: a record at `t` opens `[t, t + gapMs)`, and
 * windows of one key that overlap are merged into one session (records less than `gapMs` apart
 * share a session; a record exactly `gapMs` after the last one starts a new one).
 *
 * @example
 * ```ts
 * const visits: SessionWindowStrategy = WindowStrategy.session(30 * 60_000);
 * ```
 * @public
 */
export interface SessionWindowStrategy {
  readonly kind: "session";
  readonly gapMs: number;
  readonly timeType: TimeType;
  readonly allowedLatenessMs: number;
}

/**
 * One window per key (or per subtask on non-keyed streams) holding every record; it fires once,
 * at end of input. On an unbounded input it never fires.
 *
 * @example
 * ```ts
 * const everything: GlobalWindowStrategy = WindowStrategy.global();
 * ```
 * @public
 */
export interface GlobalWindowStrategy {
  readonly kind: "global";
}

/**
 * Any window strategy; build one with the {@link WindowStrategy} factories.
 *
 * @example
 * ```ts
 * const strategy: WindowStrategy = WindowStrategy.session(10_000, { timeType: "PROCESSING" });
 * ```
 * @public
 */
export type WindowStrategy =
  | TumblingWindowStrategy
  | SlidingWindowStrategy
  | SessionWindowStrategy
  | GlobalWindowStrategy;

function checkPositive(what: string, ms: number): number {
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new RangeError(`${what} must be a positive integer number of milliseconds, got ${String(ms)}`);
  }
  return ms;
}

function checkTimeType(timeType: TimeType | undefined): TimeType {
  if (timeType === undefined) return "EVENT";
  if (timeType !== "EVENT" && timeType !== "PROCESSING") {
    throw new TypeError(`timeType must be "EVENT" or "PROCESSING", got ${JSON.stringify(timeType)}`);
  }
  return timeType;
}

function checkLateness(timeType: TimeType, ms: number | undefined): number {
  if (ms === undefined) return 0;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(
      `allowedLatenessMs must be a non-negative integer number of milliseconds, got ${String(ms)}`,
    );
  }
  if (ms > 0 && timeType === "PROCESSING") {
    throw new RangeError(
      "allowedLatenessMs applies to event-time windows only (processing time is never late)",
    );
  }
  return ms;
}

function checkOffset(ms: number | undefined, bound: number, boundName: string): number {
  if (ms === undefined) return 0;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || Math.abs(ms) >= bound) {
    throw new RangeError(
      `offsetMs must be an integer number of milliseconds with |offsetMs| < ${boundName} (${bound}), got ${String(ms)}`,
    );
  }
  // -0 and 0 are the same offset; keep the value plain.
  return ms === 0 ? 0 : ms;
}

const GLOBAL: GlobalWindowStrategy = Object.freeze({ kind: "global" });

/**
 * Factories for window strategies, mirroring Flink 2.0's `WindowStrategy`.
 *
 * @example
 * ```ts
 * WindowStrategy.tumbling(60_000);                                   // event-time minutes
 * WindowStrategy.tumbling(60_000, { allowedLatenessMs: 10_000 });    // ... updated for 10 s more
 * WindowStrategy.sliding(60_000, 10_000, { timeType: "PROCESSING" }); // wall-clock, every 10 s
 * WindowStrategy.session(30 * 60_000);                               // 30-minute inactivity gap
 * WindowStrategy.global();                                           // everything, at end of input
 * ```
 * @public
 */
export const WindowStrategy = {
  /** Fixed-size, non-overlapping windows of `sizeMs`. */
  tumbling(sizeMs: number, options: AlignedWindowOptions = {}): TumblingWindowStrategy {
    const size = checkPositive("tumbling window size", sizeMs);
    const timeType = checkTimeType(options.timeType);
    return Object.freeze({
      kind: "tumbling",
      sizeMs: size,
      offsetMs: checkOffset(options.offsetMs, size, "the size"),
      timeType,
      allowedLatenessMs: checkLateness(timeType, options.allowedLatenessMs),
    });
  },
  /** Windows of `sizeMs` starting every `slideMs`. */
  sliding(sizeMs: number, slideMs: number, options: AlignedWindowOptions = {}): SlidingWindowStrategy {
    const size = checkPositive("sliding window size", sizeMs);
    const slide = checkPositive("sliding window slide", slideMs);
    const timeType = checkTimeType(options.timeType);
    return Object.freeze({
      kind: "sliding",
      sizeMs: size,
      slideMs: slide,
      offsetMs: checkOffset(options.offsetMs, slide, "the slide"),
      timeType,
      allowedLatenessMs: checkLateness(timeType, options.allowedLatenessMs),
    });
  },
  /** Per-key sessions that close after `gapMs` without records. */
  session(gapMs: number, options: SessionWindowOptions = {}): SessionWindowStrategy {
    const gap = checkPositive("session gap", gapMs);
    const timeType = checkTimeType(options.timeType);
    return Object.freeze({
      kind: "session",
      gapMs: gap,
      timeType,
      allowedLatenessMs: checkLateness(timeType, options.allowedLatenessMs),
    });
  },
  /** One window per key that fires at end of input. */
  global(): GlobalWindowStrategy {
    return GLOBAL;
  },
} as const;
