import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { CheckpointListingEntry } from "./restore-decision.ts";
import { planRetention } from "./retention-plan.ts";

const entries = (spec: string): CheckpointListingEntry[] =>
  // "1 2? 3" means complete 1, incomplete 2, complete 3.
  spec
    .split(" ")
    .filter((s) => s !== "")
    .map((s) => ({ checkpointId: Number.parseInt(s, 10), complete: !s.endsWith("?") }));

test("worked examples", () => {
  assert.deepEqual(planRetention(entries("1 2 3 4"), 2), [1, 2]);
  assert.deepEqual(planRetention(entries("1 2? 3 4 5?"), 1), [1, 2, 3]);
  assert.deepEqual(
    planRetention(entries("1? 2? 3?"), 1),
    [],
    "nothing complete: everything may be in progress",
  );
  assert.deepEqual(planRetention(entries("7 3? 5"), 5), [3]);
  assert.deepEqual(planRetention(entries(""), 1), []);
  assert.throws(() => planRetention(entries("1"), 0), /retain must be a positive integer/);
  assert.throws(() => planRetention(entries("1"), 1.5), RangeError);
});

test("keeps the newest n complete and newer incomplete ones, deletes the rest, and is idempotent", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ checkpointId: fc.nat(50), complete: fc.boolean() }), {
        selector: (e) => e.checkpointId,
        maxLength: 15,
      }),
      fc.integer({ min: 1, max: 5 }),
      (listing, retain) => {
        const doomed = new Set(planRetention(listing, retain));
        const complete = listing
          .filter((e) => e.complete)
          .map((e) => e.checkpointId)
          .sort((a, b) => b - a);
        const kept = new Set(complete.slice(0, retain));
        const newest = complete[0] ?? Number.NEGATIVE_INFINITY; // none complete: nothing is "older"
        for (const { checkpointId, complete: isComplete } of listing) {
          const shouldGo = !kept.has(checkpointId) && checkpointId < newest;
          assert.equal(doomed.has(checkpointId), shouldGo, `${checkpointId} complete=${isComplete}`);
        }
        const rest = listing.filter((e) => !doomed.has(e.checkpointId));
        assert.deepEqual(planRetention(rest, retain), []);
      },
    ),
  );
});
