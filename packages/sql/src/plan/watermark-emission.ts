/**
 * How a watermark assigner emits watermarks, from the table's `scan.watermark.*` options
 * (`planner/watermark-emit-options.ts` reads and validates them).
 *
 * Contract: `on-event` emits after every row that advances the watermark, so which rows are late is
 * a function of the input order alone; `on-periodic` emits every `pipeline.auto-watermark-interval`.
 * An assigner without this field behaves as `{ strategy: "on-periodic", idleTimeoutMs: null,
 * alignment: null }`.
 * @module
 */

export type WatermarkEmitStrategy = "on-event" | "on-periodic";

export interface WatermarkEmission {
  readonly strategy: WatermarkEmitStrategy;
  /** Processing time without rows after which the source is idle; null: never. */
  readonly idleTimeoutMs: number | null;
  /** `scan.watermark.alignment.*`: pause while ahead of the group's slowest source by more than `maxDriftMs`. */
  readonly alignment: {
    readonly group: string;
    readonly maxDriftMs: number;
    readonly updateIntervalMs: number;
  } | null;
}
