/**
 * Runs a {@link TwoInputBroadcastStreamProcessFunction}: input 0 is the partitioned side (keyed or
 * not), input 1 the broadcast side. Broadcast state is writable only while a broadcast record is
 * processed, so every parallel instance applies the same updates and stays identical.
 * @module
 */

import type {
  ApplyPartitionFunction,
  KeySelector,
  KeyValue,
  StateDeclaration,
  TwoInputBroadcastStreamProcessFunction,
  Watermark,
  WatermarkHandling,
} from "@weir/api";
import { wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import { TimestampedCollector } from "./process-context.ts";
import { ProcessOperatorBase, TIMER_OUTPUT_TIMESTAMP } from "./process-operator-base.ts";

export class BroadcastProcessOperator extends ProcessOperatorBase {
  readonly #fn: TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
  readonly #keySelector: KeySelector<unknown, KeyValue> | undefined;
  readonly #collector: TimestampedCollector;
  readonly #output: Output;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: TwoInputBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
    keySelector: KeySelector<unknown, KeyValue> | undefined;
    states: readonly StateDeclaration[];
    maxParallelism: number;
    output: Output;
  }) {
    super({ ...options, inputs: 2, keyed: options.keySelector !== undefined });
    this.#fn = options.fn;
    this.#keySelector = options.keySelector;
    this.#collector = new TimestampedCollector(options.output);
    this.#output = options.output;
  }

  protected override keySelectorOf(input: 0 | 1): KeySelector<unknown, KeyValue> | undefined {
    return input === 0 ? this.#keySelector : undefined;
  }

  processRecord1(record: unknown, timestamp: number): void {
    if (this.#keySelector !== undefined) this.setKeyFrom(this.#keySelector, record);
    this.#collector.timestamp = timestamp;
    try {
      this.#fn.processRecordFromNonBroadcastInput(record, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  override processRecord2(record: unknown, timestamp: number): void {
    this.#collector.timestamp = timestamp;
    this.backend.broadcastWritable = true;
    try {
      this.#fn.processRecordFromBroadcastInput(record, this.contexts.nonPartitioned);
    } catch (error) {
      wrapUserError(`${this.name} (broadcast input)`, error);
    } finally {
      this.backend.broadcastWritable = false;
    }
  }

  endInput(input: 0 | 1): void {
    this.endInputWatermarks(input);
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      if (input === 0) this.#fn.endNonBroadcastInput?.(this.contexts.nonPartitioned);
      else this.#fn.endBroadcastInput?.(this.contexts.nonPartitioned);
    } catch (error) {
      wrapUserError(`${this.name} (endInput)`, error);
    }
  }

  protected onTimer(timestamp: number): void {
    if (this.#fn.onProcessingTimer === undefined) return;
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      this.#fn.onProcessingTimer(timestamp, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(`${this.name} (onProcessingTimer)`, error);
    }
  }

  protected onWatermark(input: 0 | 1, watermark: Watermark): WatermarkHandling {
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    const ctx = this.contexts.nonPartitioned;
    return input === 0
      ? this.#fn.onWatermarkFromNonBroadcastInput?.(watermark, this.#collector, ctx)
      : this.#fn.onWatermarkFromBroadcastInput?.(watermark, this.#collector, ctx);
  }

  protected forwardWatermark(watermark: Watermark): void {
    this.#output.emitWatermark(watermark);
  }

  protected applyWithCollectors(fn: ApplyPartitionFunction<unknown>): void {
    fn(this.#collector, this.contexts.partitioned);
  }
}
