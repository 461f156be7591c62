/**
 * `'key' = 'value'` options: the WITH clause of CREATE TABLE, hint options, and SET.
 *
 * Invariant: keys and values are both string literals, as Flink requires; anything else fails
 * with the position of the offending token.
 * @module
 */

import type { StringLiteral } from "../ast/expressions.ts";
import type { KeyValueOption } from "../ast/queries.ts";
import type { TokenCursor } from "./cursor.ts";

export function expectStringLiteral(c: TokenCursor, what = "string literal"): StringLiteral {
  const token = c.token;
  if (token.kind === "string") {
    c.advance();
    return { kind: "string-literal", value: token.value, span: token.span };
  }
  return c.fail(what);
}

/** `'key' = 'value'`. */
export function parseKeyValueOption(c: TokenCursor): KeyValueOption {
  const start = c.start;
  const key = expectStringLiteral(c, "option key (a string literal)");
  c.expectSymbol("=");
  const value = expectStringLiteral(c, "option value (a string literal)");
  return { kind: "key-value", key, value, span: c.spanFrom(start) };
}

/** `( 'k' = 'v', ... )`; an empty list is allowed. */
export function parseOptionList(c: TokenCursor): KeyValueOption[] {
  c.expectSymbol("(");
  const options = c.isSymbol(")") ? [] : c.commaList(() => parseKeyValueOption(c));
  c.expectSymbol(")");
  return options;
}
