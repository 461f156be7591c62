/**
 * PATTERN → pattern elements: quantifier bounds and the greedy flag as Flink's StreamExecMatch sets
 * it (looping quantifiers without a trailing `?`; never `?` or `{n}`), and the shapes it refuses.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Select } from "../ast/queries.ts";
import { parseQuery } from "../parse.ts";
import { compilePattern } from "./match-recognize-pattern.ts";
import { SqlValidationError } from "./sql-validation-error.ts";

function elements(pattern: string): string[] {
  const body = parseQuery(
    `SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts MEASURES A.x AS x PATTERN ${pattern} DEFINE A AS A.x > 0)`,
  ).body as Select;
  assert.ok(body.from?.kind === "match-recognize");
  return compilePattern(body.from.pattern).map(
    (e) => `${e.variable}{${e.min},${e.max ?? ""}}${e.greedy ? " greedy" : ""}`,
  );
}

test("quantifiers become bounds; only looping, non-reluctant ones are greedy", () => {
  assert.deepEqual(elements("(A B* C+ D? E{2} F{2,} G{1,3} H{,4} I+? J)"), [
    "A{1,1}",
    "B{0,} greedy",
    "C{1,} greedy",
    "D{0,1}",
    "E{2,2}",
    "F{2,} greedy",
    "G{1,3} greedy",
    "H{0,4} greedy",
    "I{1,}",
    "J{1,1}",
  ]);
  assert.deepEqual(elements("(A (B C) D*?)"), ["A{1,1}", "B{1,1}", "C{1,1}", "D{0,}"]);
});

test("refused shapes name Flink's reason", () => {
  const refused: [string, RegExp][] = [
    ["(A B{2,3})", /Greedy quantifiers are not allowed as the last element/],
    ["(A (B C)*? D)", /Group patterns are not supported yet/],
    ["(A | B)", /branching patterns/],
    ["(PERMUTE(A, B))", /PERMUTE patterns/],
    ["(A {- B -} C)", /'\{-' '-\}' patterns/],
    ["(^ A)", /Unsupported expression within Pattern: \[\^\]/],
    ["(A B?? C)", /Reluctant optional variables are not supported yet/],
    ["(A? B*?)", /Patterns that can produce empty matches are not supported/],
    ["(A B A)", /Pattern variables must be unique/],
  ];
  for (const [pattern, message] of refused) {
    assert.throws(
      () => elements(pattern),
      (e: unknown) => e instanceof SqlValidationError && message.test(e.message),
      pattern,
    );
  }
});
