import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness, UserCodeError } from "@weir/testing";
import { LogicalTypes } from "../types/type-factory.ts";
import { DeduplicateFunction } from "./deduplicate-function.ts";
import { keySelectorFor } from "./key-selector.ts";
import type { DeduplicateSpec } from "./operator-specs.ts";
import { insert, remove, show } from "./testing/changelog.ts";

function spec(overrides: Partial<DeduplicateSpec>): DeduplicateSpec {
  return {
    key: [0],
    keepLastRow: false,
    rowtimeIndex: null,
    generateUpdateBefore: true,
    stateTtlMs: 0,
    ...overrides,
  };
}

async function run(s: DeduplicateSpec, rows: readonly [string, number][]): Promise<string[]> {
  await using h = await OneInputHarness.forFunction(new DeduplicateFunction(s), {
    keySelector: keySelectorFor([0], [LogicalTypes.string()]),
  });
  for (const [k, t] of rows) h.processRecord(insert(k, t));
  return show(h.output());
}

const ROWS: readonly [string, number][] = [
  ["a", 10],
  ["a", 5],
  ["b", 1],
  ["a", 12],
];

describe("DeduplicateFunction", () => {
  test("keep first by processing time: the first row per key, insert-only", async () => {
    assert.deepEqual(await run(spec({}), ROWS), ["+I[a, 10]", "+I[b, 1]"]);
  });

  test("keep last by processing time: every later row replaces the kept one", async () => {
    assert.deepEqual(await run(spec({ keepLastRow: true }), ROWS), [
      "+I[a, 10]",
      "-U[a, 10]",
      "+U[a, 5]",
      "+I[b, 1]",
      "-U[a, 5]",
      "+U[a, 12]",
    ]);
  });

  test("keep last by rowtime: an older row is dropped", async () => {
    assert.deepEqual(await run(spec({ keepLastRow: true, rowtimeIndex: 1 }), ROWS), [
      "+I[a, 10]",
      "+I[b, 1]",
      "-U[a, 10]",
      "+U[a, 12]",
    ]);
  });

  test("keep first by rowtime: an earlier row replaces the kept one (upsert output: +U only)", async () => {
    assert.deepEqual(await run(spec({ rowtimeIndex: 1, generateUpdateBefore: false }), ROWS), [
      "+I[a, 10]",
      "+U[a, 5]",
      "+I[b, 1]",
    ]);
  });

  test("state TTL: after expiry a key's next row is new again", async () => {
    await using h = await OneInputHarness.forFunction(new DeduplicateFunction(spec({ stateTtlMs: 50 })), {
      keySelector: keySelectorFor([0], [LogicalTypes.string()]),
    });
    h.processRecord(insert("a", 1));
    h.advanceBy(50);
    h.processRecord(insert("a", 2));
    assert.deepEqual(show(h.output()), ["+I[a, 1]", "+I[a, 2]"]);
  });

  test("keep last drops a row identical to the kept one", async () => {
    assert.deepEqual(
      await run(spec({ keepLastRow: true }), [
        ["a", 1],
        ["a", 1],
        ["a", 2],
      ]),
      ["+I[a, 1]", "-U[a, 1]", "+U[a, 2]"],
    );
  });

  test("an updating input fails the operator with a clear message", async () => {
    await using h = await OneInputHarness.forFunction(new DeduplicateFunction(spec({})), {
      keySelector: keySelectorFor([0], [LogicalTypes.string()]),
    });
    assert.throws(
      () => h.processRecord(remove("a", 1)),
      (e: unknown) =>
        e instanceof UserCodeError &&
        e.cause instanceof RangeError &&
        /Deduplicate expects an insert-only input, got a -D row/.test(e.cause.message),
    );
  });
});
