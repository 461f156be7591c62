/**
 * The configuration keys the planner reads, with Flink's defaults, parsed once per statement.
 *
 * Invariant: a bad value is an error that names the key and the accepted values, never a silent
 * fallback to the default.
 * @module
 */

import type { Span } from "../ast/span.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { readWindowEmitOptions, type WindowEmitOptions } from "./window-emit-options.ts";

export interface PlannerOptions {
  /** `table.exec.state.ttl` in milliseconds (0: keep forever). */
  readonly stateTtlMs: number;
  readonly miniBatch: { readonly enabled: boolean; readonly size: number; readonly latencyMs: number };
  /** `table.optimizer.agg-phase-strategy`. */
  readonly aggPhaseStrategy: "AUTO" | "ONE_PHASE" | "TWO_PHASE";
  /** `execution.runtime-mode`. */
  readonly runtimeMode: "streaming" | "batch";
  /** `parallelism.default`, or null to keep the environment's. */
  readonly parallelism: number | null;
  /** `table.local-time-zone`. */
  readonly timeZone: string;
  /** `pipeline.auto-watermark-interval` in milliseconds. */
  readonly watermarkIntervalMs: number;
  /** `table.optimizer.multi-join.enabled` (default false): chains of 3+ joins on a common key run as one MultiJoin. */
  readonly multiJoinEnabled?: boolean;
  /** `table.exec.emit.*`: early / late firing of legacy group windows (absent: none). */
  readonly windowEmit?: WindowEmitOptions;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  m: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Flink's duration syntax: `0`, `500 ms`, `10s`, `1 h`, `2 d`; a bare number is milliseconds. */
export function parseDuration(key: string, text: string, span: Span): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase() ?? "";
  const factor = unit === "" ? 1 : DURATION_UNITS[unit];
  if (match === null || factor === undefined) {
    throw new SqlValidationError(
      span,
      `Could not parse value '${text}' for key '${key}': expected a duration such as '10 s', '5 min' or '1 h'`,
    );
  }
  return Number(match[1]) * factor;
}

function parseBoolean(key: string, text: string, span: Span): boolean {
  const lower = text.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new SqlValidationError(
    span,
    `Could not parse value '${text}' for key '${key}': expected 'true' or 'false'`,
  );
}

function parsePositive(key: string, text: string, span: Span): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n <= 0) {
    throw new SqlValidationError(
      span,
      `Could not parse value '${text}' for key '${key}': expected a positive integer`,
    );
  }
  return n;
}

export function readPlannerOptions(config: ReadonlyMap<string, string>, span: Span): PlannerOptions {
  const get = (key: string): string | undefined => config.get(key);
  const ttl = get("table.exec.state.ttl");
  const enabled = get("table.exec.mini-batch.enabled");
  const latency = get("table.exec.mini-batch.allow-latency");
  const size = get("table.exec.mini-batch.size");
  const strategy = (get("table.optimizer.agg-phase-strategy") ?? "AUTO").trim().toUpperCase();
  if (strategy !== "AUTO" && strategy !== "ONE_PHASE" && strategy !== "TWO_PHASE") {
    throw new SqlValidationError(
      span,
      `Could not parse value '${strategy}' for key 'table.optimizer.agg-phase-strategy': expected AUTO, ONE_PHASE or TWO_PHASE`,
    );
  }
  const mode = (get("execution.runtime-mode") ?? "streaming").trim().toLowerCase();
  if (mode !== "streaming" && mode !== "batch" && mode !== "automatic") {
    throw new SqlValidationError(
      span,
      `Could not parse value '${mode}' for key 'execution.runtime-mode': expected 'streaming' or 'batch'`,
    );
  }
  const parallelism = get("parallelism.default");
  const interval = get("pipeline.auto-watermark-interval");
  const multiJoin = get("table.optimizer.multi-join.enabled");
  return {
    stateTtlMs: ttl === undefined ? 0 : parseDuration("table.exec.state.ttl", ttl, span),
    miniBatch: {
      enabled: enabled === undefined ? false : parseBoolean("table.exec.mini-batch.enabled", enabled, span),
      latencyMs:
        latency === undefined ? 0 : parseDuration("table.exec.mini-batch.allow-latency", latency, span),
      size: size === undefined ? 1000 : parsePositive("table.exec.mini-batch.size", size, span),
    },
    aggPhaseStrategy: strategy,
    runtimeMode: mode === "batch" ? "batch" : "streaming",
    parallelism: parallelism === undefined ? null : parsePositive("parallelism.default", parallelism, span),
    timeZone: get("table.local-time-zone") ?? defaultTimeZone(),
    watermarkIntervalMs:
      interval === undefined ? 200 : parseDuration("pipeline.auto-watermark-interval", interval, span),
    multiJoinEnabled:
      multiJoin === undefined ? false : parseBoolean("table.optimizer.multi-join.enabled", multiJoin, span),
    windowEmit: readWindowEmitOptions(config, span),
  };
}

/** Flink's default for `table.local-time-zone` is the system zone. */
export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
