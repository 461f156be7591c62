/**
 * The PATTERN clause of MATCH_RECOGNIZE → the sequence of quantified variables the match automaton
 * runs (what Flink's StreamExecMatch builds as a CEP Pattern), refusing what Flink's CEP
 * translation refuses, with its messages.
 *
 * Invariants of the result (see `PatternElement`): variables are distinct; quantifiers apply to
 * single variables (no groups, alternations, PERMUTE, exclusions or anchors); at least one element
 * is mandatory; the last element is not greedy; `greedy` follows Flink's `applyQuantifier` (a
 * looping quantifier without a trailing `?`, never `?` or `{n}`); a reluctant `??` is refused.
 *
 * Example: `(A B* C)` gives `[{A,1,1,false}, {B,0,null,true}, {C,1,1,false}]`; `(A C{2,})` is
 * refused (a greedy quantifier last), `(A C{2,}?)` is not.
 * @module
 */

import type { RowPattern } from "../ast/match-recognize.ts";
import type { PatternElement } from "../exec/match/match-specs.ts";
import { printRowPattern } from "../printer/match-recognize.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

export function compilePattern(pattern: RowPattern): PatternElement[] {
  const elements: PatternElement[] = [];
  collect(pattern, elements);
  if (elements.every((e) => e.min === 0)) {
    throw new SqlValidationError(
      pattern.span,
      "Patterns that can produce empty matches are not supported. There must be at least one non-optional state.",
    );
  }
  if (elements[elements.length - 1]!.greedy) {
    throw new SqlValidationError(
      pattern.span,
      "Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a simple variable or reluctant quantifier.",
    );
  }
  return elements;
}

function collect(p: RowPattern, out: PatternElement[]): void {
  switch (p.kind) {
    case "pattern-variable":
      add(out, p.name.value, 1, 1, false, p.span);
      return;
    case "pattern-concatenation":
      for (const item of p.items) collect(item, out);
      return;
    case "pattern-quantified": {
      if (p.pattern.kind !== "pattern-variable") {
        throw new SqlValidationError(
          p.span,
          `Expression not supported: ${printRowPattern(p)} Group patterns are not supported yet.`,
        );
      }
      const optional = p.min === 0 && p.max === 1;
      if (optional && p.reluctant) {
        throw new SqlValidationError(p.span, "Reluctant optional variables are not supported yet.");
      }
      const greedy = !p.reluctant && !optional && p.min !== p.max;
      add(out, p.pattern.name.value, p.min, p.max, greedy, p.span);
      return;
    }
    case "pattern-alternation":
      throw new SqlValidationError(
        p.span,
        `Expression not supported: ${printRowPattern(p)}. Currently, CEP doesn't support branching patterns.`,
      );
    case "pattern-permute":
      throw new SqlValidationError(
        p.span,
        `Expression not supported: ${printRowPattern(p)}. Currently, CEP doesn't support PERMUTE patterns.`,
      );
    case "pattern-exclusion":
      throw new SqlValidationError(
        p.span,
        `Expression not supported: ${printRowPattern(p)}. Currently, CEP doesn't support '{-' '-}' patterns.`,
      );
    case "pattern-anchor":
      throw new SqlValidationError(p.span, `Unsupported expression within Pattern: [${p.anchor}]`);
  }
}

function add(
  out: PatternElement[],
  variable: string,
  min: number,
  max: number | null,
  greedy: boolean,
  span: RowPattern["span"],
): void {
  if (out.some((e) => e.variable === variable)) {
    throw new SqlValidationError(span, "Pattern variables must be unique. That might change in the future.");
  }
  if (max !== null && max < Math.max(min, 1)) {
    throw new SqlValidationError(span, `Invalid quantifier {${min},${max}} on pattern variable ${variable}`);
  }
  out.push({ variable, min, max, greedy });
}
