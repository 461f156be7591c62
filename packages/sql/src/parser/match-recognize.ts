/**
 * MATCH_RECOGNIZE (...) after a table reference: PARTITION BY, ORDER BY, MEASURES, rows per match,
 * AFTER MATCH SKIP, PATTERN with WITHIN, SUBSET and DEFINE.
 *
 * Invariants: the clauses are accepted only in the order SQL defines, and PATTERN and DEFINE are
 * required; in a pattern, `|` binds loosest, then juxtaposition, then one quantifier per factor,
 * which is the tree's shape; `SKIP TO x` is read as `SKIP TO LAST x`, as the standard defines it.
 * @module
 */

import type { IntervalLiteral } from "../ast/expressions.ts";
import type {
  AfterMatchSkip,
  MatchRecognize,
  Measure,
  PatternDefinition,
  PatternSubset,
  RowPattern,
} from "../ast/match-recognize.ts";
import type { TableAlias, TableReference } from "../ast/queries.ts";
import type { Position } from "../ast/span.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseExpression, parseExpressionList } from "./expressions.ts";
import { expectInteger } from "./numbers.ts";
import { parseOrderItems } from "./windows.ts";

/**
 * Parses `MATCH_RECOGNIZE (...)` over `input` (MATCH_RECOGNIZE is the current token); the caller
 * parses the alias that follows and passes it to {@link withAlias}.
 */
export function parseMatchRecognize(c: TokenCursor, input: TableReference, start: Position): MatchRecognize {
  c.expectKeyword("MATCH_RECOGNIZE");
  c.expectSymbol("(");
  const partitionBy = c.acceptKeywords("PARTITION", "BY") ? parseExpressionList(c) : [];
  const orderBy = c.acceptKeywords("ORDER", "BY") ? parseOrderItems(c) : [];
  const measures = c.acceptKeyword("MEASURES") ? c.commaList(() => parseMeasure(c)) : [];
  let rowsPerMatch: MatchRecognize["rowsPerMatch"] = null;
  if (c.acceptKeywords("ONE", "ROW", "PER", "MATCH")) rowsPerMatch = "ONE ROW PER MATCH";
  else if (c.acceptKeywords("ALL", "ROWS", "PER", "MATCH")) rowsPerMatch = "ALL ROWS PER MATCH";
  const afterMatchSkip = c.isKeyword("AFTER") ? parseAfterMatchSkip(c) : null;
  if (afterMatchSkip === null) c.expecting("'AFTER MATCH'");
  c.expectKeyword("PATTERN");
  c.expectSymbol("(");
  const pattern = c.isSymbol(")") ? emptyPattern(c) : parsePattern(c);
  c.expectSymbol(")");
  const within = c.acceptKeyword("WITHIN") ? parseWithin(c) : null;
  const subsets = c.acceptKeyword("SUBSET") ? c.commaList(() => parseSubset(c)) : [];
  c.expectKeyword("DEFINE");
  const definitions = c.commaList(() => parseDefinition(c));
  c.expectSymbol(")");
  return {
    kind: "match-recognize",
    input,
    partitionBy,
    orderBy,
    measures,
    rowsPerMatch,
    afterMatchSkip,
    pattern,
    within,
    subsets,
    definitions,
    alias: null,
    span: c.spanFrom(start),
  };
}

/** The same node with the alias written after it, its span extended to cover the alias. */
export function withAlias(c: TokenCursor, node: MatchRecognize, alias: TableAlias | null): MatchRecognize {
  return alias === null ? node : { ...node, alias, span: c.spanFrom(node.span.start) };
}

function parseMeasure(c: TokenCursor): Measure {
  const start = c.start;
  const expression = parseExpression(c);
  c.expectKeyword("AS");
  const alias = c.expectIdentifier("measure name");
  return { kind: "measure", expression, alias, span: c.spanFrom(start) };
}

function parseAfterMatchSkip(c: TokenCursor): AfterMatchSkip {
  const start = c.start;
  c.expectKeywords("AFTER", "MATCH", "SKIP");
  if (c.acceptKeywords("PAST", "LAST", "ROW")) return { kind: "skip-past-last-row", span: c.spanFrom(start) };
  c.expectKeyword("TO");
  if (c.acceptKeywords("NEXT", "ROW")) return { kind: "skip-to-next-row", span: c.spanFrom(start) };
  if (c.isKeyword("FIRST") && c.isIdentifier(1)) {
    c.advance();
    const variable = c.expectIdentifier("pattern variable");
    return { kind: "skip-to-first", variable, span: c.spanFrom(start) };
  }
  if (c.isKeyword("LAST") && c.isIdentifier(1)) c.advance();
  else c.expecting("'FIRST'");
  const variable = c.expectIdentifier("pattern variable");
  return { kind: "skip-to-last", variable, span: c.spanFrom(start) };
}

function parseWithin(c: TokenCursor): IntervalLiteral {
  const start = c.start;
  const interval = parseExpression(c);
  if (interval.kind !== "interval-literal") {
    throw c.errorAt(start, "expected an interval literal after WITHIN, as in WITHIN INTERVAL '5' SECOND");
  }
  return interval;
}

function parseSubset(c: TokenCursor): PatternSubset {
  const start = c.start;
  const name = c.expectIdentifier("subset name");
  c.expectSymbol("=");
  const variables = c.parenthesizedList(() => c.expectIdentifier("pattern variable"));
  return { kind: "pattern-subset", name, variables, span: c.spanFrom(start) };
}

function parseDefinition(c: TokenCursor): PatternDefinition {
  const start = c.start;
  const variable = c.expectIdentifier("pattern variable");
  c.expectKeyword("AS");
  const condition = parseExpression(c);
  return { kind: "pattern-definition", variable, condition, span: c.spanFrom(start) };
}

// --- Row patterns. ---

function emptyPattern(c: TokenCursor): RowPattern {
  const at = c.start;
  return { kind: "pattern-concatenation", items: [], span: { start: at, end: at } };
}

/** `term | term | ...`. */
function parsePattern(c: TokenCursor): RowPattern {
  return c.nested(() => parsePatternLevel(c));
}

function parsePatternLevel(c: TokenCursor): RowPattern {
  const start = c.start;
  const alternatives = [parsePatternTerm(c)];
  while (c.acceptSymbol("|")) alternatives.push(parsePatternTerm(c));
  if (alternatives.length === 1) return alternatives[0]!;
  return { kind: "pattern-alternation", alternatives, span: c.spanFrom(start) };
}

/** `factor factor ...`: factors up to `|`, `)`, `,` or `-}`. */
function parsePatternTerm(c: TokenCursor): RowPattern {
  const start = c.start;
  const items = [parsePatternFactor(c)];
  while (atPatternFactor(c)) items.push(parsePatternFactor(c));
  if (items.length === 1) return items[0]!;
  return { kind: "pattern-concatenation", items, span: c.spanFrom(start) };
}

function atPatternFactor(c: TokenCursor): boolean {
  return (
    c.isIdentifier() ||
    c.isKeyword("PERMUTE") ||
    c.isSymbol("(") ||
    c.isSymbol("^") ||
    c.isSymbol("$") ||
    (c.isSymbol("{") && c.isSymbol("-", 1))
  );
}

/** A primary with at most one quantifier. */
function parsePatternFactor(c: TokenCursor): RowPattern {
  const start = c.start;
  const primary = parsePatternPrimary(c);
  let min: number;
  let max: number | null;
  if (c.acceptSymbol("*")) [min, max] = [0, null];
  else if (c.acceptSymbol("+")) [min, max] = [1, null];
  else if (c.acceptSymbol("?")) [min, max] = [0, 1];
  else if (c.isSymbol("{") && !c.isSymbol("-", 1)) [min, max] = parseBraceQuantifier(c);
  else {
    c.expecting("quantifier");
    return primary;
  }
  const reluctant = c.acceptSymbol("?") !== null;
  return { kind: "pattern-quantified", pattern: primary, min, max, reluctant, span: c.spanFrom(start) };
}

/** `{n}`, `{n,}`, `{,m}` or `{n,m}`. */
function parseBraceQuantifier(c: TokenCursor): [number, number | null] {
  c.expectSymbol("{");
  if (c.acceptSymbol(",")) {
    const max = expectInteger(c);
    c.expectSymbol("}");
    return [0, max];
  }
  const min = expectInteger(c);
  if (c.acceptSymbol("}")) return [min, min];
  c.expectSymbol(",");
  const max = c.isSymbol("}") ? null : expectInteger(c);
  c.expectSymbol("}");
  if (max !== null && max < min)
    throw c.error({ detail: `a quantifier's maximum ${max} is below its minimum ${min}` });
  return [min, max];
}

function parsePatternPrimary(c: TokenCursor): RowPattern {
  const start = c.start;
  const token = c.token;
  if (token.kind === "symbol" && (token.value === "^" || token.value === "$")) {
    c.advance();
    return { kind: "pattern-anchor", anchor: token.value, span: token.span };
  }
  if (c.acceptSymbol("(")) {
    const inner = c.isSymbol(")") ? emptyPattern(c) : parsePattern(c);
    c.expectSymbol(")");
    return inner;
  }
  if (c.isSymbol("{") && c.isSymbol("-", 1)) {
    c.advance();
    c.advance();
    const pattern = parsePattern(c);
    c.expectSymbol("-");
    c.expectSymbol("}");
    return { kind: "pattern-exclusion", pattern, span: c.spanFrom(start) };
  }
  if (c.isKeyword("PERMUTE") && c.isSymbol("(", 1)) {
    c.advance();
    const patterns = c.parenthesizedList(() => parsePattern(c));
    return { kind: "pattern-permute", patterns, span: c.spanFrom(start) };
  }
  c.expecting("'('");
  const name = c.expectIdentifier("pattern variable");
  return { kind: "pattern-variable", name, span: name.span };
}
