/**
 * Runs a {@link OneInputStreamProcessFunction}: sets the current key (keyed inputs), stamps the
 * input timestamp on outputs, and forwards end of input and timers to the function.
 * @module
 */

import type {
  ApplyPartitionFunction,
  KeySelector,
  KeyValue,
  OneInputStreamProcessFunction,
  StateDeclaration,
  Watermark,
  WatermarkHandling,
} from "@weir/api";
import { wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import { TimestampedCollector } from "./process-context.ts";
import { ProcessOperatorBase, TIMER_OUTPUT_TIMESTAMP } from "./process-operator-base.ts";

export class OneInputProcessOperator extends ProcessOperatorBase {
  readonly #fn: OneInputStreamProcessFunction<unknown, unknown, KeyValue>;
  readonly #keySelector: KeySelector<unknown, KeyValue> | undefined;
  readonly #collector: TimestampedCollector;
  readonly #output: Output;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: OneInputStreamProcessFunction<unknown, unknown, KeyValue>;
    keySelector: KeySelector<unknown, KeyValue> | undefined;
    states: readonly StateDeclaration[];
    maxParallelism: number;
    output: Output;
  }) {
    super({ ...options, keyed: options.keySelector !== undefined });
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
    this.recordTimestamp = timestamp;
    try {
      this.#fn.processRecord(record, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  endInput(): void {
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      this.#fn.endInput?.(this.contexts.nonPartitioned);
    } catch (error) {
      wrapUserError(`${this.name} (endInput)`, error);
    }
  }

  protected onTimer(timestamp: number): void {
    const fn = this.#fn;
    if (fn.onProcessingTimer === undefined) return;
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      fn.onProcessingTimer(timestamp, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(`${this.name} (onProcessingTimer)`, error);
    }
  }

  protected override eventTimeCollector(): TimestampedCollector {
    return this.#collector;
  }

  protected onWatermark(_input: 0 | 1, watermark: Watermark): WatermarkHandling {
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    return this.#fn.onWatermark?.(watermark, this.#collector, this.contexts.nonPartitioned);
  }

  protected forwardWatermark(watermark: Watermark): void {
    this.#output.emitWatermark(watermark);
  }

  protected applyWithCollectors(fn: ApplyPartitionFunction<unknown>): void {
    fn(this.#collector, this.contexts.partitioned);
  }
}
