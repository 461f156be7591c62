/**
 * The check every region-failover suite (local cluster, in-process and process clusters, local
 * recovery) makes of region-failover.job.ts's output: each index reached the sink exactly once.
 *
 * Invariant: the messages stay short (counts and the first few anomalies), since a diff of
 * thousands of records would take minutes to render.
 * @module
 */

import assert from "node:assert/strict";
import type { Seen } from "./region-failover.job.ts";

/** Fails unless `seen` holds the indexes 0..count-1 once each, with no anomaly flagged by the job. */
export function assertExactlyOnce(seen: readonly Seen[], count: number): void {
  const anomalies = seen.filter((s) => s.anomaly !== undefined);
  assert.ok(
    anomalies.length === 0,
    `${anomalies.length} records lost or repeated, first: ${JSON.stringify(anomalies.slice(0, 3))}`,
  );
  const indexes = seen.map((s) => s.index).sort((a, b) => a - b);
  assert.equal(indexes.length, count, "every index reached the sink exactly once");
  const wrong = indexes.findIndex((index, i) => index !== i);
  assert.equal(wrong, -1, `the sink holds 0..count-1 once each; first mismatch at position ${wrong}`);
}
