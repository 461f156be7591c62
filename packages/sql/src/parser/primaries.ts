/**
 * Prefix positions of the expression grammar: literals, names, calls, parentheses, unary
 * operators, and the constructs with their own syntax (CASE, CAST, EXTRACT, TRIM, POSITION,
 * SUBSTRING, OVERLAY, INTERVAL and datetime literals, ROW/ARRAY/MAP constructors, EXISTS, and the
 * SQL/JSON functions, which json-calls.ts parses).
 *
 * Invariant: a reserved word starts an expression only when it is one of these constructs, a
 * literal, or a reserved function name directly followed by `(`; anything else fails here with
 * "expected expression", which is how a trailing comma before FROM gets a precise error.
 * @module
 */

import type {
  CallExpression,
  CaseExpression,
  Expression,
  IntervalLiteral,
  MapEntry,
  WhenClause,
} from "../ast/expressions.ts";
import type { QualifiedName } from "../ast/names.ts";
import type { Position } from "../ast/span.ts";
import { isReserved, isReservedFunctionName } from "../lexer/reserved-words.ts";
import { parseCall } from "./calls.ts";
import type { TokenCursor } from "./cursor.ts";
import { Power, parseExpression, parseExpressionList } from "./expressions.ts";
import { JSON_SYNTAX_FUNCTIONS, parseJsonCall } from "./json-calls.ts";
import { isQueryStart, parseQuery } from "./queries.ts";
import { expectTimeUnit, parseIntervalQualifier } from "./time-units.ts";
import { parseDataType } from "./types.ts";

/** Niladic functions written without parentheses. */
const NILADIC: ReadonlySet<string> = new Set([
  "CURRENT_DATE",
  "CURRENT_TIME",
  "CURRENT_TIMESTAMP",
  "LOCALTIME",
  "LOCALTIMESTAMP",
]);

export function parsePrefix(c: TokenCursor): Expression {
  const token = c.token;
  const start = token.span.start;
  switch (token.kind) {
    case "string":
      c.advance();
      return { kind: "string-literal", value: token.value, span: token.span };
    case "binary-string":
      c.advance();
      return { kind: "binary-literal", hex: token.value, span: token.span };
    case "number": {
      c.advance();
      const form = /[eE]/.test(token.text) ? "approximate" : token.text.includes(".") ? "decimal" : "integer";
      return { kind: "number-literal", text: token.text, form, span: token.span };
    }
    case "quoted-identifier":
      return parseNameOrCall(c, start);
    case "symbol":
      if (token.value === "-" || token.value === "+") {
        c.advance();
        const operand = parseExpression(c, Power.UNARY);
        return { kind: "unary", operator: token.value, operand, span: c.spanFrom(start) };
      }
      if (token.value === "(") return parseParenthesized(c, start);
      break;
    case "word":
      return parseWord(c, start);
  }
  return c.fail("expression");
}

function parseWord(c: TokenCursor, start: Position): Expression {
  const word = c.token.upper;
  const next = c.peek();
  const callFollows = next.kind === "symbol" && next.value === "(";
  switch (word) {
    case "TRUE":
    case "FALSE":
      c.advance();
      return { kind: "boolean-literal", value: word === "TRUE", span: c.spanFrom(start) };
    case "NULL":
      c.advance();
      return { kind: "null-literal", span: c.spanFrom(start) };
    case "NOT": {
      c.advance();
      const operand = parseExpression(c, Power.NOT);
      return { kind: "unary", operator: "NOT", operand, span: c.spanFrom(start) };
    }
    case "CASE":
      return parseCase(c, start);
    case "RUNNING":
    case "FINAL":
      // FINAL is not reserved: it is the prefix only before a call or dotted name (`FINAL LAST(x)`),
      // so a column named final keeps working.
      if (
        word === "RUNNING" ||
        ((c.peek().kind === "word" || c.peek().kind === "quoted-identifier") &&
          (c.isSymbol("(", 2) || c.isSymbol(".", 2)))
      ) {
        c.advance();
        const operand = parseExpression(c, Power.UNARY);
        return { kind: "match-semantics", semantics: word, operand, span: c.spanFrom(start) };
      }
      break;
    case "INTERVAL":
      return parseIntervalLiteral(c, start);
    case "EXISTS": {
      c.advance();
      c.expectSymbol("(");
      const query = parseQuery(c);
      c.expectSymbol(")");
      return { kind: "exists", query, span: c.spanFrom(start) };
    }
    case "DATE":
    case "TIME":
    case "TIMESTAMP":
      if (next.kind === "string") {
        c.advance();
        c.advance();
        return { kind: "datetime-literal", type: word, value: next.value, span: c.spanFrom(start) };
      }
      break;
  }
  if (callFollows) {
    switch (word) {
      case "CAST":
      case "TRY_CAST":
        return parseCast(c, start, word === "TRY_CAST");
      case "EXTRACT":
        return parseExtract(c, start);
      case "TRIM":
        return parseTrim(c, start);
      case "POSITION":
        return parsePosition(c, start);
      case "SUBSTRING":
      case "OVERLAY":
        return parseSubstringOrOverlay(c, start, word);
      case "ROW": {
        c.advance();
        c.expectSymbol("(");
        const values = c.isSymbol(")") ? [] : parseExpressionList(c);
        c.expectSymbol(")");
        return { kind: "row", values, keyword: true, span: c.spanFrom(start) };
      }
    }
  }
  if (next.kind === "symbol" && next.value === "[") {
    if (word === "ARRAY") {
      c.advance();
      c.advance();
      const elements = c.isSymbol("]") ? [] : parseExpressionList(c);
      c.expectSymbol("]");
      return { kind: "array", elements, span: c.spanFrom(start) };
    }
    if (word === "MAP") return parseMapConstructor(c, start);
  }
  if (NILADIC.has(word) && !callFollows) {
    const token = c.advance();
    const name = singleName(token.value, token.span);
    return {
      kind: "call",
      name,
      quantifier: null,
      args: [],
      filter: null,
      over: null,
      parenthesized: false,
      span: c.spanFrom(start),
    };
  }
  if (callFollows && JSON_SYNTAX_FUNCTIONS.has(word)) {
    const token = c.advance();
    return parseJsonCall(c, singleName(token.value, token.span), start);
  }
  if (isReserved(word)) {
    if (callFollows && isReservedFunctionName(word)) {
      const token = c.advance();
      return parseCall(c, singleName(token.value, token.span), start);
    }
    throw c.reservedWordError("expression") ?? c.error({ expected: ["expression"] });
  }
  return parseNameOrCall(c, start);
}

/** `a`, `t.a`, `t.a.b` (a reference) or `f(...)`, `db.f(...)` (a call). */
function parseNameOrCall(c: TokenCursor, start: Position): Expression {
  const parts = [c.expectIdentifier()];
  while (c.isSymbol(".") && !c.isSymbol("*", 1)) {
    c.advance();
    parts.push(c.expectIdentifier("field name"));
  }
  if (c.isSymbol("(")) {
    const name: QualifiedName = { kind: "qualified-name", parts, span: c.spanFrom(start) };
    return parseCall(c, name, start);
  }
  return { kind: "reference", parts, span: c.spanFrom(start) };
}

function singleName(value: string, span: QualifiedName["span"]): QualifiedName {
  return { kind: "qualified-name", parts: [{ kind: "identifier", value, span }], span };
}

/** `( query )` as a scalar subquery, `( expr )`, or `( a, b, ... )` as a row. */
function parseParenthesized(c: TokenCursor, start: Position): Expression {
  c.advance();
  const subquery = (): Expression => {
    const query = parseQuery(c);
    c.expectSymbol(")");
    return { kind: "scalar-subquery", query, span: c.spanFrom(start) };
  };
  const list = (): Expression => {
    const values = parseExpressionList(c);
    c.expectSymbol(")");
    if (values.length === 1) return values[0]!;
    return { kind: "row", values, keyword: false, span: c.spanFrom(start) };
  };
  if (!isQueryStart(c)) return list();
  // `(SELECT ...)` is a subquery; `((SELECT ...) + 1)` starts like one but is an expression.
  return c.isSymbol("(") ? c.either(subquery, list) : subquery();
}

function parseCase(c: TokenCursor, start: Position): CaseExpression {
  c.advance();
  const operand = c.isKeyword("WHEN") ? null : parseExpression(c);
  const whens: WhenClause[] = [];
  do {
    const whenStart = c.start;
    c.expectKeyword("WHEN");
    // Only a simple CASE may list several values; in a searched CASE a comma is an error at THEN.
    const conditions = operand === null ? [parseExpression(c)] : parseExpressionList(c);
    c.expectKeyword("THEN");
    const result = parseExpression(c);
    whens.push({ kind: "when-clause", conditions, result, span: c.spanFrom(whenStart) });
  } while (c.atKeyword("WHEN"));
  const elseResult = c.acceptKeyword("ELSE") ? parseExpression(c) : null;
  c.expectKeyword("END");
  return { kind: "case", operand, whens, elseResult, span: c.spanFrom(start) };
}

function parseCast(c: TokenCursor, start: Position, safe: boolean): Expression {
  c.advance();
  c.expectSymbol("(");
  const operand = parseExpression(c);
  c.expectKeyword("AS");
  const type = parseDataType(c);
  c.expectSymbol(")");
  return { kind: "cast", operand, type, safe, span: c.spanFrom(start) };
}

function parseExtract(c: TokenCursor, start: Position): Expression {
  c.advance();
  c.expectSymbol("(");
  const unit = expectTimeUnit(c);
  c.expectKeyword("FROM");
  const operand = parseExpression(c);
  c.expectSymbol(")");
  return { kind: "extract", unit, operand, span: c.spanFrom(start) };
}

/** `TRIM([BOTH | LEADING | TRAILING] [chars] FROM s)` or `TRIM(s)`. */
function parseTrim(c: TokenCursor, start: Position): Expression {
  c.advance();
  c.expectSymbol("(");
  let side: "BOTH" | "LEADING" | "TRAILING" | null = null;
  for (const s of ["BOTH", "LEADING", "TRAILING"] as const) {
    if (c.acceptKeyword(s)) {
      side = s;
      break;
    }
  }
  let characters: Expression | null = null;
  let operand: Expression;
  if (side !== null && c.acceptKeyword("FROM")) {
    operand = parseExpression(c);
  } else {
    const first = parseExpression(c);
    if (c.acceptKeyword("FROM")) {
      characters = first;
      operand = parseExpression(c);
    } else if (side !== null) {
      return c.fail();
    } else {
      operand = first;
    }
  }
  c.expectSymbol(")");
  return { kind: "trim", side, characters, operand, span: c.spanFrom(start) };
}

/** `POSITION(needle IN haystack [FROM start])`, read as the call `POSITION(needle, haystack[, start])`. */
function parsePosition(c: TokenCursor, start: Position): Expression {
  const token = c.advance();
  c.expectSymbol("(");
  const args = [parseExpression(c, Power.RANGE)];
  c.expectKeyword("IN");
  args.push(parseExpression(c));
  if (c.acceptKeyword("FROM")) args.push(parseExpression(c));
  c.expectSymbol(")");
  return plainCall(singleName(token.value, token.span), args, c.spanFrom(start));
}

/**
 * `SUBSTRING(s FROM i [FOR n])` or `SUBSTRING(s, i [, n])`, and `OVERLAY(s PLACING r FROM i
 * [FOR n])`, read as the calls `SUBSTRING(s, i[, n])` and `OVERLAY(s, r, i[, n])`.
 */
function parseSubstringOrOverlay(c: TokenCursor, start: Position, word: "SUBSTRING" | "OVERLAY"): Expression {
  const token = c.advance();
  c.expectSymbol("(");
  const args = [parseExpression(c)];
  if (word === "OVERLAY") {
    c.expectKeyword("PLACING");
    args.push(parseExpression(c));
    c.expectKeyword("FROM");
    args.push(parseExpression(c));
    if (c.acceptKeyword("FOR")) args.push(parseExpression(c));
  } else if (c.acceptKeyword("FROM")) {
    args.push(parseExpression(c));
    if (c.acceptKeyword("FOR")) args.push(parseExpression(c));
  } else {
    while (c.acceptSymbol(",")) args.push(parseExpression(c));
  }
  c.expectSymbol(")");
  return plainCall(singleName(token.value, token.span), args, c.spanFrom(start));
}

function plainCall(name: QualifiedName, args: Expression[], span: CallExpression["span"]): CallExpression {
  return { kind: "call", name, quantifier: null, args, filter: null, over: null, parenthesized: true, span };
}

/** `INTERVAL [+|-] 'value' qualifier`. */
function parseIntervalLiteral(c: TokenCursor, start: Position): IntervalLiteral {
  c.advance();
  let negative = false;
  if (c.acceptSymbol("-")) negative = true;
  else c.acceptSymbol("+");
  const token = c.token;
  if (token.kind !== "string") {
    if (token.kind === "number") {
      throw c.error({
        expected: ["string literal"],
        detail: `expected string literal but found number ${token.text} (write INTERVAL '${token.text}' ...)`,
      });
    }
    return c.fail("string literal");
  }
  c.advance();
  const qualifier = parseIntervalQualifier(c);
  return { kind: "interval-literal", negative, value: token.value, qualifier, span: c.spanFrom(start) };
}

/** `MAP[k1, v1, k2, v2]`. */
function parseMapConstructor(c: TokenCursor, start: Position): Expression {
  c.advance();
  c.advance();
  const entries: MapEntry[] = [];
  if (!c.isSymbol("]")) {
    do {
      const entryStart = c.start;
      const key = parseExpression(c);
      if (!c.isSymbol(",")) {
        throw c.error({
          expected: ["','"],
          detail: "a MAP constructor needs a value after each key: MAP[k1, v1, ...]",
        });
      }
      c.advance();
      const value = parseExpression(c);
      entries.push({ kind: "map-entry", key, value, span: c.spanFrom(entryStart) });
    } while (c.acceptSymbol(","));
  }
  c.expectSymbol("]");
  return { kind: "map", entries, span: c.spanFrom(start) };
}
