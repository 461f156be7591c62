/**
 * The parser's entry points: whole scripts, single statements, queries, expressions and data
 * types, each from SQL text.
 *
 * Invariant: every entry point consumes its whole input (apart from whitespace, comments and, for
 * statements, terminating semicolons) or throws {@link SqlSyntaxError}; none returns a partial tree.
 * @module
 */

import type { Expression } from "./ast/expressions.ts";
import type { Query } from "./ast/queries.ts";
import type { Statement } from "./ast/statements.ts";
import type { DataType } from "./ast/types.ts";
import { tokenize } from "./lexer/lexer.ts";
import { TokenCursor } from "./parser/cursor.ts";
import { parseExpression as parseExpressionAt } from "./parser/expressions.ts";
import { parseQuery as parseQueryAt } from "./parser/queries.ts";
import { parseStatement as parseStatementAt } from "./parser/statements.ts";
import { parseDataType as parseDataTypeAt } from "./parser/types.ts";

function cursorFor(sql: string): TokenCursor {
  return new TokenCursor(sql, tokenize(sql));
}

function finish<T>(c: TokenCursor, result: T): T {
  if (!c.atEnd) {
    c.expecting("end of input");
    c.fail();
  }
  return result;
}

/**
 * Parses a script: statements separated by `;` (empty statements are skipped; the last `;` is
 * optional). The SQL client's `BEGIN STATEMENT SET; ...; END;` becomes one statement-set.
 */
export function parseStatements(sql: string): Statement[] {
  const c = cursorFor(sql);
  const statements: Statement[] = [];
  for (;;) {
    while (c.isSymbol(";")) c.advance();
    if (c.atEnd) return statements;
    statements.push(parseStatementAt(c));
    if (c.atEnd) return statements;
    if (!c.isSymbol(";")) {
      c.expecting("';'");
      c.expecting("end of input");
      c.fail();
    }
  }
}

/** Parses exactly one statement, optionally followed by `;`. */
export function parseStatement(sql: string): Statement {
  const c = cursorFor(sql);
  const statement = parseStatementAt(c);
  c.acceptSymbol(";");
  return finish(c, statement);
}

/** Parses one query (SELECT, VALUES, WITH ..., set operations). */
export function parseQuery(sql: string): Query {
  const c = cursorFor(sql);
  return finish(c, parseQueryAt(c));
}

/** Parses one scalar expression. */
export function parseExpression(sql: string): Expression {
  const c = cursorFor(sql);
  return finish(c, parseExpressionAt(c));
}

/** Parses one data type, as written in a column definition or CAST. */
export function parseDataType(sql: string): DataType {
  const c = cursorFor(sql);
  return finish(c, parseDataTypeAt(c));
}
