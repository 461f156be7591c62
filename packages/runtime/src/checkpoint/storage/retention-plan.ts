/**
 * Which checkpoints retention deletes: a pure function of the listing, so the rule can be tested
 * exhaustively and the store only carries it out.
 *
 * Invariant: the newest `retain` complete checkpoints are never deleted, and neither is an
 * incomplete checkpoint newer than the newest complete one (it may be a write still in progress).
 * Everything else (older complete checkpoints, older incomplete leftovers) is deleted.
 * @module
 */

import type { CheckpointListingEntry } from "./restore-decision.ts";

/** The ids to delete, oldest first. */
export function planRetention(listing: readonly CheckpointListingEntry[], retain: number): number[] {
  if (!Number.isSafeInteger(retain) || retain < 1) {
    throw new RangeError(
      `retain must be a positive integer (keeping no checkpoint is never safe), got ${retain}`,
    );
  }
  const complete = listing
    .filter((entry) => entry.complete)
    .map((entry) => entry.checkpointId)
    .sort((a, b) => b - a);
  const newestComplete = complete[0];
  if (newestComplete === undefined) return [];
  const kept = new Set(complete.slice(0, retain));
  return listing
    .filter((entry) => !kept.has(entry.checkpointId) && entry.checkpointId < newestComplete)
    .map((entry) => entry.checkpointId)
    .sort((a, b) => a - b);
}
