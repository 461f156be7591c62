import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { RowData } from "../data/row.ts";
import { foldRetractions } from "./changelog-folding.ts";
import { insert, materialize, remove, show, updateAfter, updateBefore } from "./testing/changelog.ts";

describe("foldRetractions", () => {
  test("an insert and a later retraction of the same row cancel; order is kept", () => {
    const folded = foldRetractions([
      insert("a"),
      insert("b"),
      remove("a"),
      updateBefore("c"),
      updateAfter("c"),
    ]);
    assert.deepEqual(show(folded), ["+I[b]", "-U[c]", "+U[c]"]);
  });

  test("duplicates cancel one for one", () => {
    assert.deepEqual(show(foldRetractions([insert(1n), insert(1n), remove(1n)])), ["+I[1]"]);
  });

  test("property: folding a valid changelog does not change what it materializes to", () => {
    const steps = fc.array(
      fc.record({ retract: fc.boolean(), v: fc.integer({ min: 0, max: 3 }), pick: fc.nat() }),
      {
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(steps, fc.nat({ max: 30 }), (plan, split) => {
        const live: number[] = [];
        const log: RowData[] = [];
        for (const step of plan) {
          if (step.retract && live.length > 0) log.push(remove(live.splice(step.pick % live.length, 1)[0]!));
          else {
            live.push(step.v);
            log.push(insert(step.v));
          }
        }
        // Fold the tail of the log as one mini-batch after the head was applied.
        const head = log.slice(0, split);
        const tail = log.slice(split);
        assert.deepEqual(materialize([...head, ...foldRetractions(tail)]), materialize(log));
      }),
    );
  });
});
