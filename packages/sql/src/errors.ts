/**
 * The one error the lexer and parser throw: {@link SqlSyntaxError}, with the line and column of the
 * offending token, what the grammar would have accepted there, and an excerpt of the line with a
 * caret under the column.
 *
 * Invariant: `line`, `column` and `offset` always point into the text that was parsed (at most
 * one past its end), and `message` starts with `line L, column C: `.
 * @module
 */

import type { Position } from "./ast/span.ts";

export interface SqlSyntaxErrorInit {
  readonly source: string;
  readonly position: Position;
  /** What would have been accepted, formatted: `')'`, `'FROM'`, `identifier`, `expression`. */
  readonly expected?: readonly string[];
  /** What was there instead, formatted: `'FROM'`, `end of input`. */
  readonly found?: string;
  /** A message that replaces "expected ... but found ..."; `expected` may still be set. */
  readonly detail?: string;
}

export class SqlSyntaxError extends Error {
  override readonly name = "SqlSyntaxError";
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly expected: readonly string[];
  readonly found: string;
  /** The first line of the message: position and reason, without the excerpt. */
  readonly reason: string;
  /** The offending line with a caret under the column, as in the message. */
  readonly excerpt: string;

  constructor(init: SqlSyntaxErrorInit) {
    const { line, column, offset } = init.position;
    const expected = init.expected ?? [];
    const found = init.found ?? "";
    const phrase =
      init.detail ?? `expected ${formatAlternatives(expected)}${found === "" ? "" : ` but found ${found}`}`;
    const reason = `line ${line}, column ${column}: ${phrase}`;
    const excerpt = excerptAt(init.source, init.position);
    super(`${reason}\n${excerpt}`);
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.expected = expected;
    this.found = found;
    this.reason = reason;
    this.excerpt = excerpt;
  }
}

/** `a`, `a or b`, `a, b or c`. */
export function formatAlternatives(items: readonly string[]): string {
  if (items.length === 0) return "something else";
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const MAX_EXCERPT = 100;

/** The line holding `position`, numbered, and a caret line under the column. */
export function excerptAt(source: string, position: Position): string {
  let lineStart = position.offset;
  while (lineStart > 0 && source[lineStart - 1] !== "\n" && source[lineStart - 1] !== "\r") lineStart--;
  let lineEnd = position.offset;
  while (lineEnd < source.length && source[lineEnd] !== "\n" && source[lineEnd] !== "\r") lineEnd++;
  let text = source.slice(lineStart, lineEnd);
  let caretAt = position.offset - lineStart;
  if (text.length > MAX_EXCERPT) {
    // Keep a window around the caret so very long lines (minified SQL) stay readable.
    const from = Math.max(0, Math.min(caretAt - MAX_EXCERPT / 2, text.length - MAX_EXCERPT));
    const to = Math.min(text.length, from + MAX_EXCERPT);
    const prefix = from > 0 ? "..." : "";
    text = `${prefix}${text.slice(from, to)}${to < text.length ? "..." : ""}`;
    caretAt = caretAt - from + prefix.length;
  }
  // Tabs stay tabs in the caret line so the caret lines up however the terminal renders them.
  const pad = text.slice(0, caretAt).replace(/[^\t]/g, " ");
  const gutter = String(position.line);
  return `${gutter} | ${text}\n${" ".repeat(gutter.length)} | ${pad}^`;
}
