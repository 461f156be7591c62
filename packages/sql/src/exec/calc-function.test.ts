import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness } from "@weir/testing";
import { CalcFunction } from "./calc-function.ts";
import { insert, remove, show, updateAfter, updateBefore } from "./testing/changelog.ts";

describe("CalcFunction", () => {
  test("filters then projects, keeping each row's kind", async () => {
    const calc = new CalcFunction({
      condition: (row) => (row[0] as number) > 1,
      projection: (row) => [(row[0] as number) * 10, row[1] ?? null],
    });
    await using h = await OneInputHarness.forFunction(calc);
    for (const r of [
      insert(2, "a"),
      insert(1, "b"),
      updateBefore(2, "a"),
      updateAfter(3, "a"),
      remove(1, "b"),
    ]) {
      h.processRecord(r);
    }
    assert.deepEqual(show(h.output()), ["+I[20, a]", "-U[20, a]", "+U[30, a]"]);
  });

  test("without condition and projection the record passes unchanged", async () => {
    await using h = await OneInputHarness.forFunction(
      new CalcFunction({ condition: null, projection: null }),
    );
    const record = insert(1, null);
    h.processRecord(record);
    assert.equal(h.output()[0], record);
  });
});
