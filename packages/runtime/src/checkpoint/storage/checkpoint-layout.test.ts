import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  checkCheckpointId,
  dataKey,
  metadataKey,
  parseCheckpointListing,
  sharedBlobCheckpointId,
  sharedBlobKey,
} from "./checkpoint-layout.ts";

test("a listing recovers exactly the checkpoints written, complete or not, ignoring foreign keys", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ id: fc.nat(), complete: fc.boolean(), objects: fc.nat(3) }), {
        selector: (e) => e.id,
      }),
      (written) => {
        const keys = [
          "README",
          "chk-042/_metadata",
          "chk-x/_metadata",
          "chk-1",
          "other/chk-5/_metadata",
          "chk-/a",
        ];
        for (const { id, complete, objects } of written) {
          for (let i = 0; i < objects; i++) keys.push(dataKey(id, `op/${i}`));
          if (complete) keys.push(metadataKey(id));
        }
        const expected = written
          .filter((e) => e.complete || e.objects > 0)
          .map((e) => ({ checkpointId: e.id, complete: e.complete }))
          .sort((a, b) => a.checkpointId - b.checkpointId);
        assert.deepEqual(parseCheckpointListing(keys.reverse()), expected);
      },
    ),
  );
});

test("keys follow the Flink-like layout", () => {
  assert.equal(metadataKey(42), "chk-42/_metadata");
  assert.equal(dataKey(42, "op-1/subtask-0"), "chk-42/data/op-1/subtask-0");
  // A data object named like the metadata cannot be mistaken for it.
  assert.deepEqual(parseCheckpointListing([dataKey(1, "_metadata")]), [{ checkpointId: 1, complete: false }]);
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => checkCheckpointId(bad), RangeError);
});

test("a shared blob's key gives back the checkpoint it was uploaded for; other keys give nothing", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e12 }), fc.nat(), (id, n) => {
      assert.equal(sharedBlobCheckpointId(sharedBlobKey("shared/counter-0-1a2b3c4d", id, n)), id);
    }),
  );
  assert.equal(sharedBlobCheckpointId("shared/op/manual"), undefined);
  assert.equal(sharedBlobCheckpointId("shared/op/07-1"), undefined, "canonical decimal only");
  assert.equal(sharedBlobCheckpointId("chk-3/data/3-0"), undefined, "not under shared/");
});
