/** The golden file format parser and the row comparison the golden and differential suites share. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { blankUnits, GoldenFormatError, parseGoldenFile } from "./golden-format.ts";
import { diffRows } from "./result-rows.ts";

const SAMPLE = [
  "-- parallelism: 2", // 1
  "-- modes: streaming", // 2
  "CREATE VIEW v AS SELECT ';' AS s; -- not an expectation", // 3
  "SELECT s", // 4
  "FROM v;", // 5
  "-- expect:", // 6
  '-- {"s": ";"}', // 7
  "", // 8
  "SELECT nope FROM v;", // 9
  "-- expect error: line 9, column 8: Column 'nope' not found", // 10
  "BEGIN STATEMENT SET;", // 11
  "INSERT INTO a SELECT 1;", // 12
  "END;", // 13
  "EXPLAIN SELECT 1;", // 14
  "-- expect contains:", // 15
  "-- Calc(select=[1])", // 16
  "-- changelogMode=[I]", // 17
  "", // 18
  "SELECT 1 AS x ORDER BY x;", // 19
  "-- expect ordered:", // 20
  '-- {"x": 1}', // 21
].join("\n");

test("units, their positions and their expectations", () => {
  const file = parseGoldenFile(SAMPLE);
  assert.equal(file.parallelism, 2);
  assert.deepEqual(file.modes, ["streaming"]);
  assert.deepEqual(
    file.units.map((u) => [u.line, u.column, u.endLine, u.leading, u.expectation?.kind ?? null]),
    [
      [3, 1, 3, "CREATE VIEW V AS", null],
      [4, 1, 5, "SELECT S FROM V", "rows"],
      [9, 1, 9, "SELECT NOPE FROM V", "error"],
      [11, 1, 13, "BEGIN STATEMENT SET", null],
      [14, 1, 14, "EXPLAIN SELECT 1", "contains"],
      [19, 1, 19, "SELECT 1 AS X", "rows"],
    ],
  );
  assert.deepEqual(file.units[1]!.expectation, { kind: "rows", ordered: false, rows: [{ s: ";" }] });
  assert.deepEqual(file.units[2]!.expectation, {
    kind: "error",
    line: 9,
    column: 8,
    message: "Column 'nope' not found",
  });
  assert.deepEqual(file.units[4]!.expectation, {
    kind: "contains",
    fragments: ["Calc(select=[1])", "changelogMode=[I]"],
  });
  assert.deepEqual(file.units[5]!.expectation, { kind: "rows", ordered: true, rows: [{ x: 1 }] });
});

test("blanking a statement keeps every other position", () => {
  const file = parseGoldenFile(SAMPLE);
  const blanked = blankUnits(SAMPLE, [file.units[1]!]);
  assert.equal(blanked.length, SAMPLE.length);
  assert.deepEqual(
    parseGoldenFile(blanked).units.map((u) => [u.line, u.column]),
    [
      [3, 1],
      [9, 1],
      [11, 1],
      [14, 1],
      [19, 1],
    ],
  );
});

test("malformed files are refused with the line", () => {
  assert.throws(
    () => parseGoldenFile("SELECT 1;\n-- expect:\n-- {nope}\n"),
    (e: unknown) => {
      return e instanceof GoldenFormatError && /^line 3: /.test(e.message);
    },
  );
  assert.throws(() => parseGoldenFile("SELECT 1"), /line 1: the last statement does not end with ';'/);
  assert.throws(() => parseGoldenFile("-- expect:\nSELECT 1;"), /line 1: expectation before any statement/);
});

test("rows compare as multisets, or as lists when ordered, with doubles to 12 digits", () => {
  const cols = ["a", "b"];
  assert.equal(
    diffRows(
      [
        { a: 1, b: "x" },
        { a: 2, b: "y" },
      ],
      [
        { a: 2, b: "y" },
        { a: 1, b: "x" },
      ],
      cols,
      false,
    ),
    null,
  );
  assert.match(
    diffRows(
      [
        { a: 1, b: "x" },
        { a: 2, b: "y" },
      ],
      [
        { a: 2, b: "y" },
        { a: 1, b: "x" },
      ],
      cols,
      true,
    ) ?? "",
    /position 0/,
  );
  assert.equal(diffRows([{ a: 0.1 + 0.2, b: null }], [{ a: 0.3, b: null }], cols, false), null);
  assert.match(
    diffRows([{ a: 1, b: null }], [{ a: "1", b: null }], cols, false) ?? "",
    /1 missing, 1 unexpected/,
  );
  assert.match(
    diffRows(
      [
        { a: 1, b: 1 },
        { a: 1, b: 1 },
      ],
      [{ a: 1, b: 1 }],
      cols,
      false,
    ) ?? "",
    /0 missing, 1 unexpected/,
  );
});
