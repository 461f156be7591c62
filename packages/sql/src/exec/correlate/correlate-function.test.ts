/**
 * The correlate operator under the operator harness: INNER drops rows without function rows, LEFT
 * pads them with NULLs, the condition filters function rows, row kinds pass through; UNNEST over
 * arrays (ROW elements spread), maps and multisets, with ordinality. Expected rows are by hand.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OneInputHarness } from "@weir/testing";
import type { Row, RowData } from "../../data/row.ts";
import type { SqlValue } from "../../data/values.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { insert, remove, show, updateAfter, updateBefore } from "../testing/changelog.ts";
import { CorrelateFunction, type CorrelateSpec } from "./correlate-function.ts";
import { unnestFunction } from "./unnest-function.ts";

/** Input rows [id, text]; the function yields [word, length] per space-separated word. */
function* words(operands: Row): Iterable<Row> {
  const text = operands[0];
  if (typeof text !== "string" || text === "") return;
  for (const w of text.split(" ")) yield [w, w.length];
}

function spec(joinType: "INNER" | "LEFT", condition: CorrelateSpec["condition"] = null): CorrelateSpec {
  return {
    joinType,
    functionName: "WORDS",
    operands: (row) => [row[1]!],
    invoke: words,
    functionArity: 2,
    condition,
  };
}

async function run(fn: CorrelateFunction, records: readonly RowData[]) {
  await using h = await OneInputHarness.forFunction(fn);
  for (const r of records) h.processRecord(r);
  return show(h.output());
}

describe("correlate", () => {
  test("INNER appends each function row and drops input rows with none", async () => {
    const out = await run(new CorrelateFunction(spec("INNER")), [
      insert(1, "a bb"),
      insert(2, ""),
      insert(3, null),
    ]);
    assert.deepEqual(out, ["+I[1, a bb, a, 1]", "+I[1, a bb, bb, 2]"]);
  });

  test("LEFT pads input rows without function rows with NULLs", async () => {
    const out = await run(new CorrelateFunction(spec("LEFT")), [insert(1, "a"), insert(2, "")]);
    assert.deepEqual(out, ["+I[1, a, a, 1]", "+I[2, , null, null]"]);
  });

  test("the condition filters function rows; LEFT pads when none passes", async () => {
    const longWords = (row: Row) => (row[3] as number) > 1;
    const out = await run(new CorrelateFunction(spec("LEFT", longWords)), [
      insert(1, "a bb"),
      insert(2, "c"),
    ]);
    assert.deepEqual(out, ["+I[1, a bb, bb, 2]", "+I[2, c, null, null]"]);
  });

  test("row kinds pass through, so a retraction yields what its insert did", async () => {
    const out = await run(new CorrelateFunction(spec("INNER")), [
      updateBefore(1, "a b"),
      updateAfter(1, "c"),
      remove(2, "d"),
    ]);
    assert.deepEqual(out, ["-U[1, a b, a, 1]", "-U[1, a b, b, 1]", "+U[1, c, c, 1]", "-D[2, d, d, 1]"]);
  });

  test("a function row of the wrong width is an error naming the function", async () => {
    const bad = { ...spec("INNER"), functionArity: 3 };
    await assert.rejects(
      run(new CorrelateFunction(bad), [insert(1, "a")]),
      /'WORDS' yielded a row of 2 values/,
    );
  });
});

describe("UNNEST", () => {
  const rowsOf = (type: Parameters<typeof unnestFunction>[0], value: SqlValue, ordinality = false) => [
    ...unnestFunction(type, ordinality).implementation({} as never, value),
  ];

  test("an array yields its elements; WITH ORDINALITY numbers them from 1; NULL yields nothing", () => {
    const type = LogicalTypes.array(LogicalTypes.string());
    assert.deepEqual(rowsOf(type, ["x", null, "y"]), [["x"], [null], ["y"]]);
    assert.deepEqual(rowsOf(type, ["x", "y"], true), [
      ["x", 1],
      ["y", 2],
    ]);
    assert.deepEqual(rowsOf(type, null), []);
  });

  test("an array of ROW spreads each row into its fields (a NULL row into NULLs)", () => {
    const type = LogicalTypes.array(
      LogicalTypes.row([
        { name: "a", type: LogicalTypes.int() },
        { name: "b", type: LogicalTypes.string() },
      ]),
    );
    assert.deepEqual(rowsOf(type, [[1, "p"], null]), [
      [1, "p"],
      [null, null],
    ]);
  });

  test("a map yields (key, value); a multiset repeats each element by its count", () => {
    const map = LogicalTypes.map(LogicalTypes.string(), LogicalTypes.int());
    assert.deepEqual(
      rowsOf(
        map,
        new Map<SqlValue, SqlValue>([
          ["k", 1],
          ["l", 2],
        ]),
      ),
      [
        ["k", 1],
        ["l", 2],
      ],
    );
    const multiset = LogicalTypes.multiset(LogicalTypes.string());
    assert.deepEqual(rowsOf(multiset, new Map<SqlValue, number>([["m", 2]])), [["m"], ["m"]]);
  });
});
