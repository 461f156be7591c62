/**
 * Property tests for the printer and parser together: for random syntax trees, printing and parsing
 * again gives the same tree (spans aside); for random token soup, the parser either returns or
 * throws a SqlSyntaxError that points into the text, never anything else.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { MatchRecognize } from "../ast/match-recognize.ts";
import type { Select } from "../ast/queries.ts";
import { SqlSyntaxError } from "../errors.ts";
import { parseDataType, parseExpression, parseQuery, parseStatements } from "../parse.ts";
import { expression, rowPattern } from "../testing/arbitraries.ts";
import { CORPUS } from "../testing/corpus.ts";
import { dataType, identifier, SPAN } from "../testing/name-and-type-arbitraries.ts";
import { withoutSpans } from "../testing/trees.ts";
import { printExpression } from "./expressions.ts";
import { printRowPattern } from "./match-recognize.ts";
import { printStatements } from "./statements.ts";
import { printDataType } from "./types.ts";

describe("printing then parsing gives the same tree", () => {
  test("data types", () => {
    fc.assert(
      fc.property(dataType, (type) => {
        const sql = printDataType(type);
        assert.deepEqual(withoutSpans(parseDataType(sql)), withoutSpans(type), sql);
      }),
      { numRuns: 500 },
    );
  });

  test("expressions", () => {
    fc.assert(
      fc.property(expression, (e) => {
        const sql = printExpression(e);
        assert.deepEqual(withoutSpans(parseExpression(sql)), withoutSpans(e), sql);
      }),
      { numRuns: 2000 },
    );
  });

  test("queries built around random expressions", () => {
    fc.assert(
      fc.property(expression, expression, identifier, (a, b, alias) => {
        const sql = `SELECT ${printExpression(a)} AS ${printExpression({ kind: "reference", parts: [alias], span: SPAN })} FROM t WHERE ${printExpression(b)} GROUP BY ${printExpression(a)} ORDER BY ${printExpression(b)} DESC`;
        const statements = parseStatements(sql);
        const reprinted = parseStatements(printStatements(statements));
        assert.deepEqual(withoutSpans(reprinted), withoutSpans(statements), sql);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a script with every node kind", () => {
  test("prints and parses back to the same statements", () => {
    const statements = parseStatements(CORPUS);
    assert.deepEqual(withoutSpans(parseStatements(printStatements(statements))), withoutSpans(statements));
  });
});

describe("row patterns", () => {
  test("MATCH_RECOGNIZE patterns", () => {
    fc.assert(
      fc.property(rowPattern, (pattern) => {
        const sql = `SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts PATTERN (${printRowPattern(pattern)}) DEFINE A AS TRUE)`;
        const match = (parseQuery(sql).body as Select).from as MatchRecognize;
        assert.deepEqual(withoutSpans(match.pattern), withoutSpans(pattern), sql);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("robustness", () => {
  const vocabulary = fc.constantFrom(
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "BY",
    "ORDER",
    "JOIN",
    "ON",
    "AS",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "END",
    "CAST",
    "INTERVAL",
    "'1'",
    "SECOND",
    "TO",
    "MINUTE",
    "TABLE",
    "TUMBLE",
    "DESCRIPTOR",
    "OVER",
    "PARTITION",
    "ROWS",
    "PRECEDING",
    "CREATE",
    "WITH",
    "WATERMARK",
    "FOR",
    "INSERT",
    "INTO",
    "VALUES",
    "UNION",
    "ALL",
    "(",
    ")",
    ",",
    ";",
    ".",
    "*",
    "+",
    "-",
    "=",
    "<",
    "[",
    "]",
    "=>",
    "a",
    "b",
    "`c`",
    "42",
    "0.5",
    "'x'",
    "/*+",
    "*/",
    "ROW",
    "ARRAY",
    "MAP",
    "EXPLAIN",
    "SET",
    "BEGIN",
    "STATEMENT",
    "EXECUTE",
    "LIMIT",
    "MATCH_RECOGNIZE",
    "PATTERN",
    "DEFINE",
    "MEASURES",
    "{",
    "}",
    "|",
    "?",
    "^",
    "FINAL",
    "RUNNING",
    "PERMUTE",
  );

  test("token soup either parses or fails with a SqlSyntaxError inside the text", () => {
    fc.assert(
      fc.property(
        fc.array(vocabulary, { maxLength: 25 }),
        fc.constantFrom(" ", "\n", "\t"),
        (words, separator) => {
          const sql = words.join(separator);
          try {
            parseStatements(sql);
          } catch (error) {
            assert.ok(error instanceof SqlSyntaxError, `${sql}: ${String(error)}`);
            assert.ok(error.offset >= 0 && error.offset <= sql.length, sql);
            assert.ok(error.message.startsWith(`line ${error.line}, column ${error.column}: `));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("any text either lexes and parses or fails with a SqlSyntaxError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: "binary" }), (sql) => {
        try {
          parseStatements(sql);
        } catch (error) {
          assert.ok(error instanceof SqlSyntaxError, `${JSON.stringify(sql)}: ${String(error)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
