/**
 * The watermark options of a source table (Flink's FLIP-296 framework options): how the planner's
 * watermark assigner emits watermarks and when it declares its input idle. They belong to the
 * planner, not to a connector, so every connector accepts them (`FRAMEWORK_SOURCE_OPTIONS` in
 * `connectors/connector-options.ts`), and they may come from the `WITH` clause or an `OPTIONS(...)`
 * hint alike (the hint wins).
 *
 * - `scan.watermark.emit.strategy`: `on-periodic` (default; every `pipeline.auto-watermark-interval`
 *   of processing time) or `on-event` (after every row that advances the watermark, so whether a
 *   row is late depends only on the order of the input, never on timing).
 * - `scan.watermark.idle-timeout`: the source is idle after this long without rows; falls back to
 *   the session's `table.exec.source.idle-timeout` (`0` = never, Flink's default), as in Flink.
 * - `scan.watermark.alignment.*`: accepted and validated like Flink (group and max-drift together).
 *
 * Invariant: a bad value is an error naming the table, key and value; options that equal the
 * defaults produce `{ strategy: "on-periodic", idleTimeoutMs: null, alignment: null }`, which the
 * planner leaves off the plan, so such a table plans (and EXPLAINs) exactly as one without them.
 *
 * Worked sequence, `WATERMARK FOR ts AS ts - INTERVAL '1' SECOND`, `on-event`, timestamps (s) 5, 3, 9,
 * feeding a 2-second TUMBLE:
 * ```text
 * r(5) -> W(4)   (window [2, 4) fires)   r(3) late: its window [2, 4) ended at or before W, dropped
 * r(9) -> W(8)   (windows [4, 6), [6, 8) fire)      end of input -> W(+inf)   ([8, 10) fires)
 * ```
 * With `on-periodic` the same input may see no watermark before r(3) arrives, and then r(3) counts.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { ResolvedTable } from "../catalog/catalog-table.ts";
import { OptionReader } from "../connectors/connector-options.ts";
import type { WatermarkEmission, WatermarkEmitStrategy } from "../plan/watermark-emission.ts";
import { parseDuration } from "./planner-options.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export const WATERMARK_EMIT_STRATEGY = "scan.watermark.emit.strategy";
export const WATERMARK_IDLE_TIMEOUT = "scan.watermark.idle-timeout";
export const WATERMARK_ALIGNMENT_GROUP = "scan.watermark.alignment.group";
export const WATERMARK_ALIGNMENT_MAX_DRIFT = "scan.watermark.alignment.max-drift";
export const WATERMARK_ALIGNMENT_UPDATE_INTERVAL = "scan.watermark.alignment.update-interval";

/** Reads and validates the table's watermark options (after hints are merged into `table`). */
export function readWatermarkEmitOptions(
  table: ResolvedTable,
  config: ReadonlyMap<string, string>,
  span: Span,
): WatermarkEmission {
  try {
    const reader = new OptionReader(table);
    const strategy = reader.choice<WatermarkEmitStrategy>(
      WATERMARK_EMIT_STRATEGY,
      ["on-event", "on-periodic"],
      "on-periodic",
    );
    const global = config.get("table.exec.source.idle-timeout");
    const fallback = global === undefined ? 0 : parseDuration("table.exec.source.idle-timeout", global, span);
    const idle = reader.durationMs(WATERMARK_IDLE_TIMEOUT, fallback);
    const group = reader.string(WATERMARK_ALIGNMENT_GROUP);
    const drift = reader.string(WATERMARK_ALIGNMENT_MAX_DRIFT);
    if ((group === undefined) !== (drift === undefined)) {
      throw new SqlValidationError(
        span,
        `Error configuring watermark for '${table.name}', '${WATERMARK_ALIGNMENT_GROUP}' and '${WATERMARK_ALIGNMENT_MAX_DRIFT}' must be set when configuring watermark alignment`,
      );
    }
    const update = reader.durationMs(WATERMARK_ALIGNMENT_UPDATE_INTERVAL, 1000);
    if (update <= 0) {
      throw new SqlValidationError(
        span,
        `Invalid value for option '${WATERMARK_ALIGNMENT_UPDATE_INTERVAL}' of table '${table.name}': it must be positive`,
      );
    }
    return {
      strategy,
      idleTimeoutMs: idle > 0 ? idle : null,
      alignment:
        group === undefined || drift === undefined
          ? null
          : {
              group,
              maxDriftMs: reader.durationMs(WATERMARK_ALIGNMENT_MAX_DRIFT, 0),
              updateIntervalMs: update,
            },
    };
  } catch (error) {
    if (error instanceof SqlValidationError) throw error;
    throw new SqlValidationError(span, (error as Error).message);
  }
}

/** True when the options plan exactly as a table without them (so plans and EXPLAIN stay as they were). */
export function isDefaultEmission(emission: WatermarkEmission): boolean {
  return (
    emission.strategy === "on-periodic" && emission.idleTimeoutMs === null && emission.alignment === null
  );
}

/**
 * EXPLAIN attributes of a non-default emission, spelled as Flink's source scan digest
 * (`idletimeout=[60000], watermarkEmitStrategy=[on-event], watermarkAlignment=[g, 1000, 1000]`).
 */
export function emissionAttributes(emission: WatermarkEmission | undefined): (readonly [string, string])[] {
  if (emission === undefined) return [];
  const parts: (readonly [string, string])[] = [];
  if (emission.idleTimeoutMs !== null) parts.push(["idletimeout", String(emission.idleTimeoutMs)]);
  parts.push(["watermarkEmitStrategy", emission.strategy]);
  const a = emission.alignment;
  if (a !== null) parts.push(["watermarkAlignment", `${a.group}, ${a.maxDriftMs}, ${a.updateIntervalMs}`]);
  return parts;
}
