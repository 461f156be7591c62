/**
 * The output a concrete harness gives its operator: it records every record (with the timestamp it
 * was emitted with) and every watermark, in emission order, so a test sees exactly what downstream
 * would have received.
 * @module
 */

import type { Watermark } from "@weir/api";
import type { Output } from "@weir/runtime/testing";
import type { TimestampedValue } from "./harness-core.ts";

/** Collects what an operator output receives. @internal */
export class CollectingOutput implements Output {
  records: TimestampedValue<unknown>[] = [];
  watermarks: Watermark[] = [];

  collect(record: unknown, timestamp: number): void {
    this.records.push({ value: record, timestamp });
  }

  emitWatermark(watermark: Watermark): void {
    this.watermarks.push(watermark);
  }
}
