/**
 * Generalized watermarks (FLIP-467): user-declared, typed signals that flow through the job in
 * order with records, are combined by the framework across input channels and parallel instances,
 * and are seen by process functions. Event time is one such watermark (see `EventTimeExtension`).
 *
 * Contract:
 * - Every watermark a function or source emits must be declared (`declareWatermarks()`); one
 *   identifier has one declaration per job.
 * - Watermarks travel on the same channels as records, so a receiver sees a watermark after every
 *   record its sender emitted before it.
 * - A receiver combines, per identifier, the latest value of each input channel with the declared
 *   combine function (MIN/MAX for numbers, AND/OR for booleans). With `waitForAllChannels` nothing is
 *   combined until every channel has reported. A channel that has ended stops taking part.
 * - The function sees the combined value (only when it changes) in `onWatermark`. Returning `PEEK`
 *   (the default) lets the framework apply the declared default handling — FORWARD sends the
 *   combined value on downstream, IGNORE drops it; returning `POLL` means the function handles it
 *   and emits what it wants through `ctx.watermarkManager`.
 *
 * Sequence at a receiver with two channels, MIN, waitForAllChannels, over
 * `ch0: W(5)  ch1: W(3)  ch0: W(9)  ch1: W(7)`:
 * ```text
 * ch0 W(5)  -> nothing (ch1 has not reported)
 * ch1 W(3)  -> onWatermark(3)
 * ch0 W(9)  -> nothing (min is still 3)
 * ch1 W(7)  -> onWatermark(7)
 * ```
 * @module
 */

/** How a numeric watermark is combined across channels. @public */
export type NumericCombine = "MIN" | "MAX";
/** How a boolean watermark is combined across channels. @public */
export type BooleanCombine = "AND" | "OR";
/** What the framework does with a watermark a function did not POLL. @public */
export type DefaultWatermarkHandling = "FORWARD" | "IGNORE";

/** A numeric watermark value. @public */
export interface NumericWatermark {
  readonly kind: "numeric";
  readonly identifier: string;
  readonly value: number;
}

/** A boolean watermark value. @public */
export interface BooleanWatermark {
  readonly kind: "boolean";
  readonly identifier: string;
  readonly value: boolean;
}

/** Any watermark. @public */
export type Watermark = NumericWatermark | BooleanWatermark;

interface WatermarkDeclarationBase {
  /** Unique per job. */
  readonly identifier: string;
  /** Combine only once every input channel has reported a value. */
  readonly waitForAllChannels: boolean;
  /** What happens to the combined value when the function returns PEEK. */
  readonly defaultHandling: DefaultWatermarkHandling;
}

/** Declares a numeric watermark. @public */
export interface NumericWatermarkDeclaration extends WatermarkDeclarationBase {
  readonly kind: "numeric";
  readonly combine: NumericCombine;
  /** A watermark of this declaration with the given value. */
  newWatermark(value: number): NumericWatermark;
}

/** Declares a boolean watermark. @public */
export interface BooleanWatermarkDeclaration extends WatermarkDeclarationBase {
  readonly kind: "boolean";
  readonly combine: BooleanCombine;
  /** A watermark of this declaration with the given value. */
  newWatermark(value: boolean): BooleanWatermark;
}

/** Any watermark declaration. @public */
export type WatermarkDeclaration = NumericWatermarkDeclaration | BooleanWatermarkDeclaration;

/** Options shared by both declaration kinds. @public */
export interface WatermarkDeclarationOptions {
  /** Default false: combine over the channels that have reported so far. */
  readonly waitForAllChannels?: boolean;
  /** Default FORWARD. */
  readonly defaultHandling?: DefaultWatermarkHandling;
}

function checkIdentifier(identifier: string): string {
  if (typeof identifier !== "string" || identifier.length === 0) {
    throw new TypeError(
      `a watermark declaration needs a non-empty identifier, got ${JSON.stringify(identifier)}`,
    );
  }
  return identifier;
}

function checkHandling(handling: DefaultWatermarkHandling | undefined): DefaultWatermarkHandling {
  if (handling === undefined) return "FORWARD";
  if (handling !== "FORWARD" && handling !== "IGNORE") {
    throw new TypeError(`defaultHandling must be FORWARD or IGNORE, got ${JSON.stringify(handling)}`);
  }
  return handling;
}

/**
 * Factories for watermark declarations.
 *
 * @example
 * ```ts
 * const PROGRESS = WatermarkDeclarations.numeric("progress", { combine: "MIN", waitForAllChannels: true });
 * const fn: OneInputStreamProcessFunction<Order, Order> = {
 *   declareWatermarks: () => [PROGRESS],
 *   processRecord(order, out, ctx) {
 *     out.collect(order);
 *     ctx.nonPartitionedContext.watermarkManager.emitWatermark(PROGRESS.newWatermark(order.sequence));
 *   },
 * };
 * ```
 * @public
 */
export const WatermarkDeclarations = {
  /** A numeric watermark combined by MIN (default) or MAX. */
  numeric(
    identifier: string,
    options: WatermarkDeclarationOptions & { readonly combine?: NumericCombine } = {},
  ): NumericWatermarkDeclaration {
    const id = checkIdentifier(identifier);
    const combine = options.combine ?? "MIN";
    if (combine !== "MIN" && combine !== "MAX")
      throw new TypeError(`numeric watermarks combine by MIN or MAX, got ${combine}`);
    return Object.freeze({
      kind: "numeric",
      identifier: id,
      combine,
      waitForAllChannels: options.waitForAllChannels ?? false,
      defaultHandling: checkHandling(options.defaultHandling),
      newWatermark(value: number): NumericWatermark {
        if (typeof value !== "number" || Number.isNaN(value)) {
          throw new TypeError(`watermark "${id}" needs a number, got ${String(value)}`);
        }
        return { kind: "numeric", identifier: id, value };
      },
    });
  },
  /** A boolean watermark combined by AND (default) or OR. */
  boolean(
    identifier: string,
    options: WatermarkDeclarationOptions & { readonly combine?: BooleanCombine } = {},
  ): BooleanWatermarkDeclaration {
    const id = checkIdentifier(identifier);
    const combine = options.combine ?? "AND";
    if (combine !== "AND" && combine !== "OR")
      throw new TypeError(`boolean watermarks combine by AND or OR, got ${combine}`);
    return Object.freeze({
      kind: "boolean",
      identifier: id,
      combine,
      waitForAllChannels: options.waitForAllChannels ?? false,
      defaultHandling: checkHandling(options.defaultHandling),
      newWatermark(value: boolean): BooleanWatermark {
        if (typeof value !== "boolean")
          throw new TypeError(`watermark "${id}" needs a boolean, got ${String(value)}`);
        return { kind: "boolean", identifier: id, value };
      },
    });
  },
} as const;

/** What a function did with a watermark. @public */
export const WatermarkHandlingResult = {
  /** The framework applies the declaration's default handling. */
  PEEK: "PEEK",
  /** The function took responsibility; the framework does nothing more. */
  POLL: "POLL",
} as const;

/** @public */
export type WatermarkHandlingResult = (typeof WatermarkHandlingResult)[keyof typeof WatermarkHandlingResult];

/** Emits watermarks from a function. @public */
export interface WatermarkManager {
  /** Sends `watermark` downstream after every record emitted so far. It must be declared. */
  emitWatermark(watermark: Watermark): void;
}
