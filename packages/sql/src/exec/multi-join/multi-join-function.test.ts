import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness, TwoInputHarness } from "@weir/testing";
import fc from "fast-check";
import { RETRACT, type Row, type RowData, RowKind } from "../../data/row.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { JoinFunction } from "../join-function.ts";
import { keySelectorFor } from "../key-selector.ts";
import type { RowPredicate } from "../operator-specs.ts";
import {
  insert,
  materialize,
  remove,
  show,
  sortedExpansion,
  updateAfter,
  updateBefore,
} from "../testing/changelog.ts";
import { MultiJoinFunction } from "./multi-join-function.ts";
import { type MultiJoinSpec, taggedKeySelector, tagRow } from "./multi-join-spec.ts";

// Three inputs of rows [k, v]; the chain `a ⋈ b ON a.k = b.k ⋈ c ON b.k = c.k AND c.v >= a.v`.
const level1: RowPredicate = (r) => r[0] !== null && r[0] === r[2];
const level2: RowPredicate = (r) => r[2] !== null && r[2] === r[4] && (r[5] as number) >= (r[1] as number);

type JoinType = "INNER" | "LEFT";

function spec(types: readonly [JoinType, JoinType], overrides: Partial<MultiJoinSpec> = {}): MultiJoinSpec {
  return {
    arities: [2, 2, 2],
    joinTypes: types,
    conditions: [level1, level2],
    inputModes: [RETRACT, RETRACT, RETRACT],
    stateTtlMs: 0,
    ...overrides,
  };
}

const KEY = taggedKeySelector([[0], [0], [0]], [LogicalTypes.bigint()]);

async function multiJoin(s: MultiJoinSpec) {
  return OneInputHarness.forFunction(new MultiJoinFunction(s), { keySelector: KEY });
}

describe("MultiJoinFunction", () => {
  test("INNER, INNER: a row of any input joins the stored rows of the others; kinds pass through", async () => {
    await using h = await multiJoin(spec(["INNER", "INNER"]));
    h.processRecord(tagRow(0, insert(1n, 1)));
    h.processRecord(tagRow(2, insert(1n, 5)));
    assert.deepEqual(show(h.output()), []);
    h.processRecord(tagRow(1, insert(1n, 2)));
    h.processRecord(tagRow(2, insert(1n, 0))); // c.v >= a.v fails
    h.processRecord(tagRow(0, updateBefore(1n, 1)));
    h.processRecord(tagRow(0, updateAfter(1n, 3)));
    h.processRecord(tagRow(2, insert(2n, 9))); // another key
    assert.deepEqual(show(h.output()), [
      "+I[1, 1, 1, 2, 1, 5]",
      "-U[1, 1, 1, 2, 1, 5]",
      "+U[1, 3, 1, 2, 1, 5]",
    ]);
  });

  test("INNER, LEFT: the padded row goes with the first match and comes back with the last", async () => {
    await using h = await multiJoin(spec(["INNER", "LEFT"]));
    h.processRecord(tagRow(0, insert(1n, 1)));
    h.processRecord(tagRow(1, insert(1n, 2)));
    h.processRecord(tagRow(2, insert(1n, 7)));
    h.processRecord(tagRow(2, insert(1n, 8)));
    h.processRecord(tagRow(0, insert(1n, 2)));
    h.processRecord(tagRow(2, remove(1n, 7)));
    h.processRecord(tagRow(2, remove(1n, 8)));
    assert.deepEqual(show(h.output()), [
      "+I[1, 1, 1, 2, null, null]",
      "-D[1, 1, 1, 2, null, null]",
      "+I[1, 1, 1, 2, 1, 7]",
      "+I[1, 1, 1, 2, 1, 8]",
      "+I[1, 2, 1, 2, 1, 7]",
      "+I[1, 2, 1, 2, 1, 8]",
      "-D[1, 1, 1, 2, 1, 7]",
      "-D[1, 2, 1, 2, 1, 7]",
      "-D[1, 1, 1, 2, 1, 8]",
      "+I[1, 1, 1, 2, null, null]",
      "-D[1, 2, 1, 2, 1, 8]",
      "+I[1, 2, 1, 2, null, null]",
    ]);
  });

  test("LEFT, LEFT: padding is carried up, a NULL key matches nothing, duplicates multiply", async () => {
    await using h = await multiJoin(spec(["LEFT", "LEFT"]));
    h.processRecord(tagRow(0, insert(null, 1)));
    h.processRecord(tagRow(0, insert(1n, 1)));
    h.processRecord(tagRow(0, insert(1n, 1)));
    h.processRecord(tagRow(2, insert(1n, 4)));
    h.processRecord(tagRow(1, insert(1n, 2)));
    h.processRecord(tagRow(1, remove(1n, 2)));
    h.processRecord(tagRow(1, remove(1n, 2))); // not stored: nothing
    assert.deepEqual(show(h.output()), [
      "+I[null, 1, null, null, null, null]",
      "+I[1, 1, null, null, null, null]",
      "+I[1, 1, null, null, null, null]",
      "-D[1, 1, null, null, null, null]",
      "-D[1, 1, null, null, null, null]",
      "+I[1, 1, 1, 2, 1, 4]",
      "+I[1, 1, 1, 2, 1, 4]",
      "-D[1, 1, 1, 2, 1, 4]",
      "-D[1, 1, 1, 2, 1, 4]",
      "+I[1, 1, null, null, null, null]",
      "+I[1, 1, null, null, null, null]",
    ]);
    assert.deepEqual(materialize(h.output()), [
      "1, 1, null, null, null, null",
      "1, 1, null, null, null, null",
      "null, 1, null, null, null, null",
    ]);
  });

  test("keeps each input once in keyed state and resumes from a snapshot", async () => {
    const s = spec(["INNER", "LEFT"]);
    let snapshot: ReturnType<OneInputHarness<RowData, RowData>["snapshot"]>;
    {
      await using h = await multiJoin(s);
      h.processRecord(tagRow(0, insert(1n, 1)));
      h.processRecord(tagRow(1, insert(1n, 2)));
      h.processRecord(tagRow(1, insert(1n, 2)));
      snapshot = h.snapshot();
      assert.deepEqual(Object.keys(snapshot.keyed).sort(), [
        "multi-join-input-0",
        "multi-join-input-1",
        "multi-join-input-2",
      ]);
    }
    await using restored = await OneInputHarness.restore(new MultiJoinFunction(s), snapshot, {
      keySelector: KEY,
    });
    restored.processRecord(tagRow(2, insert(1n, 3)));
    // b's row is stored twice: its combination with a counts 2.
    assert.deepEqual(show(restored.output()), [
      "-D[1, 1, 1, 2, null, null]",
      "-D[1, 1, 1, 2, null, null]",
      "+I[1, 1, 1, 2, 1, 3]",
      "+I[1, 1, 1, 2, 1, 3]",
    ]);
  });

  test("state TTL: an expired input row joins no more", async () => {
    await using h = await OneInputHarness.forFunction(
      new MultiJoinFunction(spec(["INNER", "INNER"], { stateTtlMs: 100 })),
      {
        keySelector: KEY,
        startTime: 0,
      },
    );
    h.processRecord(tagRow(0, insert(1n, 1)));
    h.advanceProcessingTime(50);
    h.processRecord(tagRow(1, insert(1n, 2)));
    h.advanceProcessingTime(120);
    h.processRecord(tagRow(2, insert(1n, 3))); // a's row expired at 100
    assert.deepEqual(show(h.output()), []);
    h.processRecord(tagRow(0, insert(1n, 1)));
    assert.deepEqual(show(h.output()), ["+I[1, 1, 1, 2, 1, 3]"]);
  });

  test("refuses inputs without full retractions, and mismatched specs", () => {
    assert.throws(
      () =>
        new MultiJoinFunction(
          spec(["INNER", "INNER"], { inputModes: [RETRACT, { kind: "upsert", upsertKey: [0] }, RETRACT] }),
        ),
      /MultiJoin \(input 1\)/,
    );
    assert.throws(
      () => new MultiJoinFunction(spec(["INNER", "INNER"], { conditions: [level1] })),
      /3 inputs need 2/,
    );
  });
});

// ---- The multi-way join against the chain of binary joins and against a direct evaluation ----

/** The binary chain: J1 = a ⋈ b on k; J2 = J1 ⋈ c on b.k = c.k, non-equi c.v >= a.v. */
async function binaryChain(types: readonly [JoinType, JoinType]) {
  const base = {
    nullSafe: [false],
    rightArity: 2,
    leftMode: RETRACT,
    rightMode: RETRACT,
    miniBatch: { enabled: false, size: 1, latencyMs: 1 },
    stateTtlMs: 0,
  };
  const bigint = [LogicalTypes.bigint()];
  const j1 = await TwoInputHarness.forFunction(
    new JoinFunction({
      ...base,
      joinType: types[0],
      leftKey: [0],
      rightKey: [0],
      nonEquiCondition: null,
      leftArity: 2,
    }),
    { keySelectors: [keySelectorFor([0], bigint), keySelectorFor([0], bigint)] },
  );
  const j2 = await TwoInputHarness.forFunction(
    new JoinFunction({
      ...base,
      joinType: types[1],
      leftKey: [2],
      rightKey: [0],
      nonEquiCondition: (l, r) => (r[1] as number) >= (l[1] as number),
      leftArity: 4,
    }),
    { keySelectors: [keySelectorFor([2], bigint), keySelectorFor([0], bigint)] },
  );
  let forwarded = 0;
  return {
    j1,
    j2,
    process(input: number, record: RowData): void {
      if (input === 0) j1.processRecord1(record);
      else if (input === 1) j1.processRecord2(record);
      else j2.processRecord2(record);
      const out = j1.output();
      for (; forwarded < out.length; forwarded++) j2.processRecord1(out[forwarded]!);
    },
    async [Symbol.asyncDispose]() {
      await j1.close();
      await j2.close();
    },
  };
}

/** The chain's result computed directly from the final input rows. */
function directJoin(types: readonly [JoinType, JoinType], inputs: readonly Row[][]): string[] {
  let combos: Row[] = inputs[0]!.map((r) => [...r]);
  const conditions = [level1, level2];
  for (let d = 1; d < 3; d++) {
    const next: Row[] = [];
    for (const combo of combos) {
      const matched = inputs[d]!.map((r) => [...combo, ...r]).filter((r) => conditions[d - 1]!(r));
      if (matched.length === 0 && types[d - 1] === "LEFT") next.push([...combo, null, null]);
      next.push(...matched);
    }
    combos = next;
  }
  const counts = new Map<string, number>();
  for (const c of combos) {
    const text = c.map((v) => (v === null ? "null" : String(v))).join(", ");
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return sortedExpansion(counts);
}

const steps = fc.array(
  fc.record({
    input: fc.integer({ min: 0, max: 2 }),
    retract: fc.boolean(),
    update: fc.boolean(),
    key: fc.constantFrom(1n, 2n, null),
    value: fc.integer({ min: 0, max: 3 }),
    pick: fc.nat(),
  }),
  { maxLength: 40 },
);

interface Step {
  readonly input: number;
  readonly retract: boolean;
  readonly update: boolean;
  readonly key: bigint | null;
  readonly value: number;
  readonly pick: number;
}

/** The changelog of `plan`: inserts, and deletes / update pairs of live rows; fills `live`. */
function changelog(plan: readonly Step[], live: Row[][]) {
  const records: [number, RowData][] = [];
  for (const step of plan) {
    const rows = live[step.input]!;
    const row: Row = [step.key, step.value];
    if (step.retract && rows.length > 0) {
      const [old] = rows.splice(step.pick % rows.length, 1);
      if (step.update) {
        records.push([step.input, { kind: RowKind.UPDATE_BEFORE, fields: old! }]);
        records.push([step.input, { kind: RowKind.UPDATE_AFTER, fields: row }]);
        rows.push(row);
      } else records.push([step.input, remove(...old!)]);
    } else {
      rows.push(row);
      records.push([step.input, insert(...row)]);
    }
  }
  return records;
}

describe("MultiJoinFunction properties", () => {
  for (const types of [
    ["INNER", "INNER"],
    ["INNER", "LEFT"],
    ["LEFT", "INNER"],
    ["LEFT", "LEFT"],
  ] as const) {
    test(`${types.join(", ")}: materializes to the binary chain's result and to the direct join`, async () => {
      await fc.assert(
        fc.asyncProperty(steps, async (plan) => {
          const live: Row[][] = [[], [], []];
          const records = changelog(plan, live);
          await using h = await multiJoin(spec(types));
          await using chain = await binaryChain(types);
          for (const [input, record] of records) {
            h.processRecord(tagRow(input, record));
            chain.process(input, record);
          }
          const multi = materialize(h.output());
          assert.deepEqual(multi, materialize(chain.j2.output()));
          assert.deepEqual(multi, directJoin(types, live));
        }),
        { numRuns: 150 },
      );
    });
  }

  test("state: the multi-way join holds the input rows only; the binary chain also holds the intermediate join", async () => {
    const live: Row[][] = [[], [], []];
    const records: [number, RowData][] = [];
    for (let i = 0; i < 30; i++) {
      const row: Row = [BigInt(Math.floor(i / 3) % 2), i % 4];
      live[i % 3]!.push(row);
      records.push([i % 3, insert(...row)]);
    }
    await using h = await multiJoin(spec(["INNER", "LEFT"]));
    await using chain = await binaryChain(["INNER", "LEFT"]);
    for (const [input, record] of records) {
      h.processRecord(tagRow(input, record));
      chain.process(input, record);
    }
    const multi = storedRows(h.snapshot().keyed);
    assert.deepEqual(multi, {
      "multi-join-input-0": live[0]!.length,
      "multi-join-input-1": live[1]!.length,
      "multi-join-input-2": live[2]!.length,
    });
    const first = storedRows(chain.j1.snapshot().keyed);
    const second = storedRows(chain.j2.snapshot().keyed);
    // J2's left state is J1's result (a ⋈ b), kept in addition to the inputs.
    const intermediate = materialize(chain.j1.output()).length;
    assert.ok(intermediate > 0);
    assert.equal(second["join-left-rows"], intermediate);
    const binaryTotal =
      Object.values(first).reduce((a, b) => a + b, 0) + Object.values(second).reduce((a, b) => a + b, 0);
    const multiTotal = Object.values(multi).reduce((a, b) => a + b, 0);
    assert.equal(binaryTotal, multiTotal + intermediate);
  });
});

/**
 * Rows stored per state name (the count of each stored row added up). A snapshot holds a map
 * state per key as `[encoded map key, [map key, value]]` entries; values are `[row, count, …]`.
 */
function storedRows(keyed: Record<string, [unknown, unknown][]>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, entries] of Object.entries(keyed)) {
    let total = 0;
    for (const [, map] of entries) {
      for (const [, [, stored]] of map as [unknown, [unknown, [Row, number]]][]) total += stored[1];
    }
    result[name] = total;
  }
  return result;
}
