/**
 * Tests for data types: every Flink type spelling, synonym folding, nullability placement, nested
 * collection and row types, and the type errors a user is likely to hit.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SqlSyntaxError } from "../errors.ts";
import { parseDataType } from "../parse.ts";
import { printDataType } from "../printer/types.ts";
import { withoutSpans } from "../testing/trees.ts";

const simple = (name: string, params: number[] = [], notNull = false) => ({
  kind: "simple-type",
  name,
  params,
  notNull,
});

function tree(sql: string): unknown {
  return withoutSpans(parseDataType(sql));
}

describe("simple types", () => {
  const cases: [string, unknown][] = [
    ["BOOLEAN", simple("BOOLEAN")],
    ["TINYINT", simple("TINYINT")],
    ["SMALLINT", simple("SMALLINT")],
    ["int", simple("INT")],
    ["INTEGER", simple("INT")],
    ["BIGINT", simple("BIGINT")],
    ["FLOAT", simple("FLOAT")],
    ["REAL", simple("FLOAT")],
    ["DOUBLE", simple("DOUBLE")],
    ["DOUBLE PRECISION", simple("DOUBLE")],
    ["DECIMAL", simple("DECIMAL")],
    ["DECIMAL(10)", simple("DECIMAL", [10])],
    ["DECIMAL(23, 3)", simple("DECIMAL", [23, 3])],
    ["DEC(5, 2)", simple("DECIMAL", [5, 2])],
    ["NUMERIC(5, 2)", simple("DECIMAL", [5, 2])],
    ["CHAR(3)", simple("CHAR", [3])],
    ["CHARACTER(3)", simple("CHAR", [3])],
    ["VARCHAR", simple("VARCHAR")],
    ["VARCHAR(255)", simple("VARCHAR", [255])],
    ["CHARACTER VARYING(9)", simple("VARCHAR", [9])],
    ["STRING", simple("STRING")],
    ["BINARY(16)", simple("BINARY", [16])],
    ["VARBINARY(16)", simple("VARBINARY", [16])],
    ["BINARY VARYING(4)", simple("VARBINARY", [4])],
    ["BYTES", simple("BYTES")],
    ["DATE", simple("DATE")],
    ["TIME", simple("TIME")],
    ["TIME(3)", simple("TIME", [3])],
    ["TIME(0) WITHOUT TIME ZONE", simple("TIME", [0])],
    ["TIMESTAMP", simple("TIMESTAMP")],
    ["TIMESTAMP(3)", simple("TIMESTAMP", [3])],
    ["TIMESTAMP(3) WITHOUT TIME ZONE", simple("TIMESTAMP", [3])],
    ["TIMESTAMP(3) WITH LOCAL TIME ZONE", simple("TIMESTAMP_LTZ", [3])],
    ["TIMESTAMP WITH LOCAL TIME ZONE", simple("TIMESTAMP_LTZ")],
    ["TIMESTAMP_LTZ(3)", simple("TIMESTAMP_LTZ", [3])],
    ["BIGINT NOT NULL", simple("BIGINT", [], true)],
    ["BIGINT NULL", simple("BIGINT")],
  ];
  for (const [sql, expected] of cases) {
    test(sql, () => assert.deepEqual(tree(sql), expected));
  }
});

describe("constructed types", () => {
  test("ARRAY<T> and T ARRAY are the same; nullability binds where written", () => {
    const inner = { kind: "array-type", element: simple("INT", [], true), notNull: true };
    assert.deepEqual(tree("ARRAY<INT NOT NULL> NOT NULL"), inner);
    assert.deepEqual(tree("INT NOT NULL ARRAY NOT NULL"), inner);
    assert.deepEqual(tree("INT ARRAY"), { kind: "array-type", element: simple("INT"), notNull: false });
  });

  test("MULTISET, MAP and nested closing brackets", () => {
    assert.deepEqual(tree("MULTISET<STRING>"), {
      kind: "multiset-type",
      element: simple("STRING"),
      notNull: false,
    });
    assert.deepEqual(tree("MAP<STRING, ARRAY<ROW<a INT>>>"), {
      kind: "map-type",
      key: simple("STRING"),
      value: {
        kind: "array-type",
        element: {
          kind: "row-type",
          fields: [
            {
              kind: "row-field",
              name: { kind: "identifier", value: "a" },
              type: simple("INT"),
              description: null,
            },
          ],
          notNull: false,
        },
        notNull: false,
      },
      notNull: false,
    });
  });

  test("ROW<...> and ROW(...) with descriptions, and the empty ROW<>", () => {
    const expected = {
      kind: "row-type",
      fields: [
        {
          kind: "row-field",
          name: { kind: "identifier", value: "id" },
          type: simple("BIGINT"),
          description: null,
        },
        {
          kind: "row-field",
          name: { kind: "identifier", value: "name" },
          type: simple("VARCHAR"),
          description: "the name",
        },
      ],
      notNull: false,
    };
    assert.deepEqual(tree("ROW<id BIGINT, name VARCHAR 'the name'>"), expected);
    assert.deepEqual(tree("ROW(id BIGINT, name VARCHAR 'the name')"), expected);
    assert.deepEqual(tree("ROW<>"), { kind: "row-type", fields: [], notNull: false });
  });

  test("INTERVAL types, RAW and user-defined types", () => {
    assert.deepEqual(tree("INTERVAL DAY(2) TO SECOND(3)"), {
      kind: "interval-type",
      qualifier: {
        kind: "interval-qualifier",
        start: "DAY",
        startPrecision: 2,
        end: "SECOND",
        fractionalPrecision: 3,
      },
      notNull: false,
    });
    assert.deepEqual(tree("RAW('java.lang.Object', 'AbCd')"), {
      kind: "raw-type",
      className: "java.lang.Object",
      serializerSnapshot: "AbCd",
      notNull: false,
    });
    assert.deepEqual(tree("cat.db.Money NOT NULL"), {
      kind: "user-defined-type",
      name: {
        kind: "qualified-name",
        parts: ["cat", "db", "Money"].map((value) => ({ kind: "identifier", value })),
      },
      notNull: true,
    });
  });

  test("types print back in canonical form", () => {
    assert.equal(printDataType(parseDataType("INT NOT NULL ARRAY")), "ARRAY<INT NOT NULL>");
    assert.equal(printDataType(parseDataType("ROW(a INT)")), "ROW<a INT>");
    assert.equal(printDataType(parseDataType("TIMESTAMP(3) WITH LOCAL TIME ZONE")), "TIMESTAMP_LTZ(3)");
  });
});

describe("type errors", () => {
  function error(sql: string): SqlSyntaxError {
    try {
      parseDataType(sql);
    } catch (e) {
      assert.ok(e instanceof SqlSyntaxError);
      return e;
    }
    assert.fail(`expected an error for ${sql}`);
  }

  test("TIMESTAMP WITH TIME ZONE is not a Flink type", () => {
    const e = error("TIMESTAMP(3) WITH TIME ZONE");
    assert.equal(e.column, 19);
    assert.match(
      e.reason,
      /TIMESTAMP WITH TIME ZONE is not a Flink type; use TIMESTAMP WITH LOCAL TIME ZONE/,
    );
  });

  test("a missing closing angle bracket", () => {
    const e = error("ARRAY<INT");
    assert.deepEqual([e.column, e.expected[0]], [10, "'>'"]);
  });

  test("too many parameters", () => {
    const e = error("VARCHAR(1, 2)");
    assert.deepEqual([e.column, e.expected], [10, ["')'"]]);
  });

  test("a precision must be an integer", () => {
    const e = error("DECIMAL(a)");
    assert.deepEqual([e.column, e.expected], [9, ["integer"]]);
  });

  test("MAP needs two types", () => {
    const e = error("MAP<STRING>");
    assert.equal(e.column, 11);
    assert.equal(e.expected[0], "','");
  });
});
