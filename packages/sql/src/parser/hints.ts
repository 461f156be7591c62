/**
 * Flink SQL hints: `/*+ OPTIONS('k' = 'v'), BROADCAST(t) *\/` after SELECT, after a table name, and
 * after the target of INSERT.
 *
 * Invariant: a hint's arguments are either all `'key' = 'value'` pairs (OPTIONS, LOOKUP,
 * STATE_TTL) or all plain identifiers and literals (join hints); mixing them is a syntax error,
 * as in Flink.
 * @module
 */

import type { Identifier } from "../ast/names.ts";
import type { Hint, KeyValueOption } from "../ast/queries.ts";
import type { TokenCursor } from "./cursor.ts";
import { parseKeyValueOption } from "./options.ts";

/** Parses any hint comments at the current position; none gives an empty list. */
export function parseHints(c: TokenCursor): Hint[] {
  const hints: Hint[] = [];
  while (c.token.kind === "hint-start") {
    c.advance();
    do hints.push(parseHint(c));
    while (c.acceptSymbol(","));
    if (c.peek(0).kind !== "hint-end") c.fail("'*/'");
    c.advance();
  }
  return hints;
}

function parseHint(c: TokenCursor): Hint {
  const start = c.start;
  const token = c.token;
  if (token.kind !== "word" && token.kind !== "quoted-identifier") return c.fail("hint name");
  c.advance();
  const name: Identifier = { kind: "identifier", value: token.value, span: token.span };
  const args: Hint["args"][number][] = [];
  if (c.acceptSymbol("(")) {
    const keyValue = c.token.kind === "string" && c.isSymbol("=", 1);
    do args.push(keyValue ? parseKeyValueOption(c) : parsePlainArgument(c));
    while (c.acceptSymbol(","));
    c.expectSymbol(")");
  }
  return { kind: "hint", name, args, span: c.spanFrom(start) };
}

function parsePlainArgument(c: TokenCursor): Exclude<Hint["args"][number], KeyValueOption> {
  const token = c.token;
  if (token.kind === "string") {
    c.advance();
    return { kind: "string-literal", value: token.value, span: token.span };
  }
  if (token.kind === "number" && /^[0-9]+$/.test(token.text)) {
    c.advance();
    return { kind: "number-literal", text: token.text, form: "integer", span: token.span };
  }
  if (token.kind === "word" || token.kind === "quoted-identifier") {
    c.advance();
    return { kind: "identifier", value: token.value, span: token.span };
  }
  return c.fail("identifier", "string literal");
}
