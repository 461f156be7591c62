/**
 * `table.exec.state.ttl` for SQL operators: the state options every stateful operator passes to its
 * keyed state declarations.
 *
 * Invariant: as in Flink's SQL operators, TTL is measured in processing time, refreshed only by
 * writes (OnCreateAndWrite) and expired values are never returned (NeverReturnExpired); 0 keeps
 * state forever. Example: `stateOptions(60_000)` → `{ ttl: { ttlMs: 60000, … } }`, `stateOptions(0)`
 * → `{}`.
 * @module
 */

import type { StateOptions } from "@weir/api";

export function stateOptions(stateTtlMs: number): StateOptions {
  if (typeof stateTtlMs !== "number" || !(stateTtlMs >= 0) || !Number.isFinite(stateTtlMs)) {
    throw new RangeError(
      `table.exec.state.ttl must be a non-negative number of milliseconds, got ${String(stateTtlMs)}`,
    );
  }
  if (stateTtlMs === 0) return {};
  return {
    ttl: { ttlMs: stateTtlMs, updateType: "OnCreateAndWrite", stateVisibility: "NeverReturnExpired" },
  };
}
