/**
 * Tokens produced by the lexer.
 *
 * Invariant: `text` is the exact source slice of the token (`span` covers it); `value` is its
 * meaning with quoting removed; `upper` is the upper-cased spelling for words (keyword matching is
 * case-insensitive) and empty for every other kind. The token list always ends with one `end`
 * token, whose span is empty and sits at the end of the text.
 * @module
 */

import type { Span } from "../ast/span.ts";

export type TokenKind =
  /** An unquoted name or keyword: `select`, `price`, `TUMBLE`. */
  | "word"
  /** A backquoted name: `` `value` `` (value without quotes). */
  | "quoted-identifier"
  /** `'text'` (value unescaped). */
  | "string"
  /** `X'0A1B'` (value: the hex digits). */
  | "binary-string"
  /** `42`, `0.908`, `.5`, `1E-3` (value: the text). */
  | "number"
  /** Operators and punctuation: `(`, `<=`, `||`, `=>`, ... */
  | "symbol"
  /** `/*+`, which opens a hint. */
  | "hint-start"
  /** The `*\/` that closes a hint. */
  | "hint-end"
  | "end";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: string;
  readonly upper: string;
  readonly span: Span;
}

/** How a token is named in error messages: `'FROM'`, `')'`, `end of input`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "end":
      return "end of input";
    case "string":
      return `string ${clip(token.text)}`;
    case "number":
      return `number ${token.text}`;
    case "quoted-identifier":
      return clip(token.text);
    default:
      return `'${clip(token.text)}'`;
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
