/**
 * Tests for the printer's canonical output: parentheses only where precedence needs them for
 * binary operators, quoting only where a name needs it, canonical spellings of special syntax and
 * of statements.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseExpression, parseStatement } from "../parse.ts";
import { printExpression } from "./expressions.ts";
import { printStatement } from "./statements.ts";

const canonical = (sql: string) => printExpression(parseExpression(sql));

describe("expressions", () => {
  test("binary operators get only the parentheses precedence needs", () => {
    const cases: [string, string][] = [
      ["a OR b AND c", "a OR b AND c"],
      ["(a OR b) AND c", "(a OR b) AND c"],
      ["(a - b) - c", "a - b - c"],
      ["a - (b - c)", "a - (b - c)"],
      ["a * (b + c)", "a * (b + c)"],
      ["(a * b) + c", "a * b + c"],
      ["a || (b || c)", "a || (b || c)"],
      ["(a = b) = c", "a = b = c"],
    ];
    for (const [sql, expected] of cases) assert.equal(canonical(sql), expected, sql);
  });

  test("other operator operands are always parenthesized", () => {
    assert.equal(canonical("a = b IS NULL"), "(a = b) IS NULL");
    assert.equal(canonical("NOT a AND b"), "(NOT a) AND b");
    assert.equal(canonical("NOT (a AND b)"), "NOT (a AND b)");
    assert.equal(canonical("x BETWEEN a + 1 AND 2"), "x BETWEEN (a + 1) AND 2");
    assert.equal(canonical("- (a + b)"), "-(a + b)");
  });

  test("names are quoted only when needed", () => {
    assert.equal(canonical("S.`value`"), "S.`value`");
    assert.equal(canonical("`plain`"), "plain");
    assert.equal(canonical("`with space`.`a``b`"), "`with space`.`a``b`");
    assert.equal(canonical("`MAP`[1]"), "(`MAP`)[1]");
  });

  test("special syntaxes print in the form Flink accepts", () => {
    assert.equal(canonical("position('a' in s)"), "position('a' IN s)");
    assert.equal(canonical("SUBSTRING(s, 1, 2)"), "SUBSTRING(s FROM 1 FOR 2)");
    assert.equal(canonical("OVERLAY(s PLACING 'x' FROM 1)"), "OVERLAY(s PLACING 'x' FROM 1)");
    assert.equal(canonical("floor(ts to minute)"), "floor(ts TO MINUTE)");
    assert.equal(canonical("`POSITION`(a)"), "`POSITION`(a)");
    assert.equal(canonical("interval '10' minutes"), "INTERVAL '10' MINUTE");
    assert.equal(canonical("current_timestamp"), "current_timestamp");
    assert.equal(canonical("CAST(x AS INTEGER ARRAY)"), "CAST(x AS ARRAY<INT>)");
    assert.equal(canonical("'it''s'"), "'it''s'");
  });
});

describe("statements", () => {
  const cases: [string, string][] = [
    [
      "create temporary table if not exists t (id bigint primary key not enforced, ts timestamp(3), watermark for ts as ts - interval '1' second) with ('connector'='datagen')",
      "CREATE TEMPORARY TABLE IF NOT EXISTS t (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'datagen')",
    ],
    ["select a x from t, u where a > 1", "SELECT a AS x FROM t, u WHERE a > 1"],
    ["select * from a left outer join b on a.k = b.k", "SELECT * FROM a LEFT JOIN b ON a.k = b.k"],
    [
      "execute statement set begin insert into a select 1; insert into b select 2; end",
      "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END",
    ],
    ["explain changelog_mode select 1", "EXPLAIN CHANGELOG_MODE SELECT 1"],
    ["desc t", "DESCRIBE t"],
    ["select * from t fetch first 5 rows only", "SELECT * FROM t LIMIT 5"],
  ];
  for (const [sql, expected] of cases) {
    test(expected.slice(0, 60), () => assert.equal(printStatement(parseStatement(sql)), expected));
  }
});

describe("long chains", () => {
  test("thousands of ORs and UNION ALL branches print without deep recursion and parse back", () => {
    const or = Array.from({ length: 20000 }, (_, i) => `a = ${i}`).join(" OR ");
    assert.equal(printExpression(parseExpression(or)), or);
    const union = Array.from({ length: 20000 }, (_, i) => `SELECT ${i}`).join(" UNION ALL ");
    assert.equal(printStatement(parseStatement(union)), union);
  });
});
