import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { LogicalTypes } from "../types/type-factory.ts";
import { GLOBAL_KEY, keySelectorFor } from "./key-selector.ts";
import { keyOfRow, keyOfValue } from "./row-key.ts";
import { insert } from "./testing/changelog.ts";
import { rowsEqual } from "./value-equality.ts";

describe("keySelectorFor", () => {
  test("one field is the key itself, several a tuple, none the global key", () => {
    const row = insert(7, "a", 2n);
    assert.equal(keySelectorFor([1], [LogicalTypes.string()])(row), "a");
    assert.deepEqual(keySelectorFor([0, 2], [LogicalTypes.int(), LogicalTypes.bigint()])(row), [7, 2n]);
    assert.equal(keySelectorFor([], [])(row), GLOBAL_KEY);
  });

  test("bytes and maps become tagged plain objects, equal content giving equal keys", () => {
    assert.deepEqual(keyOfValue(new Uint8Array([1, 255])), { bytes: "01ff" });
    const a = new Map<string, number>([
      ["x", 1],
      ["y", 2],
    ]);
    const b = new Map<string, number>([
      ["y", 2],
      ["x", 1],
    ]);
    assert.deepEqual(keyOfValue(a), keyOfValue(b));
    assert.deepEqual(keyOfRow([1, new Uint8Array([2])]), [1, { bytes: "02" }]);
  });

  test("a row of plain values is its own key (no copy)", () => {
    const row = [1, "a", null, 3n];
    assert.equal(keyOfRow(row), row);
  });

  test("a mismatch of indices and types is refused", () => {
    assert.throws(() => keySelectorFor([0, 1], [LogicalTypes.int()]), /2 key fields but 1 key types/);
  });

  test("property: equal byte rows give equal keys, different ones different keys", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 }), fc.uint8Array({ maxLength: 4 }), (x, y) => {
        const same = rowsEqual([x], [y]);
        assert.equal(JSON.stringify(keyOfRow([x])) === JSON.stringify(keyOfRow([y])), same);
      }),
    );
  });
});
