/**
 * Flink's experimental window emit options and the emit strategy they give a window aggregation
 * (Flink's `WindowEmitStrategy`): `table.exec.emit.early-fire.enabled` / `.early-fire.delay`,
 * `table.exec.emit.late-fire.enabled` / `.late-fire.delay`, `table.exec.emit.allow-lateness`
 * (falling back to the idle-state retention, `table.exec.state.ttl`).
 *
 * As in Flink they apply to legacy group windows (`GROUP BY TUMBLE(ts, …)`) only: a window TVF
 * aggregation refuses them, and a SESSION group window refuses an EMIT strategy. Allowed lateness
 * only counts with late firing; event-time late firing needs a positive one, not shorter than the
 * late-fire delay. Processing-time windows ignore late firing (no row is late in processing time).
 *
 * Worked example: early-fire enabled with delay `1 s`, late-fire enabled with delay `0`,
 * allow-lateness `1 min`, over an event-time TUMBLE group window: fire at most once a second before
 * the window closes, on every late row after, keep the window until `end - 1 + 60 s`; EXPLAIN says
 * `emit=[early delay 1000 millisecond, late no delay]`.
 * @module
 */

import type { Span } from "../ast/span.ts";
import type { WindowEmitConfig, WindowEmitStrategy, WindowTimeKind } from "../exec/window/window-specs.ts";
import type { PhysicalAssigningWindowAggregate, PhysicalWindowAggregate } from "../plan/physical-node.ts";
import { parseDuration } from "./planner-options.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

const EARLY_ENABLED = "table.exec.emit.early-fire.enabled";
const EARLY_DELAY = "table.exec.emit.early-fire.delay";
const LATE_ENABLED = "table.exec.emit.late-fire.enabled";
const LATE_DELAY = "table.exec.emit.late-fire.delay";
const ALLOW_LATENESS = "table.exec.emit.allow-lateness";

/** The emit options as written (validated per window aggregation, as Flink does). */
export interface WindowEmitOptions {
  readonly earlyFireEnabled: boolean;
  /** Null when not set. */
  readonly earlyFireDelayMs: number | null;
  readonly lateFireEnabled: boolean;
  readonly lateFireDelayMs: number | null;
  /** Null when not set. */
  readonly allowLatenessMs: number | null;
}

function flag(config: ReadonlyMap<string, string>, key: string, span: Span): boolean {
  const text = config.get(key);
  if (text === undefined) return false;
  const lower = text.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new SqlValidationError(
    span,
    `Could not parse value '${text}' for key '${key}': expected 'true' or 'false'`,
  );
}

function duration(config: ReadonlyMap<string, string>, key: string, span: Span): number | null {
  const text = config.get(key);
  return text === undefined ? null : parseDuration(key, text, span);
}

export function readWindowEmitOptions(config: ReadonlyMap<string, string>, span: Span): WindowEmitOptions {
  return {
    earlyFireEnabled: flag(config, EARLY_ENABLED, span),
    earlyFireDelayMs: duration(config, EARLY_DELAY, span),
    lateFireEnabled: flag(config, LATE_ENABLED, span),
    lateFireDelayMs: duration(config, LATE_DELAY, span),
    allowLatenessMs: duration(config, ALLOW_LATENESS, span),
  };
}

export function emitEnabled(options: WindowEmitOptions): boolean {
  return options.earlyFireEnabled || options.lateFireEnabled;
}

/** Flink's refusal of the emit options by a window TVF aggregation. */
export function refuseEmitForWindowTvf(options: WindowEmitOptions, span: Span): void {
  if (!emitEnabled(options)) return;
  throw new SqlValidationError(
    span,
    `Currently, window table function based aggregate doesn't support early-fire and late-fire configuration '${EARLY_ENABLED}' and '${LATE_ENABLED}'.`,
  );
}

/**
 * The emit strategy of a legacy group window aggregation, or null when no EMIT option is on.
 * Throws Flink's errors for a SESSION window and for inconsistent options.
 */
export function groupWindowEmit(
  options: WindowEmitOptions,
  session: boolean,
  timeKind: WindowTimeKind,
  stateTtlMs: number,
  span: Span,
): WindowEmitConfig | null {
  if (!emitEnabled(options)) return null;
  if (session) throw new SqlValidationError(span, "Session window doesn't support EMIT strategy currently.");
  const rowtime = timeKind === "rowtime";
  // Allowed lateness counts only with late firing; unset, the idle-state retention stands in.
  const lateness = options.lateFireEnabled ? (options.allowLatenessMs ?? stateTtlMs) : 0;
  if (rowtime && options.lateFireEnabled && lateness <= 0) {
    throw new SqlValidationError(
      span,
      `The 'AFTER WATERMARK' emit strategy requires set '${ALLOW_LATENESS}' or 'table.exec.state.ttl' in table config.`,
    );
  }
  if (options.earlyFireEnabled && options.earlyFireDelayMs === null) {
    throw new SqlValidationError(
      span,
      `Early-fire delay should not be null or negative value when enable early-fire emit strategy: set '${EARLY_DELAY}'.`,
    );
  }
  if (options.lateFireEnabled && options.lateFireDelayMs === null) {
    throw new SqlValidationError(
      span,
      `Late-fire delay should not be null or negative value when enable late-fire emit strategy: set '${LATE_DELAY}'.`,
    );
  }
  if (options.lateFireEnabled && options.lateFireDelayMs! > lateness) {
    throw new SqlValidationError(
      span,
      `Allow-lateness [${lateness}ms] should not be smaller than Late-fire delay [${options.lateFireDelayMs}ms] when enable late-fire emit strategy.`,
    );
  }
  return {
    earlyFireDelayMs: options.earlyFireEnabled ? options.earlyFireDelayMs : null,
    // No row is late in processing time: late firing is ignored there.
    lateFireDelayMs: options.lateFireEnabled && rowtime ? options.lateFireDelayMs : null,
    allowLatenessMs: rowtime ? lateness : 0,
  };
}

/** True when the strategy turns the window aggregation's output into updates. */
export function emitProducesUpdates(emit: WindowEmitConfig | undefined): boolean {
  return emit !== undefined && (emit.earlyFireDelayMs !== null || emit.lateFireDelayMs !== null);
}

/** Flink's EXPLAIN text: `early delay 1000 millisecond, late no delay`. */
export function emitText(emit: WindowEmitConfig): string {
  const part = (delay: number | null) =>
    delay === null ? null : delay > 0 ? `delay ${delay} millisecond` : "no delay";
  const early = part(emit.earlyFireDelayMs);
  const late = part(emit.lateFireDelayMs);
  return [early === null ? null : `early ${early}`, late === null ? null : `late ${late}`]
    .filter((p) => p !== null)
    .join(", ");
}

/**
 * The upsert key of an updating window aggregation: its group key with the window. A
 * WindowAggregate's group key holds window_start / window_end already; an
 * AssigningWindowAggregate appends window_start, window_end after its calls.
 */
export function windowAggregateKey(
  node: PhysicalWindowAggregate | PhysicalAssigningWindowAggregate,
): number[] {
  const keys = node.groupKey.map((_, i) => i);
  if (node.kind === "WindowAggregate") return keys;
  const windowStart = node.groupKey.length + node.calls.length;
  return [...keys, windowStart, windowStart + 1];
}

/** The operator spec's `emit` part for a window aggregation node: empty without a strategy. */
export function windowEmitSpec(node: PhysicalWindowAggregate | PhysicalAssigningWindowAggregate): {
  emit?: WindowEmitStrategy;
} {
  if (node.emit === undefined) return {};
  return { emit: { ...node.emit, generateUpdateBefore: node.traits?.kinds.updateBefore ?? true } };
}
