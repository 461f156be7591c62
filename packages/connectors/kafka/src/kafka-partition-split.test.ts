/** Partition ownership: consecutive partitions of a topic go to consecutive readers. */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { partitionOwner } from "./kafka-partition-split.ts";

test("a topic's partitions spread evenly over the readers, round-robin from a topic-dependent start", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.integer({ min: 1, max: 16 }),
      (topic, readers) => {
        const partitions = readers * 3;
        const load = new Array<number>(readers).fill(0);
        const start = partitionOwner(topic, 0, readers);
        for (let p = 0; p < partitions; p++) {
          const owner = partitionOwner(topic, p, readers);
          assert.ok(owner >= 0 && owner < readers);
          assert.equal(owner, (start + p) % readers);
          load[owner]!++;
        }
        assert.ok(load.every((n) => n === 3));
      },
    ),
  );
});

test("the start reader follows Java's String.hashCode, as Flink's assignment does", () => {
  // "orders".hashCode() = -1008770331 and (-1008770331 * 31) & 0x7fffffff = 940374459 (computed
  // independently with Python's big integers); 940374459 % 11 = 2 and % 13 = 11.
  assert.equal(partitionOwner("orders", 0, 11), 2);
  assert.equal(partitionOwner("orders", 0, 13), 11);
  assert.equal(partitionOwner("orders", 5, 13), (11 + 5) % 13);
});
