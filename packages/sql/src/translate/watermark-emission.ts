/**
 * Applies a table's `scan.watermark.*` options to the watermark generator of its assigner:
 * per-event or periodic emission, idleness and alignment (see `plan/watermark-emission.ts`).
 *
 * Invariant: with no emission (the table set none of the options) the generator is exactly the
 * periodic one every SQL source had before, at `pipeline.auto-watermark-interval`.
 * @module
 */

import type { WatermarkGeneratorBuilder } from "@weir/api";
import type { WatermarkEmission } from "../plan/watermark-emission.ts";

export function withEmission<T>(
  builder: WatermarkGeneratorBuilder<T>,
  emission: WatermarkEmission | undefined,
  intervalMs: number,
): WatermarkGeneratorBuilder<T> {
  if (emission === undefined) return builder.periodicWatermark(intervalMs);
  let b =
    emission.strategy === "on-event" ? builder.perEventWatermark() : builder.periodicWatermark(intervalMs);
  if (emission.idleTimeoutMs !== null) b = b.withIdleness(emission.idleTimeoutMs);
  const a = emission.alignment;
  if (a !== null) b = b.withWatermarkAlignment(a.group, a.maxDriftMs, a.updateIntervalMs);
  return b;
}
