/**
 * Tests for the lexer: token kinds and values, case-insensitive words, quoting and escapes,
 * comments, hints, exact positions across line endings, and the lexical errors with their positions.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SqlSyntaxError } from "../errors.ts";
import { tokenize } from "./lexer.ts";

function kinds(sql: string): string[] {
  return tokenize(sql).map((t) => `${t.kind}:${t.value}`);
}

function lexError(sql: string): SqlSyntaxError {
  try {
    tokenize(sql);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError, `not a SqlSyntaxError: ${String(error)}`);
    return error;
  }
  assert.fail(`expected a lexical error for ${sql}`);
}

describe("tokens", () => {
  test("words keep their spelling and carry an upper-case form", () => {
    const [select, name] = tokenize("sElEcT dateTime");
    assert.deepEqual([select!.kind, select!.value, select!.upper], ["word", "sElEcT", "SELECT"]);
    assert.deepEqual([name!.kind, name!.value, name!.upper], ["word", "dateTime", "DATETIME"]);
  });

  test("identifiers may contain digits, underscores, dollars and non-ASCII letters", () => {
    assert.deepEqual(kinds("a_1$b _x café"), ["word:a_1$b", "word:_x", "word:café", "end:"]);
  });

  test("strings unescape doubled quotes and may span lines", () => {
    assert.deepEqual(kinds("'it''s' '' 'a\nb'"), ["string:it's", "string:", "string:a\nb", "end:"]);
  });

  test("backquoted identifiers unescape doubled backquotes", () => {
    assert.deepEqual(kinds("`value` `a``b` `with space`"), [
      "quoted-identifier:value",
      "quoted-identifier:a`b",
      "quoted-identifier:with space",
      "end:",
    ]);
  });

  test("numbers keep their text: integers, decimals, leading point, exponents", () => {
    assert.deepEqual(kinds("42 0.908 .5 1. 1.5E3 2e-7 7E+2"), [
      "number:42",
      "number:0.908",
      "number:.5",
      "number:1.",
      "number:1.5E3",
      "number:2e-7",
      "number:7E+2",
      "end:",
    ]);
  });

  test("binary strings keep their hex digits", () => {
    assert.deepEqual(kinds("X'0aFF' x''"), ["binary-string:0aFF", "binary-string:", "end:"]);
  });

  test("multi-character symbols win over their prefixes", () => {
    assert.deepEqual(kinds("<> <= >= != || => < > = . ; ( ) [ ]"), [
      "symbol:<>",
      "symbol:<=",
      "symbol:>=",
      "symbol:!=",
      "symbol:||",
      "symbol:=>",
      "symbol:<",
      "symbol:>",
      "symbol:=",
      "symbol:.",
      "symbol:;",
      "symbol:(",
      "symbol:)",
      "symbol:[",
      "symbol:]",
      "end:",
    ]);
  });

  test("comments are skipped, including a comment at the end without a newline", () => {
    assert.deepEqual(kinds("a -- one\n/* two\n lines */ b /**/c -- end"), [
      "word:a",
      "word:b",
      "word:c",
      "end:",
    ]);
  });

  test("a hint opens with /*+ and closes with */, with ordinary tokens between", () => {
    assert.deepEqual(kinds("SELECT /*+ BROADCAST(t) */ a"), [
      "word:SELECT",
      "hint-start:/*+",
      "word:BROADCAST",
      "symbol:(",
      "word:t",
      "symbol:)",
      "hint-end:*/",
      "word:a",
      "end:",
    ]);
  });

  test("outside a hint, */ is two symbols and a*/*c*/b is a, *, comment, b", () => {
    assert.deepEqual(kinds("a*/*c*/b"), ["word:a", "symbol:*", "word:b", "end:"]);
  });
});

describe("positions", () => {
  test("every token's text is the source slice its span covers", () => {
    const sql = "SELECT `a``b`, 'x''y'\r\n  FROM t -- c\n WHERE n >= 1.5E3";
    for (const token of tokenize(sql)) {
      assert.equal(sql.slice(token.span.start.offset, token.span.end.offset), token.text);
    }
  });

  test("lines and columns are 1-based; \\r\\n, \\n and a lone \\r each end one line", () => {
    const tokens = tokenize("a\r\n b\n\n  c\rd");
    const at = tokens.map((t) => [t.value, t.span.start.line, t.span.start.column]);
    assert.deepEqual(at, [
      ["a", 1, 1],
      ["b", 2, 2],
      ["c", 4, 3],
      ["d", 5, 1],
      ["", 5, 2],
    ]);
  });

  test("a multi-line string ends on a later line", () => {
    const [token] = tokenize("'a\nbc'");
    assert.deepEqual(token!.span.end, { line: 2, column: 4, offset: 6 });
  });

  test("the end token sits at the end of the text", () => {
    const tokens = tokenize("a  \n");
    assert.deepEqual(tokens.at(-1)!.span.start, { line: 2, column: 1, offset: 4 });
  });
});

describe("lexical errors", () => {
  test("an unterminated string points at its opening quote", () => {
    const error = lexError("SELECT\n  'abc FROM t");
    assert.equal(error.line, 2);
    assert.equal(error.column, 3);
    assert.match(error.message, /^line 2, column 3: unterminated string literal: missing '/);
    assert.equal(error.excerpt, "2 |   'abc FROM t\n  |   ^");
  });

  test("an unterminated block comment points at /*", () => {
    const error = lexError("SELECT 1 /* no end");
    assert.deepEqual([error.line, error.column], [1, 10]);
    assert.match(error.reason, /unterminated comment/);
  });

  test("an unterminated backquoted name points at its opening backquote", () => {
    const error = lexError("SELECT `abc");
    assert.deepEqual([error.line, error.column], [1, 8]);
    assert.match(error.reason, /unterminated quoted identifier/);
  });

  test("an empty backquoted name is rejected", () => {
    assert.match(lexError("SELECT ``").reason, /cannot be empty/);
  });

  test("double quotes get an explanation of Flink's quoting", () => {
    const error = lexError('SELECT "name" FROM t');
    assert.deepEqual([error.line, error.column], [1, 8]);
    assert.match(error.reason, /write strings as 'text' and quote names as `name`/);
  });

  test("a stray character is named", () => {
    const error = lexError("SELECT a # b");
    assert.deepEqual([error.column, error.reason], [10, "line 1, column 10: unexpected character '#'"]);
  });

  test("a number glued to a name is rejected at the first letter", () => {
    const error = lexError("SELECT 10abc");
    assert.equal(error.column, 10);
    assert.match(error.reason, /unexpected 'a' after the number 10/);
  });

  test("an exponent without digits is rejected", () => {
    assert.match(lexError("SELECT 1e+").reason, /exponent needs digits/);
  });

  test("a binary literal must hold an even number of hex digits", () => {
    assert.match(lexError("SELECT X'ABC'").reason, /even number of hex digits/);
    assert.match(lexError("SELECT X'GG'").reason, /only hex digits/);
  });

  test("an unterminated hint points at /*+", () => {
    const error = lexError("SELECT /*+ BROADCAST(t) a");
    assert.deepEqual([error.column], [8]);
    assert.match(error.reason, /unterminated hint/);
  });
});
