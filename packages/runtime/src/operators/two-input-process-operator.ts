/**
 * Runs a {@link TwoInputNonBroadcastStreamProcessFunction}. On keyed inputs each side extracts its
 * key with its own selector; both sides then share the key's state.
 * @module
 */

import type {
  ApplyPartitionFunction,
  KeySelector,
  KeyValue,
  StateDeclaration,
  TwoInputNonBroadcastStreamProcessFunction,
  Watermark,
  WatermarkHandling,
} from "@weir/api";
import { wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import { TimestampedCollector } from "./process-context.ts";
import { ProcessOperatorBase, TIMER_OUTPUT_TIMESTAMP } from "./process-operator-base.ts";

export class TwoInputProcessOperator extends ProcessOperatorBase {
  readonly #fn: TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
  readonly #keySelectors: readonly [
    KeySelector<unknown, KeyValue> | undefined,
    KeySelector<unknown, KeyValue> | undefined,
  ];
  readonly #collector: TimestampedCollector;
  readonly #output: Output;

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: TwoInputNonBroadcastStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
    keySelectors: readonly [
      KeySelector<unknown, KeyValue> | undefined,
      KeySelector<unknown, KeyValue> | undefined,
    ];
    states: readonly StateDeclaration[];
    maxParallelism: number;
    output: Output;
  }) {
    super({ ...options, inputs: 2, keyed: options.keySelectors[0] !== undefined });
    this.#fn = options.fn;
    this.#keySelectors = options.keySelectors;
    this.#collector = new TimestampedCollector(options.output);
    this.#output = options.output;
  }

  protected override keySelectorOf(input: 0 | 1): KeySelector<unknown, KeyValue> | undefined {
    return this.#keySelectors[input];
  }

  processRecord1(record: unknown, timestamp: number): void {
    const selector = this.#keySelectors[0];
    if (selector !== undefined) this.setKeyFrom(selector, record);
    this.#collector.timestamp = timestamp;
    this.recordTimestamp = timestamp;
    try {
      this.#fn.processRecordFromFirstInput(record, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  override processRecord2(record: unknown, timestamp: number): void {
    const selector = this.#keySelectors[1];
    if (selector !== undefined) this.setKeyFrom(selector, record);
    this.#collector.timestamp = timestamp;
    this.recordTimestamp = timestamp;
    try {
      this.#fn.processRecordFromSecondInput(record, this.#collector, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  endInput(input: 0 | 1): void {
    this.endInputWatermarks(input);
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    try {
      if (input === 0) this.#fn.endFirstInput?.(this.contexts.nonPartitioned);
      else this.#fn.endSecondInput?.(this.contexts.nonPartitioned);
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

  protected override eventTimeCollector(): TimestampedCollector {
    return this.#collector;
  }

  protected onWatermark(input: 0 | 1, watermark: Watermark): WatermarkHandling {
    this.#collector.timestamp = TIMER_OUTPUT_TIMESTAMP;
    const ctx = this.contexts.nonPartitioned;
    return input === 0
      ? this.#fn.onWatermarkFromFirstInput?.(watermark, this.#collector, ctx)
      : this.#fn.onWatermarkFromSecondInput?.(watermark, this.#collector, ctx);
  }

  protected forwardWatermark(watermark: Watermark): void {
    this.#output.emitWatermark(watermark);
  }

  protected applyWithCollectors(fn: ApplyPartitionFunction<unknown>): void {
    fn(this.#collector, this.contexts.partitioned);
  }
}
