import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { comparatorFor, compareStrings, groupKeyOf } from "./compare-values.ts";
import type { SqlValue } from "./values.ts";

describe("comparatorFor", () => {
  it("orders doubles totally with NaN last", () => {
    const compare = comparatorFor(T.double());
    const sorted = [3, Number.NaN, -1, Number.NEGATIVE_INFINITY, 0].sort(compare);
    assert.deepEqual(sorted.slice(0, 4), [Number.NEGATIVE_INFINITY, -1, 0, 3]);
    assert.ok(Number.isNaN(sorted[4]));
    assert.equal(compare(Number.NaN, Number.NaN), 0);
  });

  it("orders strings by code point", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
        const x = codePoints(a);
        const y = codePoints(b);
        let expected = 0;
        for (let i = 0; i < Math.min(x.length, y.length) && expected === 0; i++)
          expected = Math.sign(x[i]! - y[i]!);
        if (expected === 0) expected = Math.sign(x.length - y.length);
        assert.equal(compareStrings(a, b), expected);
      }),
    );
  });

  it("orders bigints, bytes and arrays (nulls first)", () => {
    assert.ok(comparatorFor(T.decimal(10, 2))(-5n, 3n) < 0);
    assert.ok(comparatorFor(T.bytes())(new Uint8Array([1, 2]), new Uint8Array([1, 3])) < 0);
    assert.ok(comparatorFor(T.bytes())(new Uint8Array([1]), new Uint8Array([1, 0])) < 0);
    const arrays = comparatorFor(T.array(T.int()));
    assert.ok(arrays([null, 5], [1]) < 0);
    assert.ok(arrays([1, 2], [1]) > 0);
    assert.equal(arrays([1, 2], [1, 2]), 0);
  });

  it("is antisymmetric and transitive on random ints", () => {
    const compare = comparatorFor(
      T.row([
        { name: "a", type: T.int() },
        { name: "b", type: T.string() },
      ]),
    );
    const row = fc.tuple(
      fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
      fc.option(fc.string({ maxLength: 2 }), { nil: null }),
    );
    fc.assert(
      fc.property(row, row, row, (a, b, c) => {
        assert.equal(Math.sign(compare(a, b)) + Math.sign(compare(b, a)), 0);
        if (compare(a, b) <= 0 && compare(b, c) <= 0) assert.ok(compare(a, c) <= 0);
      }),
    );
  });
});

describe("groupKeyOf", () => {
  it("makes plain keys that are equal exactly for equal values", () => {
    const mapType = T.map(T.string(), T.int());
    assert.deepEqual(
      groupKeyOf(
        new Map([
          ["b", 1],
          ["a", 2],
        ]),
        mapType,
      ),
      groupKeyOf(
        new Map([
          ["a", 2],
          ["b", 1],
        ]),
        mapType,
      ),
    );
    assert.deepEqual(
      groupKeyOf(
        new Map([
          ["b", 1],
          ["a", 2],
        ]),
        mapType,
      ),
      [
        ["a", 2],
        ["b", 1],
      ],
    );
    assert.equal(groupKeyOf(new Uint8Array([0, 255]), T.bytes()), "00ff");
    assert.equal(groupKeyOf(-0, T.double()), 0);
    assert.equal(groupKeyOf(null, T.int()), null);
    assert.deepEqual(
      groupKeyOf(
        [1n, new Uint8Array([1])] as SqlValue,
        T.row([
          { name: "a", type: T.bigint() },
          { name: "b", type: T.bytes() },
        ]),
      ),
      [1n, "01"],
    );
  });
});
