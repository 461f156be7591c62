/**
 * MATCH_RECOGNIZE: row pattern recognition over an ordered, partitioned table (Flink's CEP in SQL).
 *
 * Invariants: the clauses are kept in the tree as written, each optional one as null or an empty
 * list; a row pattern is a tree whose shape is its precedence (alternation binds loosest, then
 * concatenation, then a quantifier on one factor), so parentheses leave no node of their own;
 * quantifiers are normalized to `min`/`max` bounds (`*` is 0..null, `+` 1..null, `?` 0..1).
 * @module
 */

import type { Expression, IntervalLiteral } from "./expressions.ts";
import type { Identifier } from "./names.ts";
import type { TableAlias, TableReference } from "./queries.ts";
import type { Span } from "./span.ts";
import type { OrderItem } from "./windows.ts";

/** A pattern variable: `A`, `PRICE_DOWN`. */
export interface PatternVariable {
  readonly kind: "pattern-variable";
  readonly name: Identifier;
  readonly span: Span;
}

/** `^` (start of partition) or `$` (end of partition). */
export interface PatternAnchor {
  readonly kind: "pattern-anchor";
  readonly anchor: "^" | "$";
  readonly span: Span;
}

/** Factors one after another: `A B+ C`; no items for the empty pattern `()`. */
export interface PatternConcatenation {
  readonly kind: "pattern-concatenation";
  readonly items: readonly RowPattern[];
  readonly span: Span;
}

/** `A | B | C`. */
export interface PatternAlternation {
  readonly kind: "pattern-alternation";
  readonly alternatives: readonly RowPattern[];
  readonly span: Span;
}

/** `A*`, `B+?`, `C{2,}`: `max` null means unbounded; `reluctant` for a trailing `?`. */
export interface PatternQuantified {
  readonly kind: "pattern-quantified";
  readonly pattern: RowPattern;
  readonly min: number;
  readonly max: number | null;
  readonly reluctant: boolean;
  readonly span: Span;
}

/** `{- A -}`: matched but left out of ALL ROWS PER MATCH output. */
export interface PatternExclusion {
  readonly kind: "pattern-exclusion";
  readonly pattern: RowPattern;
  readonly span: Span;
}

/** `PERMUTE(A, B, C)`: the patterns in any order. */
export interface PatternPermute {
  readonly kind: "pattern-permute";
  readonly patterns: readonly RowPattern[];
  readonly span: Span;
}

export type RowPattern =
  | PatternVariable
  | PatternAnchor
  | PatternConcatenation
  | PatternAlternation
  | PatternQuantified
  | PatternExclusion
  | PatternPermute;

/** `expression AS name` in MEASURES. */
export interface Measure {
  readonly kind: "measure";
  readonly expression: Expression;
  readonly alias: Identifier;
  readonly span: Span;
}

/** `name = (A, B)` in SUBSET. */
export interface PatternSubset {
  readonly kind: "pattern-subset";
  readonly name: Identifier;
  readonly variables: readonly Identifier[];
  readonly span: Span;
}

/** `A AS condition` in DEFINE. */
export interface PatternDefinition {
  readonly kind: "pattern-definition";
  readonly variable: Identifier;
  readonly condition: Expression;
  readonly span: Span;
}

/** Where the next match starts, from `AFTER MATCH SKIP ...`. */
export type AfterMatchSkip =
  | { readonly kind: "skip-to-next-row"; readonly span: Span }
  | { readonly kind: "skip-past-last-row"; readonly span: Span }
  | { readonly kind: "skip-to-first"; readonly variable: Identifier; readonly span: Span }
  | { readonly kind: "skip-to-last"; readonly variable: Identifier; readonly span: Span };

/** `input MATCH_RECOGNIZE (...) [AS alias]`. */
export interface MatchRecognize {
  readonly kind: "match-recognize";
  /** The table matched over; its own alias is always null (the alias belongs to the result). */
  readonly input: TableReference;
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly OrderItem[];
  readonly measures: readonly Measure[];
  readonly rowsPerMatch: "ONE ROW PER MATCH" | "ALL ROWS PER MATCH" | null;
  readonly afterMatchSkip: AfterMatchSkip | null;
  readonly pattern: RowPattern;
  readonly within: IntervalLiteral | null;
  readonly subsets: readonly PatternSubset[];
  readonly definitions: readonly PatternDefinition[];
  readonly alias: TableAlias | null;
  readonly span: Span;
}
