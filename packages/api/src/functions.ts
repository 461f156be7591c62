/**
 * Process functions: the one way user logic enters a job (FLIP-409). Shapes are named by arity:
 * one input, two inputs (non-broadcast or broadcast), two outputs. Only `processRecord` (or its
 * two-input pair) is required; every other hook has a documented default.
 *
 * Call sequence seen by one subtask of a one-input function over the input `r1 r2 END`:
 * ```text
 * open(ctx)                       // once, before any record; state is already restored
 * processRecord(r1, out, pctx)    // one at a time, never concurrently
 * onProcessingTimer(t, out, pctx) // interleaved with records, through the same mailbox
 * processRecord(r2, out, pctx)
 * endInput(ctx)                   // bounded inputs only, after the last record
 * close()                         // always, also after a failure or cancellation
 * ```
 * @module
 */

import type {
  Collector,
  NonPartitionedContext,
  PartitionedContext,
  TwoOutputNonPartitionedContext,
} from "./contexts.ts";
import type { KeyValue } from "./key.ts";
import type { StateDeclaration } from "./state.ts";
import type { Watermark, WatermarkDeclaration, WatermarkHandlingResult } from "./watermark.ts";

/** What `onWatermark` hooks return; `undefined` means PEEK. @public */
export type WatermarkHandling = WatermarkHandlingResult | undefined;

/** Hooks shared by every process function. @public */
export interface ProcessFunction {
  /** The state this function uses. Default: none. Validated when the job graph is built. */
  usesStates?(): readonly StateDeclaration[];
  /** The watermarks this function emits. Default: none. Identifiers are unique per job. */
  declareWatermarks?(): readonly WatermarkDeclaration[];
  /** Called once before the first record; may be async (the task waits). */
  open?(ctx: NonPartitionedContext<never>): void | Promise<void>;
  /** Called once when the task ends, also after failures; must not throw for cleanup reasons. */
  close?(): void | Promise<void>;
}

/** One input, one output. @public */
export interface OneInputStreamProcessFunction<IN, OUT, K extends KeyValue = KeyValue>
  extends ProcessFunction {
  /** Processes one record. Runs synchronously; use async processing for I/O. */
  processRecord(record: IN, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /** Called when a bounded input is exhausted. Default: nothing. */
  endInput?(ctx: NonPartitionedContext<OUT, K>): void;
  /** Called when a processing-time timer registered by this function fires (keyed streams only). */
  onProcessingTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /** Called when the combined value of a watermark changes. Default: PEEK. */
  onWatermark?(
    watermark: Watermark,
    output: Collector<OUT>,
    ctx: NonPartitionedContext<OUT, K>,
  ): WatermarkHandling;
}

/** One input, two outputs (replaces side outputs). @public */
export interface TwoOutputStreamProcessFunction<IN, OUT1, OUT2, K extends KeyValue = KeyValue>
  extends ProcessFunction {
  processRecord(
    record: IN,
    output1: Collector<OUT1>,
    output2: Collector<OUT2>,
    ctx: PartitionedContext<OUT1, K>,
  ): void;
  endInput?(ctx: TwoOutputNonPartitionedContext<OUT1, OUT2, K>): void;
  onProcessingTimer?(
    timestamp: number,
    output1: Collector<OUT1>,
    output2: Collector<OUT2>,
    ctx: PartitionedContext<OUT1, K>,
  ): void;
  /** Called when the combined value of a watermark changes. Default: PEEK. */
  onWatermark?(
    watermark: Watermark,
    output1: Collector<OUT1>,
    output2: Collector<OUT2>,
    ctx: TwoOutputNonPartitionedContext<OUT1, OUT2, K>,
  ): WatermarkHandling;
}

/**
 * Two inputs of the same partitioning (both keyed by the same key type, or both non-keyed, or both
 * global). Records of the two inputs interleave in arrival order.
 * @public
 */
export interface TwoInputNonBroadcastStreamProcessFunction<IN1, IN2, OUT, K extends KeyValue = KeyValue>
  extends ProcessFunction {
  processRecordFromFirstInput(record: IN1, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  processRecordFromSecondInput(record: IN2, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  endFirstInput?(ctx: NonPartitionedContext<OUT, K>): void;
  endSecondInput?(ctx: NonPartitionedContext<OUT, K>): void;
  onProcessingTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /** A watermark of the first input changed. The framework forwards the combination of both inputs. */
  onWatermarkFromFirstInput?(
    watermark: Watermark,
    output: Collector<OUT>,
    ctx: NonPartitionedContext<OUT, K>,
  ): WatermarkHandling;
  /** A watermark of the second input changed. */
  onWatermarkFromSecondInput?(
    watermark: Watermark,
    output: Collector<OUT>,
    ctx: NonPartitionedContext<OUT, K>,
  ): WatermarkHandling;
}

/**
 * A partitioned input joined with a broadcast input that every parallel instance sees whole.
 * The broadcast side has no current partition: it updates broadcast state and may act on every
 * partition through `ctx.applyToAllPartitions`.
 * @public
 */
export interface TwoInputBroadcastStreamProcessFunction<IN1, IN2, OUT, K extends KeyValue = KeyValue>
  extends ProcessFunction {
  processRecordFromNonBroadcastInput(
    record: IN1,
    output: Collector<OUT>,
    ctx: PartitionedContext<OUT, K>,
  ): void;
  processRecordFromBroadcastInput(record: IN2, ctx: NonPartitionedContext<OUT, K>): void;
  endNonBroadcastInput?(ctx: NonPartitionedContext<OUT, K>): void;
  endBroadcastInput?(ctx: NonPartitionedContext<OUT, K>): void;
  onProcessingTimer?(timestamp: number, output: Collector<OUT>, ctx: PartitionedContext<OUT, K>): void;
  /** A watermark of the non-broadcast input changed. */
  onWatermarkFromNonBroadcastInput?(
    watermark: Watermark,
    output: Collector<OUT>,
    ctx: NonPartitionedContext<OUT, K>,
  ): WatermarkHandling;
  /** A watermark of the broadcast input changed. */
  onWatermarkFromBroadcastInput?(
    watermark: Watermark,
    output: Collector<OUT>,
    ctx: NonPartitionedContext<OUT, K>,
  ): WatermarkHandling;
}
