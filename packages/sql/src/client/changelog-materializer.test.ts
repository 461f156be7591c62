import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type RowData, RowKind } from "../data/row.ts";
import { ChangelogError, ChangelogMaterializer, materializeChangelog } from "./changelog-materializer.ts";

const { INSERT: I, UPDATE_BEFORE: UB, UPDATE_AFTER: UA, DELETE: D } = RowKind;
const r = (kind: RowData["kind"], ...fields: RowData["fields"]): RowData => ({ kind, fields });

test("updates replace rows and deletes remove them, keeping first-appearance order", () => {
  const rows = materializeChangelog([
    r(I, "a", 1n),
    r(I, "b", 1n),
    r(UB, "a", 1n),
    r(UA, "a", 2n),
    r(I, "c", 1n),
    r(D, "b", 1n),
  ]);
  assert.deepEqual(rows, [
    ["a", 2n],
    ["c", 1n],
  ]);
});

test("duplicates are kept with their multiplicity and retracted one at a time", () => {
  assert.deepEqual(materializeChangelog([r(I, 1), r(I, 1), r(I, 2), r(D, 1)]), [[1], [2]]);
});

test("values compare by content: bytes, maps, nested arrays and NULL", () => {
  const rows = materializeChangelog([
    r(I, new Uint8Array([1, 2]), new Map([["k", 1]]), [1, [2]], null),
    r(D, new Uint8Array([1, 2]), new Map([["k", 1]]), [1, [2]], null),
    r(I, null, null, null, null),
  ]);
  assert.deepEqual(rows, [[null, null, null, null]]);
});

test("a retraction that arrives before its insert (another subtask) is matched later", () => {
  assert.deepEqual(materializeChangelog([r(UB, "x", 1), r(I, "x", 1), r(UA, "x", 2)]), [["x", 2]]);
});

test("an unmatched retraction is an error naming the row", () => {
  assert.throws(
    () => materializeChangelog([r(I, "a", 1), r(D, "b", 2n)]),
    (error: unknown) => error instanceof ChangelogError && /never added: -D\["b","2"\]/.test(error.message),
  );
});

test("applying in several batches equals applying at once", () => {
  const m = new ChangelogMaterializer();
  m.apply([r(I, 1)]);
  m.apply([r(UB, 1), r(UA, 5)]);
  assert.deepEqual(m.rows(), [[5]]);
});

test("property: the result is the multiset of inserts minus deletes", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean()), { maxLength: 60 }),
      (ops) => {
        // Build a valid changelog: a delete only removes a value currently present.
        const present = new Map<number, number>();
        const log: RowData[] = [];
        for (const [value, add] of ops) {
          const count = present.get(value) ?? 0;
          if (add || count === 0) {
            present.set(value, count + 1);
            log.push(r(I, value));
          } else {
            present.set(value, count - 1);
            log.push(r(D, value));
          }
        }
        const expected: number[] = [];
        for (const [value, count] of present) for (let i = 0; i < count; i++) expected.push(value);
        const actual = materializeChangelog(log).map((row) => row[0] as number);
        assert.deepEqual(
          actual.sort((a, b) => a - b),
          expected.sort((a, b) => a - b),
        );
      },
    ),
  );
});
