/**
 * Query expressions: WITH, set operations, SELECT blocks, VALUES, ORDER BY, OFFSET, LIMIT and
 * FETCH.
 *
 * Invariant: INTERSECT binds tighter than UNION and EXCEPT (MINUS is EXCEPT) and all are
 * left-associative, matching Flink; ORDER BY/OFFSET/LIMIT after the last operand belong to the
 * whole query, and a parenthesized operand keeps its own as a nested Query.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type { Identifier } from "../ast/names.ts";
import type {
  CommonTableExpression,
  GroupingElement,
  NamedWindow,
  Query,
  QueryBody,
  Select,
  SelectItem,
  Values,
} from "../ast/queries.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression } from "./expressions.ts";
import { parseFrom } from "./from.ts";
import { parseHints } from "./hints.ts";
import { parseOrderItems, parseWindowSpec } from "./windows.ts";

/** True when a query starts `n` tokens ahead: SELECT, WITH, VALUES, or `(` before one of those. */
export function isQueryStart(c: TokenCursor, n = 0): boolean {
  let i = n;
  while (c.isSymbol("(", i)) i++;
  return c.isKeyword("SELECT", i) || c.isKeyword("WITH", i) || c.isKeyword("VALUES", i);
}

/** A full query: `[WITH ...] body [ORDER BY ...] [OFFSET n] [LIMIT n | FETCH ...]`. */
export function parseQuery(c: TokenCursor): Query {
  return c.nested(() => parseQueryLevel(c));
}

function parseQueryLevel(c: TokenCursor): Query {
  const start = c.start;
  const ctes: CommonTableExpression[] = [];
  if (c.acceptKeyword("WITH")) {
    do ctes.push(parseCommonTableExpression(c));
    while (c.acceptSymbol(","));
  }
  const body = parseSetExpression(c);
  const orderBy = c.acceptKeywords("ORDER", "BY") ? parseOrderItems(c) : [];
  let limit: Expression | null = null;
  let offset: Expression | null = null;
  if (c.acceptKeyword("LIMIT")) {
    limit = parseLimitValue(c);
    if (c.acceptKeyword("OFFSET")) offset = parseRowCount(c);
  } else {
    if (c.acceptKeyword("OFFSET")) offset = parseRowCount(c);
    if (c.acceptKeyword("FETCH")) {
      if (!c.acceptKeyword("FIRST")) c.expectKeyword("NEXT");
      limit = parseExpression(c);
      if (!c.acceptKeyword("ROWS")) c.expectKeyword("ROW");
      c.expectKeyword("ONLY");
    }
  }
  return { kind: "query", with: ctes, body, orderBy, offset, limit, span: c.spanFrom(start) };
}

/** `n` or `ALL` (no limit, read as null). */
function parseLimitValue(c: TokenCursor): Expression | null {
  if (c.acceptKeyword("ALL")) return null;
  return parseExpression(c);
}

/** `n [ROW | ROWS]` after OFFSET. */
function parseRowCount(c: TokenCursor): Expression {
  const count = parseExpression(c);
  if (!c.acceptKeyword("ROWS")) c.acceptKeyword("ROW");
  return count;
}

function parseCommonTableExpression(c: TokenCursor): CommonTableExpression {
  const start = c.start;
  const name = c.expectIdentifier("query name");
  const columns = c.isSymbol("(") ? c.parenthesizedList(() => c.expectIdentifier("column name")) : [];
  c.expectKeyword("AS");
  c.expectSymbol("(");
  const query = parseQuery(c);
  c.expectSymbol(")");
  return { kind: "cte", name, columns, query, span: c.spanFrom(start) };
}

/** `term ((UNION | EXCEPT | MINUS) [ALL | DISTINCT] term)*`. */
function parseSetExpression(c: TokenCursor): QueryBody {
  const start = c.start;
  let left = parseIntersectTerm(c);
  for (;;) {
    let operator: "UNION" | "EXCEPT";
    if (c.acceptKeyword("UNION")) operator = "UNION";
    else if (c.acceptKeyword("EXCEPT")) operator = "EXCEPT";
    else if (c.isKeyword("MINUS")) {
      c.advance();
      operator = "EXCEPT";
    } else return left;
    const all = parseSetQuantifier(c);
    const right = parseIntersectTerm(c);
    left = { kind: "set-operation", operator, all, left, right, span: c.spanFrom(start) };
  }
}

function parseIntersectTerm(c: TokenCursor): QueryBody {
  const start = c.start;
  let left = parseQueryPrimary(c);
  while (c.acceptKeyword("INTERSECT")) {
    const all = parseSetQuantifier(c);
    const right = parseQueryPrimary(c);
    left = { kind: "set-operation", operator: "INTERSECT", all, left, right, span: c.spanFrom(start) };
  }
  return left;
}

function parseSetQuantifier(c: TokenCursor): boolean {
  if (c.acceptKeyword("ALL")) return true;
  c.acceptKeyword("DISTINCT");
  return false;
}

/** SELECT, VALUES or a parenthesized query. */
function parseQueryPrimary(c: TokenCursor): QueryBody {
  if (c.isKeyword("SELECT")) return parseSelect(c);
  if (c.isKeyword("VALUES")) return parseValues(c);
  if (c.acceptSymbol("(")) {
    const query = parseQuery(c);
    c.expectSymbol(")");
    return query;
  }
  c.expecting("'SELECT'");
  c.expecting("'VALUES'");
  c.expecting("'WITH'");
  return c.fail();
}

function parseValues(c: TokenCursor): Values {
  const start = c.start;
  c.advance();
  const rows = c.commaList(() => parseValuesRow(c));
  return { kind: "values", rows, span: c.spanFrom(start) };
}

/** `(a, b)`, `ROW(a, b)` or a single value. */
function parseValuesRow(c: TokenCursor): readonly Expression[] {
  const row = parseExpression(c);
  return row.kind === "row" ? row.values : [row];
}

function parseSelect(c: TokenCursor): Select {
  const start = c.start;
  c.advance();
  const hints = parseHints(c);
  let distinct = false;
  if (c.acceptKeyword("DISTINCT")) distinct = true;
  else c.acceptKeyword("ALL");
  const items = c.commaList(() => parseSelectItem(c));
  const from = c.acceptKeyword("FROM") ? parseFrom(c) : null;
  const where = c.acceptKeyword("WHERE") ? parseExpression(c) : null;
  const groupBy = c.acceptKeywords("GROUP", "BY") ? c.commaList(() => parseGroupingElement(c)) : [];
  const having = c.acceptKeyword("HAVING") ? parseExpression(c) : null;
  const windows: NamedWindow[] = [];
  if (c.acceptKeyword("WINDOW")) {
    do windows.push(parseNamedWindow(c));
    while (c.acceptSymbol(","));
  }
  const qualify = c.acceptKeyword("QUALIFY") ? parseExpression(c) : null;
  return {
    kind: "select",
    hints,
    distinct,
    items,
    from,
    where,
    groupBy,
    having,
    windows,
    qualify,
    span: c.spanFrom(start),
  };
}

function parseSelectItem(c: TokenCursor): SelectItem {
  const start = c.start;
  if (c.isSymbol("*")) {
    c.advance();
    return { kind: "select-star", qualifier: [], span: c.spanFrom(start) };
  }
  const qualifier = starQualifierLength(c);
  if (qualifier > 0) {
    const parts: Identifier[] = [];
    for (let i = 0; i < qualifier; i++) {
      parts.push(c.expectIdentifier());
      c.advance();
    }
    c.advance();
    return { kind: "select-star", qualifier: parts, span: c.spanFrom(start) };
  }
  const expression = parseExpression(c);
  return { kind: "select-expression", expression, alias: parseColumnAlias(c), span: c.spanFrom(start) };
}

/** The number of names before `.*` when the current tokens are `a.b.*`; 0 otherwise. */
function starQualifierLength(c: TokenCursor): number {
  let n = 0;
  while (c.isIdentifier(2 * n) && c.isSymbol(".", 2 * n + 1)) {
    if (c.isSymbol("*", 2 * n + 2)) return n + 1;
    n++;
  }
  return 0;
}

/** `[AS] alias` after a select item. */
export function parseColumnAlias(c: TokenCursor): Identifier | null {
  if (c.acceptKeyword("AS")) return c.expectIdentifier("alias");
  if (c.isIdentifier()) return c.expectIdentifier("alias");
  c.expecting("alias");
  return null;
}

function parseGroupingElement(c: TokenCursor): GroupingElement {
  const start = c.start;
  if (c.acceptKeywords("GROUPING", "SETS")) {
    const sets = c.parenthesizedList(() => parseGroupingElement(c));
    return { kind: "grouping-sets", sets, span: c.spanFrom(start) };
  }
  if (c.isKeyword("ROLLUP") || c.isKeyword("CUBE")) {
    const kind = c.advance().upper === "ROLLUP" ? "rollup" : "cube";
    const items = c.parenthesizedList(() => parseExpression(c));
    return { kind, items, span: c.spanFrom(start) };
  }
  if (c.isSymbol("(") && c.isSymbol(")", 1)) {
    c.advance();
    c.advance();
    return { kind: "empty-grouping-set", span: c.spanFrom(start) };
  }
  return parseExpression(c);
}

function parseNamedWindow(c: TokenCursor): NamedWindow {
  const start = c.start;
  const name = c.expectIdentifier("window name");
  c.expectKeyword("AS");
  const spec = parseWindowSpec(c);
  return { kind: "named-window", name, spec, span: c.spanFrom(start) };
}
