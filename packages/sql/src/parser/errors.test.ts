/**
 * Tests for syntax errors on typical mistakes: each error must name the exact line and column,
 * list what would have been accepted there, and show the offending line with a caret.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SqlSyntaxError } from "../errors.ts";
import { parseExpression, parseStatements } from "../parse.ts";

function syntaxError(sql: string): SqlSyntaxError {
  try {
    parseStatements(sql);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError, `not a SqlSyntaxError: ${String(error)}`);
    return error;
  }
  assert.fail(`expected a syntax error for: ${sql}`);
}

interface Case {
  readonly mistake: string;
  readonly sql: string;
  readonly line: number;
  readonly column: number;
  /** The first alternatives listed, in order. */
  readonly expected: readonly string[];
  readonly reason?: RegExp;
}

const CASES: readonly Case[] = [
  {
    mistake: "an unclosed parenthesis on a later line",
    sql: "SELECT a,\n  b\n  FROM t\n WHERE (a = 1",
    line: 4,
    column: 14,
    expected: ["')'"],
    reason: /^line 4, column 14: expected '\)' or ',' but found end of input$/,
  },
  {
    mistake: "a call missing its closing parenthesis",
    sql: "SELECT COUNT(x FROM t",
    line: 1,
    column: 16,
    expected: ["')'", "','"],
    reason: /^line 1, column 16: expected '\)' or ',' but found 'FROM'$/,
  },
  {
    mistake: "a trailing comma before FROM",
    sql: "SELECT a, FROM t",
    line: 1,
    column: 11,
    expected: ["expression"],
    reason: /^line 1, column 11: expected expression but found 'FROM'$/,
  },
  {
    mistake: "a join without ON",
    sql: "SELECT *\nFROM a JOIN b WHERE a.x = b.x",
    line: 2,
    column: 15,
    expected: ["'ON'", "'USING'"],
  },
  {
    mistake: "a reserved word used as a column name",
    sql: "SELECT value FROM t",
    line: 1,
    column: 8,
    expected: ["expression"],
    reason: /found the reserved word 'value' \(write `value` to use it as a name\)/,
  },
  {
    mistake: "a reserved word used as an alias",
    sql: "SELECT DATE_FORMAT(ts, 'yyyy-MM-dd') AS day FROM bid",
    line: 1,
    column: 41,
    expected: ["alias"],
    reason: /reserved word 'day' \(write `day`/,
  },
  {
    mistake: "a misspelled statement keyword",
    sql: "SELEC a FROM t",
    line: 1,
    column: 1,
    expected: ["'SELECT'", "'WITH'", "'VALUES'", "'INSERT'"],
    reason: /but found 'SELEC'$/,
  },
  {
    mistake: "CAST without AS",
    sql: "SELECT CAST(x INT) FROM t",
    line: 1,
    column: 15,
    expected: ["'AS'"],
    reason: /^line 1, column 15: expected 'AS' but found 'INT'$/,
  },
  {
    mistake: "a missing comma between column definitions",
    sql: "CREATE TABLE t (\n  a INT\n  b INT\n)",
    line: 3,
    column: 3,
    expected: ["')'"],
  },
  {
    mistake: "an unquoted option key",
    sql: "CREATE TABLE t (a INT) WITH (connector = 'kafka')",
    line: 1,
    column: 30,
    expected: ["option key (a string literal)"],
  },
  {
    mistake: "an interval written with a number",
    sql: "SELECT ts - INTERVAL 5 SECOND FROM t",
    line: 1,
    column: 22,
    expected: ["string literal"],
    reason: /write INTERVAL '5' \.\.\./,
  },
  {
    mistake: "an interval range in the wrong order",
    sql: "SELECT INTERVAL '1' SECOND TO MINUTE",
    line: 1,
    column: 31,
    expected: [],
    reason: /an interval range cannot start at SECOND/,
  },
  {
    mistake: "CASE without END",
    sql: "SELECT CASE WHEN a THEN 1 FROM t",
    line: 1,
    column: 27,
    expected: ["'END'", "'WHEN'", "'ELSE'"],
  },
  {
    mistake: "a comparison missing its right side at the end of the text",
    sql: "SELECT * FROM t WHERE a = \n\n",
    line: 1,
    column: 26,
    expected: ["expression"],
    reason: /but found end of input$/,
  },
  {
    mistake: "GROUP without BY",
    sql: "SELECT a FROM t GROUP a",
    line: 1,
    column: 23,
    expected: ["'BY'"],
  },
  {
    mistake: "INSERT without INTO",
    sql: "INSERT t SELECT 1",
    line: 1,
    column: 8,
    expected: ["'INTO'", "'OVERWRITE'"],
  },
  {
    mistake: "a WATERMARK without FOR",
    sql: "CREATE TABLE t (ts TIMESTAMP(3), WATERMARK ts AS ts)",
    line: 1,
    column: 44,
    expected: ["'FOR'"],
  },
  {
    mistake: "a frame bound without PRECEDING",
    sql: "SELECT SUM(x) OVER (ORDER BY b ROWS BETWEEN 10 AND CURRENT ROW) FROM t",
    line: 1,
    column: 48,
    expected: ["'FOLLOWING'", "'PRECEDING'"],
  },
  {
    mistake: "a statement-set insert without its semicolon",
    sql: "EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1\nEND",
    line: 4,
    column: 1,
    expected: ["';'"],
  },
  {
    mistake: "a table-function call missing its closing parenthesis",
    sql: "SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' MINUTES)",
    line: 1,
    column: 77,
    expected: ["')'"],
  },
  {
    mistake: "a PRIMARY KEY without parentheses",
    sql: "CREATE TABLE t (a INT, PRIMARY KEY a NOT ENFORCED)",
    line: 1,
    column: 36,
    expected: ["'('"],
  },
  {
    mistake: "IS followed by something other than NULL/TRUE/FALSE/UNKNOWN/DISTINCT",
    sql: "SELECT * FROM t WHERE a IS b",
    line: 1,
    column: 28,
    expected: ["'NOT'", "'NULL'", "'TRUE'", "'FALSE'", "'UNKNOWN'", "'JSON'", "'DISTINCT'"],
  },
  {
    mistake: "an unterminated string",
    sql: "SELECT 'abc FROM t",
    line: 1,
    column: 8,
    expected: [],
    reason: /unterminated string literal/,
  },
  {
    mistake: "an error in the second statement of a script",
    sql: "SELECT a FROM t;\nSELECT b FROM",
    line: 2,
    column: 14,
    expected: ["table name"],
  },
];

describe("typical mistakes", () => {
  for (const c of CASES) {
    test(c.mistake, () => {
      const error = syntaxError(c.sql);
      assert.deepEqual(
        { line: error.line, column: error.column, expected: error.expected.slice(0, c.expected.length) },
        { line: c.line, column: c.column, expected: c.expected },
        error.message,
      );
      if (c.reason !== undefined) assert.match(error.reason, c.reason);
      assert.ok(error.message.startsWith(`line ${c.line}, column ${c.column}: `));
    });
  }
});

describe("message format", () => {
  test("the message is the reason followed by the numbered line and a caret under the column", () => {
    const error = syntaxError("SELECT a\n  FROM t\n WHERE (a = 1 GROUP BY a");
    assert.equal(
      error.message,
      [
        "line 3, column 15: expected ')' or ',' but found 'GROUP'",
        "3 |  WHERE (a = 1 GROUP BY a",
        `  | ${" ".repeat(14)}^`,
      ].join("\n"),
    );
    assert.equal(error.found, "'GROUP'");
    assert.equal(error.offset, 32);
  });

  test("tabs are kept in the caret line so the caret stays under the token", () => {
    const error = syntaxError("SELECT\t\ta,\tFROM t");
    assert.equal(error.excerpt, "1 | SELECT\t\ta,\tFROM t\n  |       \t\t  \t^");
  });

  test("a very long line is cut around the caret", () => {
    // The trailing comma makes the first FROM the error.
    const long = `SELECT ${"a, ".repeat(100)}FROM t`;
    const error = syntaxError(long);
    const [line = "", caret = ""] = error.excerpt.split("\n");
    assert.ok(line.length < 120, line);
    assert.ok(line.startsWith("1 | ...") && line.endsWith("FROM t"));
    assert.equal(caret.indexOf("^"), line.indexOf("FROM"));
  });

  test("the line number gutter widens for multi-digit lines", () => {
    const error = syntaxError(`${"\n".repeat(11)}SELECT a FROM`);
    assert.equal(error.excerpt, "12 | SELECT a FROM\n   |              ^");
  });

  test("a leftover token after a complete expression", () => {
    assert.throws(
      () => parseExpression("a + b c"),
      (e: unknown) => e instanceof SqlSyntaxError && e.column === 7 && e.expected.includes("end of input"),
    );
  });
});

describe("limits", () => {
  test("nesting deeper than the limit is a syntax error, not a stack overflow", () => {
    const error = syntaxError(`SELECT ${"(".repeat(300)}1${")".repeat(300)}`);
    assert.equal(error.column, 7 + 200);
    assert.match(error.reason, /nested more than 200 levels deep/);
    assert.throws(() => parseExpression(`${"-".repeat(5000)}1`), SqlSyntaxError);
  });

  test("long flat chains are not nesting: thousands of ORs and UNION ALL branches parse", () => {
    const or = Array.from({ length: 5000 }, (_, i) => `a = ${i}`).join(" OR ");
    assert.equal(parseExpression(or).kind, "binary");
    const union = Array.from({ length: 5000 }, (_, i) => `SELECT ${i}`).join(" UNION ALL ");
    assert.equal(parseStatements(union).length, 1);
  });
});
