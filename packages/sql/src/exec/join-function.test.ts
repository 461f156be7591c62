import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TwoInputHarness } from "@weir/testing";
import fc from "fast-check";
import { RETRACT, type Row, type RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { JoinFunction } from "./join-function.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { JoinSpec } from "./operator-specs.ts";
import {
  insert,
  materialize,
  remove,
  show,
  showRow,
  sortedExpansion,
  updateAfter,
  updateBefore,
} from "./testing/changelog.ts";

type JoinType = JoinSpec["joinType"];

function spec(joinType: JoinType, overrides: Partial<JoinSpec> = {}): JoinSpec {
  return {
    joinType,
    leftKey: [0],
    rightKey: [0],
    nullSafe: [false],
    nonEquiCondition: null,
    leftArity: 2,
    rightArity: 2,
    leftMode: RETRACT,
    rightMode: RETRACT,
    miniBatch: { enabled: false, size: 1, latencyMs: 1 },
    stateTtlMs: 0,
    ...overrides,
  };
}

async function harness(s: JoinSpec) {
  const key = keySelectorFor([0], [LogicalTypes.bigint()]);
  return TwoInputHarness.forFunction(new JoinFunction(s), { keySelectors: [key, key] });
}

type Step = readonly ["L" | "R", RowData];
function feed(
  h: { processRecord1(r: RowData): void; processRecord2(r: RowData): void },
  steps: readonly Step[],
): void {
  for (const [side, r] of steps) {
    if (side === "L") h.processRecord1(r);
    else h.processRecord2(r);
  }
}

describe("JoinFunction", () => {
  test("INNER: joined rows come and go with either side; input kinds pass through", async () => {
    await using h = await harness(spec("INNER"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["L", insert(1n, "b")],
      ["R", insert(2n, "z")],
      ["L", updateBefore(1n, "a")],
      ["L", updateAfter(1n, "c")],
      ["R", remove(1n, "p")],
    ]);
    assert.deepEqual(show(h.output()), [
      "+I[1, a, 1, p]",
      "+I[1, b, 1, p]",
      "-U[1, a, 1, p]",
      "+U[1, c, 1, p]",
      "-D[1, b, 1, p]",
      "-D[1, c, 1, p]",
    ]);
  });

  test("LEFT: the padded row is retracted by the first match and returns after the last", async () => {
    await using h = await harness(spec("LEFT"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", insert(1n, "q")],
      ["R", remove(1n, "p")],
      ["R", remove(1n, "q")],
      ["L", remove(1n, "a")],
    ]);
    assert.deepEqual(show(h.output()), [
      "+I[1, a, null, null]",
      "-D[1, a, null, null]",
      "+I[1, a, 1, p]",
      "+I[1, a, 1, q]",
      "-D[1, a, 1, p]",
      "-D[1, a, 1, q]",
      "+I[1, a, null, null]",
      "-D[1, a, null, null]",
    ]);
  });

  test("LEFT: a right row arriving first joins the left row as +I; the left row's retraction is -D", async () => {
    await using h = await harness(spec("LEFT"));
    feed(h, [
      ["R", insert(1n, "p")],
      ["L", insert(1n, "a")],
      ["L", updateBefore(1n, "a")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[1, a, 1, p]", "-D[1, a, 1, p]"]);
  });

  test("RIGHT mirrors LEFT", async () => {
    await using h = await harness(spec("RIGHT"));
    feed(h, [
      ["R", insert(1n, "p")],
      ["L", insert(1n, "a")],
      ["L", remove(1n, "a")],
    ]);
    assert.deepEqual(show(h.output()), [
      "+I[null, null, 1, p]",
      "-D[null, null, 1, p]",
      "+I[1, a, 1, p]",
      "-D[1, a, 1, p]",
      "+I[null, null, 1, p]",
    ]);
  });

  test("FULL: both sides are padded while unmatched", async () => {
    await using h = await harness(spec("FULL"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", insert(2n, "z")],
      ["L", remove(1n, "a")],
    ]);
    assert.deepEqual(show(h.output()), [
      "+I[1, a, null, null]",
      "-D[1, a, null, null]",
      "+I[1, a, 1, p]",
      "+I[null, null, 2, z]",
      "-D[1, a, 1, p]",
      "+I[null, null, 1, p]",
    ]);
  });

  test("FULL: per matched outer row, its padding goes just before its joined row (Flink's order)", async () => {
    await using h = await harness(spec("FULL"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["L", insert(1n, "b")],
    ]);
    h.clearOutput();
    feed(h, [
      ["R", insert(1n, "p")],
      ["R", remove(1n, "p")],
    ]);
    assert.deepEqual(show(h.output()), [
      "-D[1, a, null, null]",
      "+I[1, a, 1, p]",
      "-D[1, b, null, null]",
      "+I[1, b, 1, p]",
      "-D[1, a, 1, p]",
      "+I[1, a, null, null]",
      "-D[1, b, 1, p]",
      "+I[1, b, null, null]",
    ]);
  });

  test("a row stored twice joins twice and is padded twice", async () => {
    await using h = await harness(spec("LEFT"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
    ]);
    assert.deepEqual(show(h.output()), [
      "+I[1, a, null, null]",
      "+I[1, a, null, null]",
      "-D[1, a, null, null]",
      "-D[1, a, null, null]",
      "+I[1, a, 1, p]",
      "+I[1, a, 1, p]",
    ]);
  });

  test("NULL keys never match, unless the key is null-safe (IS NOT DISTINCT FROM)", async () => {
    await using h = await harness(spec("LEFT"));
    feed(h, [
      ["L", insert(null, "a")],
      ["R", insert(null, "p")],
      ["L", remove(null, "a")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[null, a, null, null]", "-D[null, a, null, null]"]);
    await using safe = await harness(spec("INNER", { nullSafe: [true] }));
    feed(safe, [
      ["L", insert(null, "a")],
      ["R", insert(null, "p")],
    ]);
    assert.deepEqual(show(safe.output()), ["+I[null, a, null, p]"]);
  });

  test("the non-equi condition decides matches (and so padding)", async () => {
    const lessThan = (l: Row, r: Row) => (l[1] as string) < (r[1] as string);
    await using h = await harness(spec("LEFT", { nonEquiCondition: lessThan }));
    feed(h, [
      ["L", insert(1n, "m")],
      ["R", insert(1n, "a")],
      ["R", insert(1n, "z")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[1, m, null, null]", "-D[1, m, null, null]", "+I[1, m, 1, z]"]);
  });

  test("SEMI: a left row is out while it has at least one match", async () => {
    await using h = await harness(spec("SEMI"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", insert(1n, "q")],
      ["R", remove(1n, "p")],
      ["R", remove(1n, "q")],
      ["R", insert(1n, "r")],
      ["L", remove(1n, "a")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[1, a]", "-D[1, a]", "+I[1, a]", "-D[1, a]"]);
  });

  test("SEMI: an update of the only matching right row updates the left row (-U/+U)", async () => {
    await using h = await harness(spec("SEMI"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", updateBefore(1n, "p")],
      ["R", updateAfter(1n, "q")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[1, a]", "-U[1, a]", "+U[1, a]"]);
  });

  test("ANTI: a left row is out while it has no match", async () => {
    await using h = await harness(spec("ANTI"));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", remove(1n, "p")],
      ["L", remove(1n, "a")],
      ["L", insert(null, "n")],
    ]);
    assert.deepEqual(show(h.output()), ["+I[1, a]", "-D[1, a]", "+I[1, a]", "-D[1, a]", "+I[null, n]"]);
  });

  test("state TTL: an expired right row no longer matches", async () => {
    await using h = await harness(spec("INNER", { stateTtlMs: 100 }));
    h.processRecord2(insert(1n, "p"));
    h.advanceBy(100);
    h.processRecord1(insert(1n, "a"));
    assert.deepEqual(h.output(), []);
  });

  test("state survives snapshot and restore", async () => {
    const s = spec("LEFT");
    const h = await harness(s);
    h.processRecord1(insert(1n, "a"));
    const snapshot = h.snapshot();
    await h.close();
    const key = keySelectorFor([0], [LogicalTypes.bigint()]);
    await using restored = await TwoInputHarness.restore(new JoinFunction(s), snapshot, {
      keySelectors: [key, key],
    });
    restored.processRecord2(insert(1n, "p"));
    assert.deepEqual(show(restored.output()), ["-D[1, a, null, null]", "+I[1, a, 1, p]"]);
  });
});

describe("JoinFunction mini-batch", () => {
  const miniBatch = (size: number) => ({ enabled: true, size, latencyMs: 100 });

  test("rows are joined when the batch deadline fires; an insert retracted in the batch never shows", async () => {
    await using h = await harness(spec("LEFT", { miniBatch: miniBatch(1000) }));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
      ["R", insert(1n, "tmp")],
      ["R", remove(1n, "tmp")],
    ]);
    assert.deepEqual(h.output(), []);
    h.advanceBy(100);
    // The left row is joined before the right buffer: its padded row comes and goes once.
    assert.deepEqual(show(h.output()), ["+I[1, a, null, null]", "-D[1, a, null, null]", "+I[1, a, 1, p]"]);
  });

  test("the end of an input joins everything still buffered", async () => {
    await using h = await harness(spec("INNER", { miniBatch: miniBatch(1000) }));
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
    ]);
    h.endInput(0);
    assert.deepEqual(show(h.output()), ["+I[1, a, 1, p]"]);
  });

  test("buffered rows survive a snapshot", async () => {
    const s = spec("INNER", { miniBatch: miniBatch(1000) });
    const h = await harness(s);
    feed(h, [
      ["L", insert(1n, "a")],
      ["R", insert(1n, "p")],
    ]);
    const snapshot = h.snapshot();
    await h.close();
    const key = keySelectorFor([0], [LogicalTypes.bigint()]);
    await using restored = await TwoInputHarness.restore(new JoinFunction(s), snapshot, {
      keySelectors: [key, key],
    });
    restored.advanceBy(100);
    assert.deepEqual(show(restored.output()), ["+I[1, a, 1, p]"]);
  });

  test("a bad mini-batch size is refused with the option's name", () => {
    assert.throws(
      () => new JoinFunction(spec("INNER", { miniBatch: { enabled: true, size: 0, latencyMs: 10 } })),
      /table\.exec\.mini-batch\.size must be a positive integer, got 0/,
    );
  });
});

/** Oracle: the join of the final input rows, by nested loops. */
function expectedJoin(
  type: JoinType,
  lefts: readonly Row[],
  rights: readonly Row[],
  cond: (l: Row, r: Row) => boolean,
): string[] {
  const counts = new Map<string, number>();
  const add = (row: Row) => counts.set(showRow(row), (counts.get(showRow(row)) ?? 0) + 1);
  const matches = (l: Row, r: Row) => l[0] !== null && l[0] === r[0] && cond(l, r);
  for (const l of lefts) {
    const ms = rights.filter((r) => matches(l, r));
    if (type === "SEMI") {
      if (ms.length > 0) add(l);
    } else if (type === "ANTI") {
      if (ms.length === 0) add(l);
    } else {
      for (const r of ms) add([...l, ...r]);
      if (ms.length === 0 && (type === "LEFT" || type === "FULL")) add([...l, null, null]);
    }
  }
  if (type === "RIGHT" || type === "FULL") {
    for (const r of rights) if (!lefts.some((l) => matches(l, r))) add([null, null, ...r]);
  }
  return sortedExpansion(counts);
}

describe("JoinFunction properties", () => {
  const steps = fc.array(
    fc.record({
      left: fc.boolean(),
      retract: fc.boolean(),
      key: fc.constantFrom(1n, 2n, null),
      value: fc.integer({ min: 0, max: 3 }),
      pick: fc.nat(),
    }),
    { maxLength: 40 },
  );
  const cond = (l: Row, r: Row) => (l[1] as number) <= (r[1] as number);

  for (const [type, batched] of (["INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI"] as const).flatMap(
    (t) =>
      [
        [t, false],
        [t, true],
      ] as const,
  )) {
    test(`${type}${batched ? " (mini-batch)" : ""}: the materialized output is the join of the final inputs`, async () => {
      await fc.assert(
        fc.asyncProperty(steps, fc.integer({ min: 1, max: 5 }), async (plan, size) => {
          const miniBatch = { enabled: batched, size, latencyMs: 10 };
          await using h = await harness(spec(type, { nonEquiCondition: cond, miniBatch }));
          let processed = 0;
          const live: [Row[], Row[]] = [[], []];
          for (const step of plan) {
            const rows = live[step.left ? 0 : 1];
            let record: RowData;
            if (step.retract && rows.length > 0) {
              const [row] = rows.splice(step.pick % rows.length, 1);
              record = remove(...row!);
            } else {
              const row: Row = [step.key, step.value];
              rows.push(row);
              record = insert(...row);
            }
            if (step.left) h.processRecord1(record);
            else h.processRecord2(record);
            if (++processed % 4 === 0) h.advanceBy(10);
          }
          h.endInput(0);
          h.endInput(1);
          assert.deepEqual(materialize(h.output()), expectedJoin(type, live[0], live[1], cond));
        }),
        { numRuns: 80 },
      );
    });
  }
});
