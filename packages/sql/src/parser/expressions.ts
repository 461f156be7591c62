/**
 * The expression parser's core: a Pratt loop over binary, comparison and postfix operators.
 *
 * Invariant: binding powers follow Flink's (Calcite's) operator precedence, lowest first:
 * OR < AND < NOT < IS ... < comparisons and IS DISTINCT FROM < BETWEEN, [NOT] IN, [NOT] LIKE,
 * SIMILAR TO < + - < * / % || < unary + - < postfix `[i]` and `.field`. All binary operators are
 * left-associative. A node's span runs from the first token of its leftmost operand (including an
 * opening parenthesis) to the last token consumed.
 * @module
 */

import type { BinaryOperator, Expression } from "../ast/expressions.ts";
import type { Position } from "../ast/span.ts";
import type { TokenCursor } from "./cursor.ts";
import { parsePrefix } from "./primaries.ts";
import { isQueryStart, parseQuery } from "./queries.ts";

/** Binding powers; an operator continues an expression only when its power exceeds the minimum. */
export const Power = {
  LOWEST: 0,
  OR: 10,
  AND: 20,
  NOT: 25,
  IS: 28,
  COMPARISON: 30,
  RANGE: 32,
  ADDITIVE: 40,
  MULTIPLICATIVE: 60,
  UNARY: 70,
  POSTFIX: 80,
} as const;

const SYMBOL_OPERATORS: ReadonlyMap<string, { readonly op: BinaryOperator; readonly power: number }> =
  new Map([
    ["=", { op: "=", power: Power.COMPARISON }],
    ["<>", { op: "<>", power: Power.COMPARISON }],
    ["!=", { op: "<>", power: Power.COMPARISON }],
    ["<", { op: "<", power: Power.COMPARISON }],
    ["<=", { op: "<=", power: Power.COMPARISON }],
    [">", { op: ">", power: Power.COMPARISON }],
    [">=", { op: ">=", power: Power.COMPARISON }],
    ["+", { op: "+", power: Power.ADDITIVE }],
    ["-", { op: "-", power: Power.ADDITIVE }],
    ["*", { op: "*", power: Power.MULTIPLICATIVE }],
    ["/", { op: "/", power: Power.MULTIPLICATIVE }],
    ["%", { op: "%", power: Power.MULTIPLICATIVE }],
    ["||", { op: "||", power: Power.MULTIPLICATIVE }],
  ]);

const RANGE_KEYWORDS: ReadonlySet<string> = new Set(["BETWEEN", "LIKE", "IN", "SIMILAR"]);

/** Parses an expression whose operators all bind tighter than `minPower`. */
export function parseExpression(c: TokenCursor, minPower: number = Power.LOWEST): Expression {
  return c.nested(() => {
    const start = c.start;
    let left = parsePrefix(c);
    for (;;) {
      const power = infixPower(c);
      if (power <= minPower) return left;
      left = parseInfix(c, left, start);
    }
  });
}

/** A comma-separated list of expressions. */
export function parseExpressionList(c: TokenCursor): Expression[] {
  return c.commaList(() => parseExpression(c));
}

/** How tightly the current token binds as an infix or postfix operator; 0 when it is none. */
function infixPower(c: TokenCursor): number {
  const token = c.token;
  if (token.kind === "symbol") {
    if (token.value === "[" || token.value === ".") return Power.POSTFIX;
    return SYMBOL_OPERATORS.get(token.value)?.power ?? 0;
  }
  if (token.kind !== "word") return 0;
  switch (token.upper) {
    case "OR":
      return Power.OR;
    case "AND":
      return Power.AND;
    case "IS":
      return Power.IS;
    case "NOT":
      return c.peek().kind === "word" && RANGE_KEYWORDS.has(c.peek().upper) ? Power.RANGE : 0;
    default:
      return RANGE_KEYWORDS.has(token.upper) ? Power.RANGE : 0;
  }
}

function parseInfix(c: TokenCursor, left: Expression, start: Position): Expression {
  const token = c.advance();
  if (token.kind === "symbol") {
    if (token.value === "[") {
      const index = parseExpression(c);
      c.expectSymbol("]");
      return { kind: "index", target: left, index, span: c.spanFrom(start) };
    }
    if (token.value === ".") {
      const field = c.expectIdentifier("field name");
      return { kind: "field-access", target: left, field, span: c.spanFrom(start) };
    }
    const { op, power } = SYMBOL_OPERATORS.get(token.value)!;
    const right = parseExpression(c, power);
    return { kind: "binary", operator: op, left, right, span: c.spanFrom(start) };
  }
  switch (token.upper) {
    case "OR":
    case "AND": {
      const right = parseExpression(c, token.upper === "OR" ? Power.OR : Power.AND);
      return { kind: "binary", operator: token.upper, left, right, span: c.spanFrom(start) };
    }
    case "IS":
      return parseIsTail(c, left, start);
    case "NOT":
      return parseRangeTail(c, c.advance().upper, left, start, true);
    default:
      return parseRangeTail(c, token.upper, left, start, false);
  }
}

/**
 * After `x IS`: `[NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM y | JSON [VALUE | SCALAR |
 * ARRAY | OBJECT]`.
 */
function parseIsTail(c: TokenCursor, operand: Expression, start: Position): Expression {
  const negated = c.acceptKeyword("NOT") !== null;
  for (const test of ["NULL", "TRUE", "FALSE", "UNKNOWN"] as const) {
    if (c.acceptKeyword(test)) return { kind: "is", operand, test, negated, span: c.spanFrom(start) };
  }
  if (c.acceptKeyword("JSON")) {
    let jsonType: "VALUE" | "SCALAR" | "ARRAY" | "OBJECT" = "VALUE";
    for (const type of ["VALUE", "SCALAR", "ARRAY", "OBJECT"] as const) {
      if (c.acceptKeyword(type)) {
        jsonType = type;
        break;
      }
    }
    return { kind: "is-json", operand, jsonType, negated, span: c.spanFrom(start) };
  }
  if (c.acceptKeyword("DISTINCT")) {
    c.expectKeyword("FROM");
    const right = parseExpression(c, Power.COMPARISON);
    return { kind: "is-distinct-from", left: operand, right, negated, span: c.spanFrom(start) };
  }
  return c.fail();
}

/** After `x [NOT] BETWEEN|LIKE|SIMILAR|IN` (the keyword already consumed). */
function parseRangeTail(
  c: TokenCursor,
  keyword: string,
  operand: Expression,
  start: Position,
  negated: boolean,
): Expression {
  switch (keyword) {
    case "BETWEEN": {
      let symmetric = false;
      if (c.acceptKeyword("SYMMETRIC")) symmetric = true;
      else c.acceptKeyword("ASYMMETRIC");
      const low = parseExpression(c, Power.RANGE);
      c.expectKeyword("AND");
      const high = parseExpression(c, Power.RANGE);
      return { kind: "between", operand, low, high, negated, symmetric, span: c.spanFrom(start) };
    }
    case "LIKE":
    case "SIMILAR": {
      if (keyword === "SIMILAR") c.expectKeyword("TO");
      const pattern = parseExpression(c, Power.RANGE);
      const escapeChar = c.acceptKeyword("ESCAPE") ? parseExpression(c, Power.RANGE) : null;
      const operator = keyword === "LIKE" ? "LIKE" : "SIMILAR TO";
      return {
        kind: "like",
        operator,
        operand,
        pattern,
        escape: escapeChar,
        negated,
        span: c.spanFrom(start),
      };
    }
    default: {
      c.expectSymbol("(");
      const inQuery = (): Expression => {
        const query = parseQuery(c);
        c.expectSymbol(")");
        return { kind: "in-query", operand, query, negated, span: c.spanFrom(start) };
      };
      const inList = (): Expression => {
        const values = parseExpressionList(c);
        c.expectSymbol(")");
        return { kind: "in-list", operand, values, negated, span: c.spanFrom(start) };
      };
      if (!isQueryStart(c)) return inList();
      // `IN ((SELECT ...))` is a query; `IN ((SELECT ...), 2)` is a list starting with a subquery.
      return c.isSymbol("(") ? c.either(inQuery, inList) : inQuery();
    }
  }
}
