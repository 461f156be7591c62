import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness } from "@weir/testing";
import fc from "fast-check";
import type { RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { ChangelogNormalizeFunction } from "./changelog-normalize-function.ts";
import { keySelectorFor } from "./key-selector.ts";
import { insert, materialize, remove, show, updateAfter } from "./testing/changelog.ts";

async function run(generateUpdateBefore: boolean, stateTtlMs: number) {
  const h = await OneInputHarness.forFunction(
    new ChangelogNormalizeFunction({ key: [0], generateUpdateBefore, stateTtlMs }),
    { keySelector: keySelectorFor([0], [LogicalTypes.bigint()]) },
  );
  for (const r of [
    insert(1n, "a"),
    updateAfter(1n, "b"),
    updateAfter(1n, "b"),
    remove(1n, null),
    remove(2n, null),
    updateAfter(2n, "x"),
  ]) {
    h.processRecord(r);
  }
  const out = show(h.output());
  await h.close();
  return out;
}

describe("ChangelogNormalizeFunction", () => {
  test("upserts become a retract stream; a -D with only the key deletes the full kept row", async () => {
    assert.deepEqual(await run(true, 0), ["+I[1, a]", "-U[1, a]", "+U[1, b]", "-D[1, b]", "+I[2, x]"]);
  });

  test("without update-before only +U is sent for an update", async () => {
    assert.deepEqual(await run(false, 0), ["+I[1, a]", "+U[1, b]", "-D[1, b]", "+I[2, x]"]);
  });

  test("with a state TTL an identical row is sent again", async () => {
    assert.deepEqual(await run(true, 60_000), [
      "+I[1, a]",
      "-U[1, a]",
      "+U[1, b]",
      "-U[1, b]",
      "+U[1, b]",
      "-D[1, b]",
      "+I[2, x]",
    ]);
  });

  test("property: the retract output materializes to the last row of each live key", async () => {
    const steps = fc.array(
      fc.record({
        key: fc.bigInt({ min: 1n, max: 3n }),
        delete: fc.boolean(),
        value: fc.constantFrom("a", "b", "c"),
      }),
      { maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        await using h = await OneInputHarness.forFunction(
          new ChangelogNormalizeFunction({ key: [0], generateUpdateBefore: true, stateTtlMs: 0 }),
          { keySelector: keySelectorFor([0], [LogicalTypes.bigint()]) },
        );
        const last = new Map<bigint, string>();
        for (const step of plan) {
          let record: RowData;
          if (step.delete) {
            last.delete(step.key);
            record = remove(step.key, null);
          } else {
            last.set(step.key, step.value);
            record = updateAfter(step.key, step.value);
          }
          h.processRecord(record);
        }
        assert.deepEqual(materialize(h.output()), [...last].map(([k, v]) => `${k}, ${v}`).sort());
      }),
      { numRuns: 100 },
    );
  });
});
