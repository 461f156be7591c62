/** Transaction visibility under a snapshot, including ids that wrapped around 2^32. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { isVisible, parseXidSnapshot } from "./xid-snapshot.ts";

test("visibility follows xmin, xmax and the in-progress list", () => {
  const snapshot = parseXidSnapshot("100:105:102");
  assert.deepEqual(
    [99, 100, 101, 102, 103, 104, 105, 200].map((xid) => isVisible(snapshot, xid)),
    [true, true, true, false, true, true, false, false],
  );
});

test("64-bit snapshot ids are compared with pgoutput's 32-bit ids across the wrap-around", () => {
  // Epoch 1: the 32-bit ids just after the wrap are small numbers.
  const snapshot = parseXidSnapshot(`${2 ** 32 + 5}:${2 ** 32 + 9}:${2 ** 32 + 7}`);
  assert.deepEqual(snapshot, { xmin: 5, xmax: 9, xip: [7] });
  assert.equal(isVisible(snapshot, 2 ** 32 - 3), true, "an id from just before the wrap precedes xmin");
  assert.equal(isVisible(snapshot, 6), true);
  assert.equal(isVisible(snapshot, 7), false);
  assert.equal(isVisible(snapshot, 9), false);
  assert.throws(() => parseXidSnapshot("1:2"), /invalid snapshot "1:2"/);
});
