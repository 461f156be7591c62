/**
 * Outputs: how an operator hands records on. Inside a chain an output is a direct call into the
 * next operator; at the chain's edge it is a {@link RecordWriter}. Records carry their timestamp as
 * a second argument so nothing is allocated per record.
 * @module
 */

import type { Watermark } from "@weir/api";
import type { StreamOperator } from "./stream-operator.ts";

export interface Output {
  collect(record: unknown, timestamp: number): void;
  /** Sends a watermark on, after the records collected so far. */
  emitWatermark(watermark: Watermark): void;
}

/** Calls input 0 or 1 of a chained operator. */
export function chainedOutput(target: StreamOperator, input: 0 | 1): Output {
  const emitWatermark = (watermark: Watermark) => target.processWatermark(input, watermark);
  return input === 0
    ? { collect: (record, timestamp) => target.processRecord1(record, timestamp), emitWatermark }
    : { collect: (record, timestamp) => target.processRecord2(record, timestamp), emitWatermark };
}

/** Fans one output out to several. */
export class BroadcastingOutput implements Output {
  readonly #outputs: Output[];

  constructor(outputs: Output[]) {
    this.#outputs = outputs;
  }

  collect(record: unknown, timestamp: number): void {
    const outputs = this.#outputs;
    for (let i = 0; i < outputs.length; i++) outputs[i]!.collect(record, timestamp);
  }

  emitWatermark(watermark: Watermark): void {
    for (const output of this.#outputs) output.emitWatermark(watermark);
  }
}

/** An output with no consumer (an operator whose result nobody reads). */
export const DISCARDING_OUTPUT: Output = { collect() {}, emitWatermark() {} };

export function combineOutputs(outputs: Output[]): Output {
  if (outputs.length === 0) return DISCARDING_OUTPUT;
  if (outputs.length === 1) return outputs[0]!;
  return new BroadcastingOutput(outputs);
}
