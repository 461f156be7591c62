/**
 * Printing MATCH_RECOGNIZE clauses and row patterns back to SQL.
 *
 * Invariant: for any tree the parser produces, the output parses back to an equal tree. A pattern
 * is parenthesized exactly where its parent binds tighter (an alternation inside a concatenation
 * or under a quantifier, a concatenation under a quantifier or inside another concatenation), and
 * quantifiers print in their shortest form.
 * @module
 */

import type { AfterMatchSkip, MatchRecognize, RowPattern } from "../ast/match-recognize.ts";
import { printExpression, printOrderItem } from "./expressions.ts";
import { printIdentifier, printIdentifierList } from "./names.ts";

/** `MATCH_RECOGNIZE (...)`, without the input table before it or the alias after it. */
export function printMatchRecognize(m: MatchRecognize): string {
  const parts: string[] = [];
  if (m.partitionBy.length > 0) parts.push(`PARTITION BY ${m.partitionBy.map(printExpression).join(", ")}`);
  if (m.orderBy.length > 0) parts.push(`ORDER BY ${m.orderBy.map(printOrderItem).join(", ")}`);
  if (m.measures.length > 0) {
    parts.push(
      `MEASURES ${m.measures.map((x) => `${printExpression(x.expression)} AS ${printIdentifier(x.alias)}`).join(", ")}`,
    );
  }
  if (m.rowsPerMatch !== null) parts.push(m.rowsPerMatch);
  if (m.afterMatchSkip !== null) parts.push(`AFTER MATCH ${printSkip(m.afterMatchSkip)}`);
  parts.push(`PATTERN (${printRowPattern(m.pattern)})`);
  if (m.within !== null) parts.push(`WITHIN ${printExpression(m.within)}`);
  if (m.subsets.length > 0) {
    parts.push(
      `SUBSET ${m.subsets.map((s) => `${printIdentifier(s.name)} = (${printIdentifierList(s.variables)})`).join(", ")}`,
    );
  }
  parts.push(
    `DEFINE ${m.definitions.map((d) => `${printIdentifier(d.variable)} AS ${printExpression(d.condition)}`).join(", ")}`,
  );
  return `MATCH_RECOGNIZE (${parts.join(" ")})`;
}

function printSkip(skip: AfterMatchSkip): string {
  switch (skip.kind) {
    case "skip-to-next-row":
      return "SKIP TO NEXT ROW";
    case "skip-past-last-row":
      return "SKIP PAST LAST ROW";
    case "skip-to-first":
      return `SKIP TO FIRST ${printIdentifier(skip.variable)}`;
    case "skip-to-last":
      return `SKIP TO LAST ${printIdentifier(skip.variable)}`;
  }
}

export function printRowPattern(p: RowPattern): string {
  switch (p.kind) {
    case "pattern-variable":
      return printIdentifier(p.name);
    case "pattern-anchor":
      return p.anchor;
    case "pattern-concatenation":
      if (p.items.length === 0) return "()";
      return p.items
        .map((item) =>
          item.kind === "pattern-concatenation" || item.kind === "pattern-alternation"
            ? `(${printRowPattern(item)})`
            : printRowPattern(item),
        )
        .join(" ");
    case "pattern-alternation":
      return p.alternatives
        .map((a) => (a.kind === "pattern-alternation" ? `(${printRowPattern(a)})` : printRowPattern(a)))
        .join(" | ");
    case "pattern-quantified": {
      const inner = p.pattern;
      const needsParens =
        inner.kind === "pattern-concatenation" ||
        inner.kind === "pattern-alternation" ||
        inner.kind === "pattern-quantified";
      const base = needsParens ? `(${printRowPattern(inner)})` : printRowPattern(inner);
      return `${base}${printQuantifier(p.min, p.max)}${p.reluctant ? "?" : ""}`;
    }
    case "pattern-exclusion":
      return `{- ${printRowPattern(p.pattern)} -}`;
    case "pattern-permute":
      return `PERMUTE(${p.patterns.map(printRowPattern).join(", ")})`;
  }
}

function printQuantifier(min: number, max: number | null): string {
  if (max === null) {
    if (min === 0) return "*";
    if (min === 1) return "+";
    return `{${min},}`;
  }
  if (min === 0 && max === 1) return "?";
  if (min === max) return `{${min}}`;
  return min === 0 ? `{,${max}}` : `{${min},${max}}`;
}
