import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ExecutionMode } from "@weir/api";
import { OneInputHarness, UserCodeError } from "@weir/testing";
import fc from "fast-check";
import { INSERT_ONLY, RETRACT, type RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { AggregateSetupError } from "./group-accumulators.ts";
import { GroupAggregateFunction } from "./group-aggregate-function.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { AggregateCallSpec, GroupAggregateSpec } from "./operator-specs.ts";
import { insert, materialize, remove, show, updateAfter, updateBefore } from "./testing/changelog.ts";
import {
  appendOnlyMinAggregate,
  call,
  countAggregate,
  maxAggregate,
  sumAggregate,
} from "./testing/test-aggregates.ts";

const COUNT_STAR = call("COUNT(*)", countAggregate, []);
const SUM_V = call("SUM($1)", sumAggregate, [1]);

function spec(overrides: Partial<GroupAggregateSpec> = {}): GroupAggregateSpec {
  return {
    groupKey: [0],
    calls: [COUNT_STAR, SUM_V],
    inputMode: RETRACT,
    generateUpdateBefore: true,
    miniBatch: { enabled: false, size: 1000, latencyMs: 1000 },
    twoPhase: false,
    stateTtlMs: 0,
    ...overrides,
  };
}

async function harness(s: GroupAggregateSpec, options: { executionMode?: ExecutionMode } = {}) {
  const types = s.groupKey.map(() => LogicalTypes.string());
  return OneInputHarness.forFunction(new GroupAggregateFunction(s), {
    keySelector: keySelectorFor(s.groupKey, types),
    ...options,
  });
}

function feed(h: { processRecord(r: RowData): void }, records: readonly RowData[]): void {
  for (const r of records) h.processRecord(r);
}

describe("GroupAggregateFunction", () => {
  test("a new group is inserted, a changed result is retracted then updated", async () => {
    await using h = await harness(spec());
    feed(h, [insert("a", 1n), insert("a", 2n), insert("b", 5n)]);
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1]", "-U[a, 1, 1]", "+U[a, 2, 3]", "+I[b, 1, 5]"]);
  });

  test("retractions update the result and the last one deletes the group", async () => {
    await using h = await harness(spec());
    feed(h, [insert("a", 1n), insert("a", 2n)]);
    h.clearOutput();
    feed(h, [remove("a", 1n), updateBefore("a", 2n), updateAfter("a", 7n), remove("a", 7n)]);
    assert.deepEqual(show(h.output()), [
      "-U[a, 2, 3]",
      "+U[a, 1, 2]",
      "-D[a, 1, 2]",
      "+I[a, 1, 7]",
      "-D[a, 1, 7]",
    ]);
    // The group is gone: a new row starts it again with +I.
    h.clearOutput();
    h.processRecord(insert("a", 4n));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 4]"]);
  });

  test("nothing is emitted when the result does not change", async () => {
    await using h = await harness(spec({ calls: [SUM_V] }));
    feed(h, [insert("a", 5n), insert("a", 0n), insert("a", null)]);
    assert.deepEqual(show(h.output()), ["+I[a, 5]"]);
  });

  test("with a state TTL every change is emitted, as Flink does to refresh downstream state", async () => {
    await using h = await harness(spec({ calls: [SUM_V], stateTtlMs: 10_000 }));
    feed(h, [insert("a", 5n), insert("a", 0n)]);
    assert.deepEqual(show(h.output()), ["+I[a, 5]", "-U[a, 5]", "+U[a, 5]"]);
  });

  test("upsert output (no update-before) sends only +U for a changed result", async () => {
    await using h = await harness(spec({ generateUpdateBefore: false }));
    feed(h, [insert("a", 1n), insert("a", 2n), remove("a", 1n), remove("a", 2n)]);
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1]", "+U[a, 2, 3]", "+U[a, 1, 2]", "-D[a, 1, 2]"]);
  });

  test("a retraction for a group with no state is dropped", async () => {
    await using h = await harness(spec());
    h.processRecord(remove("zz", 1n));
    assert.deepEqual(h.output(), []);
  });

  test("COUNT(DISTINCT v) keeps a count per value, so retraction is exact", async () => {
    const countDistinct = call("COUNT(DISTINCT $1)", countAggregate, [1], { distinct: true });
    await using h = await harness(spec({ calls: [countDistinct] }));
    feed(h, [insert("a", 1n), insert("a", 1n), insert("a", 2n), remove("a", 1n)]);
    assert.deepEqual(show(h.output()), ["+I[a, 1]", "-U[a, 1]", "+U[a, 2]"]);
    h.clearOutput();
    h.processRecord(remove("a", 1n));
    assert.deepEqual(show(h.output()), ["-U[a, 2]", "+U[a, 1]"]);
  });

  test("SUM(DISTINCT v) and SUM(v) side by side", async () => {
    const sumDistinct = call("SUM(DISTINCT $1)", sumAggregate, [1], { distinct: true });
    await using h = await harness(spec({ calls: [sumDistinct, SUM_V] }));
    feed(h, [insert("a", 3n), insert("a", 3n), insert("a", 4n)]);
    assert.deepEqual(show(h.output()).at(-1), "+U[a, 7, 10]");
  });

  test("FILTER (WHERE flag) only folds rows whose flag is TRUE", async () => {
    const filtered = call("SUM($1) FILTER $2", sumAggregate, [1], { filterArg: 2 });
    await using h = await harness(spec({ calls: [COUNT_STAR, filtered] }));
    feed(h, [insert("a", 1n, true), insert("a", 10n, false), insert("a", 100n, null), insert("a", 5n, true)]);
    assert.deepEqual(show(h.output()), [
      "+I[a, 1, 1]",
      "-U[a, 1, 1]",
      "+U[a, 2, 1]",
      "-U[a, 2, 1]",
      "+U[a, 3, 1]",
      "-U[a, 3, 1]",
      "+U[a, 4, 6]",
    ]);
  });

  test("an aggregate without retract is refused for an updating input, and allowed for insert-only", () => {
    const min = call("MIN($1)", appendOnlyMinAggregate, [1]);
    assert.throws(
      () => new GroupAggregateFunction(spec({ calls: [min], inputMode: RETRACT })),
      (e: unknown) =>
        e instanceof AggregateSetupError &&
        e.message ===
          "MIN($1) cannot consume an updating input: the aggregate function has no retract method",
    );
    assert.doesNotThrow(() => new GroupAggregateFunction(spec({ calls: [min], inputMode: INSERT_ONLY })));
  });

  test("a retraction reaching an aggregate planned for insert-only input fails with a clear cause", async () => {
    const min = call("MIN($1)", appendOnlyMinAggregate, [1]);
    await using h = await harness(spec({ calls: [min], inputMode: INSERT_ONLY }));
    h.processRecord(insert("a", 1n));
    assert.throws(
      () => h.processRecord(remove("a", 1n)),
      (e: unknown) =>
        e instanceof UserCodeError &&
        e.cause instanceof AggregateSetupError &&
        e.cause.message.startsWith("MIN($1) received a retraction"),
    );
  });

  test("an upsert input is refused: retractions must carry the full row", () => {
    assert.throws(
      () => new GroupAggregateFunction(spec({ inputMode: { kind: "upsert", upsertKey: [0] } })),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message ===
          "GroupAggregate needs an insert-only or retract input, got an upsert stream (key fields 0); normalize it first with ChangelogNormalize",
    );
  });

  test("MAX with retraction falls back to the next largest value", async () => {
    await using h = await harness(spec({ calls: [call("MAX($1)", maxAggregate, [1])] }));
    feed(h, [insert("a", 3n), insert("a", 9n), remove("a", 9n)]);
    assert.deepEqual(show(h.output()), ["+I[a, 3]", "-U[a, 3]", "+U[a, 9]", "-U[a, 9]", "+U[a, 3]"]);
  });

  test("a global aggregation (no GROUP BY) uses one constant key; an empty stream emits nothing", async () => {
    const s = spec({ groupKey: [], calls: [COUNT_STAR] });
    await using h = await harness(s);
    h.endInput();
    assert.deepEqual(h.output(), []);
    await using h2 = await harness(s);
    feed(h2, [insert("x", 1n), insert("y", 2n)]);
    assert.deepEqual(show(h2.output()), ["+I[1]", "-U[1]", "+U[2]"]);
  });

  test("in BATCH mode a global aggregation over no rows emits its one row (on a non-keyed stream)", async () => {
    const s = spec({ groupKey: [], calls: [COUNT_STAR, SUM_V] });
    await using h = await OneInputHarness.forFunction(new GroupAggregateFunction(s), {
      executionMode: ExecutionMode.BATCH,
    });
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[0, null]"]);
  });

  test("state TTL: an expired group starts again, a retraction for it is dropped", async () => {
    await using h = await harness(spec({ stateTtlMs: 1000 }));
    h.processRecord(insert("a", 1n));
    h.advanceBy(1000);
    h.processRecord(remove("a", 1n));
    h.processRecord(insert("a", 2n));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1]", "+I[a, 1, 2]"]);
  });

  test("state survives snapshot and restore", async () => {
    const s = spec();
    const h = await harness(s);
    feed(h, [insert("a", 1n), insert("b", 2n)]);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(new GroupAggregateFunction(s), snapshot, {
      keySelector: keySelectorFor([0], [LogicalTypes.string()]),
    });
    restored.processRecord(insert("a", 10n));
    assert.deepEqual(show(restored.output()), ["-U[a, 1, 1]", "+U[a, 2, 11]"]);
  });

  test("an aggregate that throws fails the operator with the cause", async () => {
    const broken = call(
      "BROKEN($1)",
      {
        ...sumAggregate,
        accumulate: () => {
          throw new Error("boom");
        },
      } as never,
      [1],
    );
    await using h = await harness(spec({ calls: [broken] }));
    assert.throws(
      () => h.processRecord(insert("a", 1n)),
      (e: unknown) => e instanceof UserCodeError,
    );
  });
});

describe("GroupAggregateFunction mini-batch", () => {
  const miniBatch = (size: number, latencyMs = 100) =>
    spec({ miniBatch: { enabled: true, size, latencyMs } });

  test("rows are folded once per key when the batch deadline fires", async () => {
    await using h = await harness(miniBatch(1000));
    feed(h, [insert("a", 1n), insert("a", 2n), insert("b", 5n), insert("a", 3n)]);
    assert.deepEqual(h.output(), []);
    h.advanceBy(99);
    assert.deepEqual(h.output(), []);
    h.advanceBy(1);
    assert.deepEqual(show(h.output()), ["+I[a, 3, 6]", "+I[b, 1, 5]"]);
    h.clearOutput();
    feed(h, [remove("a", 1n), insert("a", 1n)]);
    h.advanceBy(100);
    // The batch retracted and re-added a row: the result did not change, nothing is sent.
    assert.deepEqual(h.output(), []);
    feed(h, [remove("b", 5n)]);
    h.advanceBy(100);
    assert.deepEqual(show(h.output()), ["-D[b, 1, 5]"]);
  });

  test("reaching the size folds the key being processed at once", async () => {
    await using h = await harness(miniBatch(3));
    feed(h, [insert("a", 1n), insert("b", 1n)]);
    assert.deepEqual(h.output(), []);
    h.processRecord(insert("a", 2n));
    assert.deepEqual(show(h.output()), ["+I[a, 2, 3]"]);
    h.advanceBy(100);
    assert.deepEqual(show(h.output()), ["+I[a, 2, 3]", "+I[b, 1, 1]"]);
  });

  test("end of input folds every key still buffered", async () => {
    await using h = await harness(miniBatch(1000));
    feed(h, [insert("a", 1n), insert("b", 2n), insert("a", 3n)]);
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[a, 2, 4]", "+I[b, 1, 2]"]);
  });

  test("a global aggregation folds every latency on a non-keyed stream, with a TTL set", async () => {
    const s = spec({
      groupKey: [],
      calls: [COUNT_STAR],
      stateTtlMs: 1000,
      miniBatch: { enabled: true, size: 1000, latencyMs: 100 },
    });
    await using h = await OneInputHarness.forFunction(new GroupAggregateFunction(s));
    feed(h, [insert("x", 1n), insert("y", 2n)]);
    assert.deepEqual(h.output(), []);
    h.advanceBy(100);
    h.processRecord(insert("z", 3n));
    h.advanceBy(100);
    assert.deepEqual(show(h.output()), ["+I[2]", "-U[2]", "+U[3]"]);
  });

  test("buffered rows and their deadline survive a snapshot", async () => {
    const s = miniBatch(1000);
    const h = await harness(s);
    feed(h, [insert("a", 1n), insert("a", 2n)]);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(new GroupAggregateFunction(s), snapshot, {
      keySelector: keySelectorFor([0], [LogicalTypes.string()]),
    });
    restored.advanceBy(100);
    assert.deepEqual(show(restored.output()), ["+I[a, 2, 3]"]);
  });
});

/** Random valid changelogs: inserts of (key, value) and retractions of rows inserted before. */
const changelogArbitrary = fc
  .array(
    fc.record({
      retract: fc.boolean(),
      key: fc.constantFrom("a", "b", "c"),
      value: fc.option(fc.bigInt({ min: -5n, max: 5n }), { nil: null }),
      pick: fc.nat(),
    }),
    { maxLength: 60 },
  )
  .map((steps) => {
    const live: RowData[] = [];
    const out: RowData[] = [];
    for (const step of steps) {
      if (step.retract && live.length > 0) {
        const [row] = live.splice(step.pick % live.length, 1);
        out.push(remove(...row!.fields));
      } else {
        const row = insert(step.key, step.value);
        live.push(row);
        out.push(row);
      }
    }
    return { changelog: out, final: live };
  });

/** The oracle: GROUP BY key, COUNT(*), SUM(v), COUNT(DISTINCT v) computed on the final rows. */
function expectedGroups(rows: readonly RowData[]): string[] {
  const groups = new Map<string, { count: number; sum: bigint | null; distinct: Set<bigint> }>();
  for (const { fields } of rows) {
    const key = fields[0] as string;
    const value = fields[1] as bigint | null;
    const g = groups.get(key) ?? { count: 0, sum: null, distinct: new Set<bigint>() };
    g.count++;
    if (value !== null) {
      g.sum = (g.sum ?? 0n) + value;
      g.distinct.add(value);
    }
    groups.set(key, g);
  }
  return [...groups].map(([k, g]) => `${k}, ${g.count}, ${g.sum ?? "null"}, ${g.distinct.size}`).sort();
}

const PROPERTY_CALLS: readonly AggregateCallSpec[] = [
  COUNT_STAR,
  SUM_V,
  call("COUNT(DISTINCT $1)", countAggregate, [1], { distinct: true }),
];

describe("GroupAggregateFunction properties", () => {
  test("the materialized output equals GROUP BY over the final input rows", async () => {
    await fc.assert(
      fc.asyncProperty(changelogArbitrary, async ({ changelog, final }) => {
        await using h = await harness(spec({ calls: PROPERTY_CALLS }));
        feed(h, changelog);
        assert.deepEqual(materialize(h.output()), expectedGroups(final));
      }),
      { numRuns: 150 },
    );
  });

  test("mini-batch gives the same materialized result, whatever the batch boundaries", async () => {
    await fc.assert(
      fc.asyncProperty(
        changelogArbitrary,
        fc.integer({ min: 1, max: 8 }),
        async ({ changelog, final }, size) => {
          await using h = await harness(
            spec({ calls: PROPERTY_CALLS, miniBatch: { enabled: true, size, latencyMs: 10 } }),
          );
          changelog.forEach((r, i) => {
            h.processRecord(r);
            if (i % 5 === 4) h.advanceBy(10);
          });
          h.endInput();
          assert.deepEqual(materialize(h.output()), expectedGroups(final));
        },
      ),
      { numRuns: 150 },
    );
  });
});
