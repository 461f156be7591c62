import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TwoInputHarness } from "@weir/testing";
import fc from "fast-check";
import type { Row, RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { SetOperationSpec } from "./operator-specs.ts";
import { SetOperationFunction } from "./set-operation-function.ts";
import { insert, materialize, remove, show, showRow, sortedExpansion } from "./testing/changelog.ts";

async function harness(operation: SetOperationSpec["operation"], all: boolean) {
  const key = keySelectorFor([0, 1], [LogicalTypes.string(), LogicalTypes.bigint()]);
  return TwoInputHarness.forFunction(new SetOperationFunction({ operation, all, arity: 2, stateTtlMs: 0 }), {
    keySelectors: [key, key],
  });
}

describe("SetOperationFunction", () => {
  test("EXCEPT: a left row is out while the right side does not have it", async () => {
    await using h = await harness("EXCEPT", false);
    h.processRecord1(insert("x", 1n));
    h.processRecord1(insert("x", 1n));
    h.processRecord2(insert("x", 1n));
    h.processRecord2(remove("x", 1n));
    assert.deepEqual(show(h.output()), ["+I[x, 1]", "-D[x, 1]", "+I[x, 1]"]);
  });

  test("EXCEPT ALL keeps left copies minus right copies", async () => {
    await using h = await harness("EXCEPT", true);
    h.processRecord1(insert("x", 1n));
    h.processRecord1(insert("x", 1n));
    h.processRecord2(insert("x", 1n));
    assert.deepEqual(show(h.output()), ["+I[x, 1]", "+I[x, 1]", "-D[x, 1]"]);
  });

  test("INTERSECT and INTERSECT ALL", async () => {
    await using distinct = await harness("INTERSECT", false);
    await using all = await harness("INTERSECT", true);
    for (const h of [distinct, all]) {
      h.processRecord1(insert("x", 1n));
      h.processRecord1(insert("x", 1n));
      h.processRecord2(insert("x", 1n));
      h.processRecord2(insert("x", 1n));
    }
    assert.deepEqual(show(distinct.output()), ["+I[x, 1]"]);
    assert.deepEqual(show(all.output()), ["+I[x, 1]", "+I[x, 1]"]);
  });

  test("UNION removes duplicates across and within inputs", async () => {
    await using h = await harness("UNION", false);
    h.processRecord1(insert("x", 1n));
    h.processRecord2(insert("x", 1n));
    h.processRecord1(remove("x", 1n));
    h.processRecord2(remove("x", 1n));
    assert.deepEqual(show(h.output()), ["+I[x, 1]", "-D[x, 1]"]);
  });

  const oracle: Record<string, (l: number, r: number) => number> = {
    "UNION false": (l, r) => (l + r > 0 ? 1 : 0),
    "INTERSECT false": (l, r) => (l > 0 && r > 0 ? 1 : 0),
    "INTERSECT true": (l, r) => Math.min(l, r),
    "EXCEPT false": (l, r) => (l > 0 && r === 0 ? 1 : 0),
    "EXCEPT true": (l, r) => Math.max(0, l - r),
  };
  for (const name of Object.keys(oracle)) {
    const [operation, all] = name.split(" ") as [SetOperationSpec["operation"], string];
    test(`property: ${operation}${all === "true" ? " ALL" : ""} materializes to the set result of the final inputs`, async () => {
      const steps = fc.array(
        fc.record({
          left: fc.boolean(),
          retract: fc.boolean(),
          v: fc.bigInt({ min: 0n, max: 3n }),
          pick: fc.nat(),
        }),
        { maxLength: 40 },
      );
      await fc.assert(
        fc.asyncProperty(steps, async (plan) => {
          await using h = await harness(operation, all === "true");
          const live: [Row[], Row[]] = [[], []];
          for (const step of plan) {
            const rows = live[step.left ? 0 : 1];
            let record: RowData;
            if (step.retract && rows.length > 0)
              record = remove(...rows.splice(step.pick % rows.length, 1)[0]!);
            else {
              rows.push(["k", step.v]);
              record = insert("k", step.v);
            }
            if (step.left) h.processRecord1(record);
            else h.processRecord2(record);
          }
          const count = (rows: Row[], text: string) => rows.filter((r) => showRow(r) === text).length;
          const expected = new Map<string, number>();
          for (const text of new Set([...live[0], ...live[1]].map(showRow))) {
            const n = oracle[name]!(count(live[0], text), count(live[1], text));
            if (n > 0) expected.set(text, n);
          }
          assert.deepEqual(materialize(h.output()), sortedExpansion(expected));
        }),
        { numRuns: 80 },
      );
    });
  }
});
