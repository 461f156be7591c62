/**
 * Runs a {@link TwoOutputStreamProcessFunction}: like the one-input operator, with two collectors
 * that feed the operator's two outputs.
 * @module
 */

import type {
  ApplyPartitionFunction,
  KeySelector,
  KeyValue,
  StateDeclaration,
  TwoOutputNonPartitionedContext,
  TwoOutputStreamProcessFunction,
  Watermark,
  WatermarkHandling,
} from "@weir/api";
import { wrapUserError } from "../user-code-error.ts";
import type { OperatorEnvironment } from "./operator-environment.ts";
import type { Output } from "./output.ts";
import { TimestampedCollector } from "./process-context.ts";
import { ProcessOperatorBase, TIMER_OUTPUT_TIMESTAMP } from "./process-operator-base.ts";

export class TwoOutputProcessOperator extends ProcessOperatorBase {
  readonly #fn: TwoOutputStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
  readonly #keySelector: KeySelector<unknown, KeyValue> | undefined;
  readonly #first: TimestampedCollector;
  readonly #second: TimestampedCollector;
  readonly #twoOutputContext: TwoOutputNonPartitionedContext<unknown, unknown>;
  readonly #outputs: [Output, Output];

  constructor(options: {
    name: string;
    operatorId: string;
    env: OperatorEnvironment;
    fn: TwoOutputStreamProcessFunction<unknown, unknown, unknown, KeyValue>;
    keySelector: KeySelector<unknown, KeyValue> | undefined;
    states: readonly StateDeclaration[];
    maxParallelism: number;
    outputs: [Output, Output];
  }) {
    super({ ...options, keyed: options.keySelector !== undefined });
    this.#fn = options.fn;
    this.#keySelector = options.keySelector;
    this.#first = new TimestampedCollector(options.outputs[0]);
    this.#second = new TimestampedCollector(options.outputs[1]);
    this.#outputs = options.outputs;
    const base = this.contexts.nonPartitioned;
    this.#twoOutputContext = {
      jobInfo: base.jobInfo,
      taskInfo: base.taskInfo,
      applyToAllPartitions: (fn) =>
        base.applyToAllPartitions((_output, ctx) => fn(this.#first, this.#second, ctx)),
      watermarkManager: base.watermarkManager,
    };
  }

  #stamp(timestamp: number): void {
    this.#first.timestamp = timestamp;
    this.#second.timestamp = timestamp;
  }

  protected override keySelectorOf(input: 0 | 1): KeySelector<unknown, KeyValue> | undefined {
    return input === 0 ? this.#keySelector : undefined;
  }

  processRecord1(record: unknown, timestamp: number): void {
    if (this.#keySelector !== undefined) this.setKeyFrom(this.#keySelector, record);
    this.#stamp(timestamp);
    try {
      this.#fn.processRecord(record, this.#first, this.#second, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(this.name, error);
    }
  }

  endInput(): void {
    this.#stamp(TIMER_OUTPUT_TIMESTAMP);
    try {
      this.#fn.endInput?.(this.#twoOutputContext);
    } catch (error) {
      wrapUserError(`${this.name} (endInput)`, error);
    }
  }

  protected onTimer(timestamp: number): void {
    if (this.#fn.onProcessingTimer === undefined) return;
    this.#stamp(TIMER_OUTPUT_TIMESTAMP);
    try {
      this.#fn.onProcessingTimer(timestamp, this.#first, this.#second, this.contexts.partitioned);
    } catch (error) {
      wrapUserError(`${this.name} (onProcessingTimer)`, error);
    }
  }

  protected onWatermark(_input: 0 | 1, watermark: Watermark): WatermarkHandling {
    this.#stamp(TIMER_OUTPUT_TIMESTAMP);
    return this.#fn.onWatermark?.(watermark, this.#first, this.#second, this.#twoOutputContext);
  }

  protected forwardWatermark(watermark: Watermark): void {
    this.#outputs[0].emitWatermark(watermark);
    this.#outputs[1].emitWatermark(watermark);
  }

  protected applyWithCollectors(fn: ApplyPartitionFunction<unknown>): void {
    fn(this.#first, this.contexts.partitioned);
  }
}
