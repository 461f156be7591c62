import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { SqlValue } from "../data/values.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { createFunctionCatalog } from "./builtin-catalog.ts";
import type { AggregateCreateOptions, AggregateImplementation } from "./function-definition.ts";

const catalog = createFunctionCatalog();

function implementation(name: string, operands: readonly LogicalType[], options?: AggregateCreateOptions) {
  const definition = catalog.lookup(name);
  if (definition?.kind !== "aggregate") throw new Error(`${name} is not an aggregate`);
  const inferred = definition.inferType(operands);
  const types = inferred.operands ?? operands;
  return {
    type: inferred.result,
    impl: definition.create(types, inferred.result, options) as AggregateImplementation<unknown>,
  };
}

/** Folds rows through the accumulator; a snapshot round trip through structuredClone proves plain data. */
function fold(
  impl: AggregateImplementation<unknown>,
  rows: readonly (readonly SqlValue[])[],
  retracted: readonly (readonly SqlValue[])[] = [],
): SqlValue {
  let acc = impl.createAccumulator();
  for (const row of rows) acc = impl.accumulate(acc, [...row]);
  acc = structuredClone(acc);
  for (const row of retracted) acc = impl.retract!(acc, [...row]);
  return impl.getValue(acc);
}

describe("aggregate results", () => {
  it("COUNT counts rows or non-null values", () => {
    assert.equal(fold(implementation("COUNT", []).impl, [[], [], []]), 3n);
    assert.equal(fold(implementation("COUNT", [T.int()]).impl, [[1], [null], [3]]), 2n);
    assert.equal(formatLogicalType(implementation("COUNT", [T.int()]).type), "BIGINT NOT NULL");
  });

  it("SUM and AVG use Flink's result types", () => {
    const sumInt = implementation("SUM", [T.int(false)]);
    assert.equal(formatLogicalType(sumInt.type), "INT");
    assert.equal(fold(sumInt.impl, [[2147483647], [1]]), -2147483648);
    assert.equal(fold(sumInt.impl, []), null);
    const sumDecimal = implementation("SUM", [T.decimal(10, 2)]);
    assert.equal(formatLogicalType(sumDecimal.type), "DECIMAL(38, 2)");
    assert.equal(fold(sumDecimal.impl, [[150n], [null], [275n]]), 425n);
    assert.equal(fold(implementation("SUM0", [T.int()]).impl, []), 0);
    const avgInt = implementation("AVG", [T.int()]);
    assert.equal(formatLogicalType(avgInt.type), "INT");
    assert.equal(fold(avgInt.impl, [[1], [2]]), 1);
    assert.equal(fold(avgInt.impl, [[2147483647], [2147483647]]), 2147483647);
    const avgDecimal = implementation("AVG", [T.decimal(3, 1)]);
    assert.equal(formatLogicalType(avgDecimal.type), "DECIMAL(38, 6)");
    assert.equal(fold(avgDecimal.impl, [[10n], [20n]]), 1_500_000n);
    assert.equal(fold(implementation("AVG", [T.double()]).impl, [[1], [2]]), 1.5);
  });

  it("MIN, MAX, FIRST_VALUE, LAST_VALUE, LISTAGG, COLLECT", () => {
    assert.equal(fold(implementation("MAX", [T.string()]).impl, [["b"], [null], ["c"], ["a"]]), "c");
    assert.equal(fold(implementation("MIN", [T.bigint()]).impl, [[5n], [-2n]]), -2n);
    assert.equal(fold(implementation("MAX", [T.int()]).impl, [[5], [9]], [[9]]), 5);
    assert.equal(fold(implementation("MAX", [T.int()]).impl, [[5]], [[5]]), null);
    assert.equal(fold(implementation("FIRST_VALUE", [T.int()]).impl, [[null], [4], [5]]), 4);
    assert.equal(fold(implementation("LAST_VALUE", [T.int()]).impl, [[4], [5], [null]]), 5);
    assert.equal(fold(implementation("LAST_VALUE", [T.int()]).impl, [[4], [5]], [[5]]), 4);
    assert.equal(fold(implementation("LISTAGG", [T.string()]).impl, [["a"], ["b"], [null], ["c"]]), "a,b,c");
    assert.equal(
      fold(
        implementation("LISTAGG", [T.string(), T.string(false)]).impl,
        [
          ["a", ";"],
          ["b", ";"],
          ["c", ";"],
        ],
        [["b", ";"]],
      ),
      "a;c",
    );
    assert.equal(fold(implementation("LISTAGG", [T.string()]).impl, []), null);
    assert.deepEqual(
      fold(implementation("COLLECT", [T.int()]).impl, [[1], [1], [2], [null]]),
      new Map([
        [1, 2],
        [2, 1],
      ]),
    );
    assert.equal(fold(implementation("BOOL_AND", [T.boolean()]).impl, [[true], [false]]), false);
    assert.equal(fold(implementation("BOOL_OR", [T.boolean()]).impl, [[true], [false]], [[true]]), false);
    assert.equal(fold(implementation("BOOL_OR", [T.boolean()]).impl, []), null);
    assert.equal(
      fold(implementation("JSON_ARRAYAGG", [T.string()]).impl, [["x"], [null], ["y"], ["x"]]),
      '["x","y","x"]',
    );
    assert.equal(fold(implementation("JSON_ARRAYAGG", [T.decimal(5, 2)]).impl, [[150n]], []), "[1.50]");
    assert.equal(fold(implementation("JSON_ARRAYAGG", [T.int()]).impl, [[1], [2]], [[1]]), "[2]");
    assert.equal(
      fold(implementation("JSON_OBJECTAGG", [T.string(), T.int()]).impl, [
        ["a", 1],
        ["b", null],
      ]),
      '{"a":1,"b":null}',
    );
  });

  it("statistics: variance and standard deviation", () => {
    const values = [[1], [2], [3], [4]];
    assert.equal(fold(implementation("VAR_POP", [T.double()]).impl, values), 1.25);
    assert.equal(fold(implementation("VAR_SAMP", [T.double()]).impl, values), 5 / 3);
    assert.equal(fold(implementation("STDDEV_POP", [T.double()]).impl, values), Math.sqrt(1.25));
    assert.equal(fold(implementation("STDDEV_SAMP", [T.double()]).impl, [[1]]), null);
    assert.equal(fold(implementation("STDDEV_POP", [T.int()]).impl, values), 1);
  });
});

describe("retraction and merging are exact", () => {
  const cases: [string, LogicalType[], fc.Arbitrary<SqlValue>][] = [
    ["COUNT", [T.int()], fc.option(fc.integer({ min: -5, max: 5 }), { nil: null })],
    ["SUM", [T.bigint()], fc.option(fc.bigInt({ min: -100n, max: 100n }), { nil: null })],
    ["SUM", [T.decimal(10, 2)], fc.option(fc.bigInt({ min: -9999n, max: 9999n }), { nil: null })],
    ["AVG", [T.int()], fc.option(fc.integer({ min: -50, max: 50 }), { nil: null })],
    ["MIN", [T.int()], fc.option(fc.integer({ min: -5, max: 5 }), { nil: null })],
    ["MAX", [T.string()], fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: null })],
    [
      "MAX",
      [T.bytes()],
      fc.option(fc.constantFrom(new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([1, 0])), {
        nil: null,
      }),
    ],
    ["FIRST_VALUE", [T.int()], fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })],
    ["LAST_VALUE", [T.int()], fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })],
    ["COLLECT", [T.int()], fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })],
    ["BOOL_AND", [T.boolean()], fc.option(fc.boolean(), { nil: null })],
    ["VAR_POP", [T.int()], fc.option(fc.integer({ min: -9, max: 9 }), { nil: null })],
  ];

  for (const [name, operands, value] of cases) {
    it(`${name}(${operands.map(formatLogicalType).join(", ")}): retracting rows equals never having them`, () => {
      const { impl } = implementation(name, operands);
      fc.assert(
        fc.property(fc.array(fc.tuple(value, fc.boolean())), (rows) => {
          // Retract the marked rows in reverse order of arrival (as a changelog takes back its latest rows first for
          // FIRST/LAST_VALUE), then compare with folding only the kept rows.
          const kept = rows.filter(([, retract]) => !retract).map(([v]) => [v]);
          const removed = rows
            .filter(([, retract]) => retract)
            .map(([v]) => [v])
            .reverse();
          const all = rows.map(([v]) => [v]);
          const expected = fold(impl, kept);
          const actual = fold(impl, all, removed);
          if (name === "FIRST_VALUE" || name === "LAST_VALUE") {
            // Order-sensitive: equal when the removed rows were the latest ones.
            const latestRemoved = rows.every(([, r], i) => !r || rows.slice(i).every(([, later]) => later));
            if (!latestRemoved) return;
          }
          assert.deepEqual(actual, expected);
        }),
        { numRuns: 150 },
      );
    });

    it(`${name}: merging partial accumulators equals one accumulator`, () => {
      const { impl } = implementation(name, operands);
      if (impl.merge === undefined) return;
      fc.assert(
        fc.property(fc.array(value), fc.array(value), (left, right) => {
          let a = impl.createAccumulator();
          for (const v of left) a = impl.accumulate(a, [v]);
          let b = impl.createAccumulator();
          for (const v of right) b = impl.accumulate(b, [v]);
          const merged = impl.getValue(impl.merge!(a, b));
          assert.deepEqual(
            merged,
            fold(
              impl,
              [...left, ...right].map((v) => [v]),
            ),
          );
        }),
        { numRuns: 100 },
      );
    });
  }

  it("keeps a single value for insert-only MIN / MAX", () => {
    const { impl } = implementation("MAX", [T.int()], { retraction: false });
    assert.equal(impl.retract, undefined);
    let acc = impl.createAccumulator();
    for (const v of [3, null, 9, 4]) acc = impl.accumulate(acc, [v]);
    assert.equal(acc, 9);
    assert.equal(impl.getValue(acc), 9);
  });
});
