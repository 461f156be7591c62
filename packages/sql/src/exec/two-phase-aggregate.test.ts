import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ExecutionMode } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import fc from "fast-check";
import { RETRACT, type RowData } from "../data/row.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import { GlobalGroupAggregateFunction } from "./global-group-aggregate-function.ts";
import { AggregateSetupError } from "./group-accumulators.ts";
import { keySelectorFor } from "./key-selector.ts";
import { LocalGroupAggregateFunction, partialKeyIndices } from "./local-group-aggregate-function.ts";
import type { GroupAggregateSpec } from "./operator-specs.ts";
import { insert, materialize, remove, show } from "./testing/changelog.ts";
import { call, countAggregate, sumAggregate } from "./testing/test-aggregates.ts";

function spec(size: number, overrides: Partial<GroupAggregateSpec> = {}): GroupAggregateSpec {
  return {
    groupKey: [0],
    calls: [call("COUNT(*)", countAggregate, []), call("SUM($1)", sumAggregate, [1])],
    inputMode: RETRACT,
    generateUpdateBefore: true,
    miniBatch: { enabled: true, size, latencyMs: 50 },
    twoPhase: true,
    stateTtlMs: 0,
    ...overrides,
  };
}

async function pipeline(s: GroupAggregateSpec) {
  const local = await OneInputHarness.forFunction(new LocalGroupAggregateFunction(s));
  const global = await OneInputHarness.forFunction(new GlobalGroupAggregateFunction(s), {
    keySelector: keySelectorFor(partialKeyIndices(s), [LogicalTypes.string()]),
  });
  /** Moves what the local phase flushed so far into the global phase. */
  const forward = () => {
    for (const partial of local.output()) global.processRecord(partial);
    local.clearOutput();
  };
  return { local, global, forward };
}

describe("two-phase group aggregation", () => {
  test("the local phase sends one partial per group per flush; the global phase merges", async () => {
    const { local, global, forward } = await pipeline(spec(4));
    for (const r of [insert("a", 1n), insert("b", 2n), insert("a", 3n)]) local.processRecord(r);
    assert.deepEqual(local.output(), []);
    local.processRecord(insert("a", 4n));
    // Partial row: key, net row count, then one accumulator per call.
    assert.deepEqual(local.output(), [insert("a", 3, 3, [8n, 3]), insert("b", 1, 1, [2n, 1])]);
    forward();
    assert.deepEqual(show(global.output()), ["+I[a, 3, 8]", "+I[b, 1, 2]"]);
    global.clearOutput();
    local.processRecord(remove("b", 2n));
    local.endInput();
    forward();
    assert.deepEqual(show(global.output()), ["-D[b, 1, 2]"]);
    await local.close();
    await global.close();
  });

  test("a watermark flushes the partials before it is forwarded", async () => {
    const { local } = await pipeline(spec(100));
    local.processRecord(insert("a", 1n));
    local.processWatermark({ identifier: "event-time", kind: "timestamp", value: 5 } as never);
    assert.deepEqual(local.output(), [insert("a", 1, 1, [1n, 1])]);
    await local.close();
  });

  test("the latency flushes the partials on processing time", async () => {
    const { local } = await pipeline(spec(100));
    local.processRecord(insert("a", 1n));
    local.advanceBy(50);
    assert.deepEqual(local.output(), [insert("a", 1, 1, [1n, 1])]);
    await local.close();
  });

  test("unflushed partials are part of a snapshot and come back on restore", async () => {
    const s = spec(100);
    const local = await OneInputHarness.forFunction(new LocalGroupAggregateFunction(s));
    local.processRecord(insert("a", 1n));
    const snapshot = local.snapshot();
    await local.close();
    await using restored = await OneInputHarness.restore(new LocalGroupAggregateFunction(s), snapshot);
    restored.processRecord(insert("a", 2n));
    restored.endInput();
    assert.deepEqual(restored.output(), [insert("a", 2, 2, [3n, 2])]);
  });

  test("partials of two old subtasks are merged when restored into one", async () => {
    const s = spec(100);
    const snapshots = [];
    for (const value of [1n, 2n]) {
      const local = await OneInputHarness.forFunction(new LocalGroupAggregateFunction(s));
      local.processRecord(insert("a", value));
      snapshots.push(local.snapshot());
      await local.close();
    }
    await using restored = await OneInputHarness.restore(new LocalGroupAggregateFunction(s), snapshots);
    restored.endInput();
    assert.deepEqual(restored.output(), [insert("a", 2, 2, [3n, 2])]);
  });

  test("BATCH mode: a global phase without group key over no partials emits its one row", async () => {
    const s = spec(10, { groupKey: [] });
    await using global = await OneInputHarness.forFunction(new GlobalGroupAggregateFunction(s), {
      executionMode: ExecutionMode.BATCH,
    });
    global.endInput();
    assert.deepEqual(show(global.output()), ["+I[0, null]"]);
    await using streaming = await OneInputHarness.forFunction(new GlobalGroupAggregateFunction(s));
    streaming.endInput();
    assert.deepEqual(streaming.output(), []);
  });

  test("DISTINCT calls are refused for two-phase aggregation", () => {
    const distinct = call("COUNT(DISTINCT $1)", countAggregate, [1], { distinct: true });
    assert.throws(
      () => new LocalGroupAggregateFunction(spec(10, { calls: [distinct] })),
      (e: unknown) =>
        e instanceof AggregateSetupError && /DISTINCT aggregates need the whole group/.test(e.message),
    );
  });

  test("property: the materialized result equals a one-phase GROUP BY", async () => {
    const rows = fc.array(
      fc.record({
        retract: fc.boolean(),
        key: fc.constantFrom("a", "b"),
        v: fc.bigInt({ min: 0n, max: 9n }),
        pick: fc.nat(),
      }),
      { maxLength: 50 },
    );
    await fc.assert(
      fc.asyncProperty(rows, fc.integer({ min: 1, max: 6 }), async (steps, size) => {
        const live: RowData[] = [];
        const { local, global, forward } = await pipeline(spec(size));
        for (const step of steps) {
          if (step.retract && live.length > 0) {
            const [row] = live.splice(step.pick % live.length, 1);
            local.processRecord(remove(...row!.fields));
          } else {
            const row = insert(step.key, step.v);
            live.push(row);
            local.processRecord(row);
          }
          forward();
        }
        local.endInput();
        forward();
        const expected = new Map<string, [number, bigint]>();
        for (const { fields } of live) {
          const [n, s] = expected.get(fields[0] as string) ?? [0, 0n];
          expected.set(fields[0] as string, [n + 1, s + (fields[1] as bigint)]);
        }
        assert.deepEqual(
          materialize(global.output()),
          [...expected].map(([k, [n, s]]) => `${k}, ${n}, ${s}`).sort(),
        );
        await local.close();
        await global.close();
      }),
      { numRuns: 100 },
    );
  });
});
