import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness } from "@weir/testing";
import fc from "fast-check";
import { INSERT_ONLY, RETRACT, type Row } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { SortLimitSpec } from "./operator-specs.ts";
import { SortLimitFunction } from "./sort-limit-function.ts";
import { insert, remove, show, showRow, updateAfter, updateBefore } from "./testing/changelog.ts";

function spec(overrides: Partial<SortLimitSpec>): SortLimitSpec {
  return {
    orderBy: [{ index: 0, direction: "DESC", nullsFirst: false, type: LogicalTypes.bigint() }],
    offset: 0,
    fetch: null,
    inputMode: INSERT_ONLY,
    ...overrides,
  };
}

describe("SortLimitFunction", () => {
  test("emits nothing before the end of input, then the sorted window", async () => {
    await using h = await OneInputHarness.forFunction(new SortLimitFunction(spec({ offset: 1, fetch: 2 })));
    for (const v of [3n, null, 9n, 1n, 5n]) h.processRecord(insert(v, `r${v}`));
    assert.deepEqual(h.output(), []);
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[5, r5]", "+I[3, r3]"]);
  });

  test("NULLS FIRST / LAST, ties in arrival order, secondary key", async () => {
    const orderBy: SortLimitSpec["orderBy"] = [
      { index: 0, direction: "ASC", nullsFirst: true, type: LogicalTypes.bigint() },
      { index: 1, direction: "DESC", nullsFirst: false, type: LogicalTypes.string() },
    ];
    await using h = await OneInputHarness.forFunction(new SortLimitFunction(spec({ orderBy })));
    for (const row of [
      insert(1n, "a"),
      insert(null, "z"),
      insert(1n, "b"),
      insert(1n, null),
      insert(0n, "q"),
      insert(1n, "a"),
    ]) {
      h.processRecord(row);
    }
    h.endInput();
    assert.deepEqual(show(h.output()), [
      "+I[null, z]",
      "+I[0, q]",
      "+I[1, b]",
      "+I[1, a]",
      "+I[1, a]",
      "+I[1, null]",
    ]);
  });

  test("an updating input is materialized before sorting", async () => {
    await using h = await OneInputHarness.forFunction(
      new SortLimitFunction(spec({ inputMode: RETRACT, fetch: 2 })),
    );
    for (const r of [
      insert(1n, "a"),
      insert(3n, "b"),
      insert(2n, "c"),
      remove(3n, "b"),
      updateBefore(1n, "a"),
      updateAfter(7n, "a"),
    ]) {
      h.processRecord(r);
    }
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[7, a]", "+I[2, c]"]);
  });

  test("rows kept before a checkpoint are sorted after a restore", async () => {
    const s = spec({});
    const h = await OneInputHarness.forFunction(new SortLimitFunction(s));
    h.processRecord(insert(1n, "a"));
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(new SortLimitFunction(s), snapshot);
    restored.processRecord(insert(2n, "b"));
    restored.endInput();
    assert.deepEqual(show(restored.output()), ["+I[2, b]", "+I[1, a]"]);
  });

  test("a negative offset is refused", () => {
    assert.throws(
      () => new SortLimitFunction(spec({ offset: -1 })),
      /OFFSET must be a non-negative integer, got -1/,
    );
  });

  test("property: the output is the final rows sorted (stable), cut to offset and fetch", async () => {
    const steps = fc.array(
      fc.record({
        retract: fc.boolean(),
        v: fc.option(fc.bigInt({ min: 0n, max: 5n }), { nil: null }),
        pick: fc.nat(),
      }),
      { maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        steps,
        fc.nat({ max: 5 }),
        fc.option(fc.nat({ max: 6 }), { nil: null }),
        async (plan, offset, fetch) => {
          await using h = await OneInputHarness.forFunction(
            new SortLimitFunction(spec({ inputMode: RETRACT, offset, fetch })),
          );
          const live: Row[] = [];
          let serial = 0;
          for (const step of plan) {
            if (step.retract && live.length > 0) {
              h.processRecord(remove(...live.splice(step.pick % live.length, 1)[0]!));
            } else {
              const row: Row = [step.v, `r${serial++}`];
              live.push(row);
              h.processRecord(insert(...row));
            }
          }
          h.endInput();
          // DESC, NULLS LAST; ties keep arrival order (every row is unique, so arrival is well defined).
          const sorted = live
            .map((row, i) => ({ row, i }))
            .sort((a, b) => {
              const x = a.row[0] ?? null;
              const y = b.row[0] ?? null;
              if (x === y) return a.i - b.i;
              if (x === null) return 1;
              if (y === null) return -1;
              return (x as bigint) > (y as bigint) ? -1 : 1;
            })
            .map(({ row }) => row);
          const expected = sorted.slice(offset, fetch === null ? undefined : offset + fetch).map(showRow);
          assert.deepEqual(
            h.output().map((r) => showRow(r.fields)),
            expected,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
