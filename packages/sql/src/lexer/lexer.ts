/**
 * The lexer: turns SQL text into {@link Token}s, dropping whitespace and comments.
 *
 * Invariants: tokens come out in source order without gaps other than whitespace and comments;
 * every token's `text` equals the source slice its span covers; the list ends with one `end`
 * token. Lexical mistakes (unterminated strings or comments, stray characters, double-quoted text,
 * malformed numbers) throw {@link SqlSyntaxError} at the offending character.
 * @module
 */

import type { Position } from "../ast/span.ts";
import { SqlSyntaxError } from "../errors.ts";
import type { Token, TokenKind } from "./token.ts";

/** Symbols longest first, so `<=` wins over `<`. */
const SYMBOLS = [
  "<>",
  "<=",
  ">=",
  "!=",
  "||",
  "=>",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ";",
  ".",
  "+",
  "-",
  "*",
  "/",
  "%",
  "=",
  "<",
  ">",
  "|",
  "?",
  "^",
  "$",
] as const;

const IDENTIFIER_START = /[\p{L}\p{Nl}_]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}$]/u;

/** Splits `source` into tokens; throws {@link SqlSyntaxError} on a lexical mistake. */
export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  readonly #source: string;
  readonly #tokens: Token[] = [];
  #index = 0;
  #line = 1;
  #lineStart = 0;
  #hintStart: Position | null = null;

  constructor(source: string) {
    this.#source = source;
  }

  run(): Token[] {
    const src = this.#source;
    for (;;) {
      this.#skipBlanks();
      if (this.#index >= src.length) break;
      const start = this.#position();
      const ch = src[this.#index]!;
      const next = src[this.#index + 1];
      if (ch === "'") {
        this.#string(start);
      } else if ((ch === "x" || ch === "X") && next === "'") {
        this.#binaryString(start);
      } else if (ch === "`") {
        this.#quotedIdentifier(start);
      } else if (ch === '"') {
        throw this.#error(
          start,
          "double quotes are not used in Flink SQL: write strings as 'text' and quote names as `name`",
        );
      } else if (isDigit(ch) || (ch === "." && next !== undefined && isDigit(next))) {
        this.#number(start);
      } else if (IDENTIFIER_START.test(ch)) {
        this.#word(start);
      } else if (ch === "/" && next === "*" && src[this.#index + 2] === "+") {
        if (this.#hintStart !== null) throw this.#error(start, "a hint cannot contain another hint");
        this.#index += 3;
        this.#hintStart = start;
        this.#push("hint-start", start, "/*+");
      } else if (ch === "*" && next === "/" && this.#hintStart !== null) {
        this.#index += 2;
        this.#hintStart = null;
        this.#push("hint-end", start, "*/");
      } else {
        this.#symbol(start, ch);
      }
    }
    if (this.#hintStart !== null) throw this.#error(this.#hintStart, "unterminated hint: missing */");
    const end = this.#position();
    this.#tokens.push({ kind: "end", text: "", value: "", upper: "", span: { start: end, end } });
    return this.#tokens;
  }

  #position(): Position {
    return { line: this.#line, column: this.#index - this.#lineStart + 1, offset: this.#index };
  }

  /** Steps over one character, keeping the line count; `\r\n` counts as one line break. */
  #step(): void {
    const ch = this.#source[this.#index];
    this.#index++;
    if (ch === "\n" || (ch === "\r" && this.#source[this.#index] !== "\n")) {
      this.#line++;
      this.#lineStart = this.#index;
    }
  }

  #skipBlanks(): void {
    const src = this.#source;
    while (this.#index < src.length) {
      const ch = src[this.#index]!;
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || /\s/.test(ch)) {
        this.#step();
      } else if (ch === "-" && src[this.#index + 1] === "-") {
        while (this.#index < src.length && src[this.#index] !== "\n" && src[this.#index] !== "\r") {
          this.#index++;
        }
      } else if (ch === "/" && src[this.#index + 1] === "*" && src[this.#index + 2] !== "+") {
        const start = this.#position();
        this.#index += 2;
        for (;;) {
          if (this.#index >= src.length) throw this.#error(start, "unterminated comment: missing */");
          if (src[this.#index] === "*" && src[this.#index + 1] === "/") {
            this.#index += 2;
            break;
          }
          this.#step();
        }
      } else {
        return;
      }
    }
  }

  #push(kind: TokenKind, start: Position, value: string, upper = ""): void {
    const end = this.#position();
    const text = this.#source.slice(start.offset, end.offset);
    this.#tokens.push({ kind, text, value, upper, span: { start, end } });
  }

  /** Scans up to the closing `quote`; a doubled quote stands for one. Returns the unescaped text. */
  #quoted(start: Position, quote: string, what: string): string {
    const src = this.#source;
    this.#index++;
    let value = "";
    let chunkStart = this.#index;
    for (;;) {
      if (this.#index >= src.length) throw this.#error(start, `unterminated ${what}: missing ${quote}`);
      const ch = src[this.#index];
      if (ch === quote) {
        value += src.slice(chunkStart, this.#index);
        this.#index++;
        if (src[this.#index] !== quote) return value;
        value += quote;
        this.#index++;
        chunkStart = this.#index;
      } else {
        this.#step();
      }
    }
  }

  #string(start: Position): void {
    const value = this.#quoted(start, "'", "string literal");
    this.#push("string", start, value);
  }

  #binaryString(start: Position): void {
    this.#index++;
    const hex = this.#quoted(start, "'", "binary literal");
    if (!/^[0-9a-fA-F]*$/.test(hex))
      throw this.#error(start, "a binary literal X'...' may hold only hex digits");
    if (hex.length % 2 !== 0) {
      throw this.#error(start, "a binary literal X'...' needs an even number of hex digits");
    }
    this.#push("binary-string", start, hex);
  }

  #quotedIdentifier(start: Position): void {
    const value = this.#quoted(start, "`", "quoted identifier");
    if (value === "") throw this.#error(start, "a quoted identifier cannot be empty");
    this.#push("quoted-identifier", start, value);
  }

  #number(start: Position): void {
    const src = this.#source;
    while (isDigit(src[this.#index])) this.#index++;
    if (src[this.#index] === ".") {
      this.#index++;
      while (isDigit(src[this.#index])) this.#index++;
    }
    const e = src[this.#index];
    if (e === "e" || e === "E") {
      const sign = src[this.#index + 1];
      const digitAt = sign === "+" || sign === "-" ? this.#index + 2 : this.#index + 1;
      if (!isDigit(src[digitAt]))
        throw this.#error(this.#position(), "an exponent needs digits, as in 1.5E3");
      this.#index = digitAt;
      while (isDigit(src[this.#index])) this.#index++;
    }
    const after = src[this.#index];
    if (after !== undefined && (IDENTIFIER_PART.test(after) || after === ".")) {
      throw this.#error(
        this.#position(),
        `unexpected '${after}' after the number ${src.slice(start.offset, this.#index)}`,
      );
    }
    this.#push("number", start, src.slice(start.offset, this.#index));
  }

  #word(start: Position): void {
    const src = this.#source;
    this.#index++;
    for (;;) {
      const ch = src[this.#index];
      if (ch === undefined || !IDENTIFIER_PART.test(ch)) break;
      this.#index++;
    }
    const text = src.slice(start.offset, this.#index);
    this.#push("word", start, text, text.toUpperCase());
  }

  #symbol(start: Position, ch: string): void {
    const src = this.#source;
    for (const symbol of SYMBOLS) {
      if (src.startsWith(symbol, this.#index)) {
        this.#index += symbol.length;
        this.#push("symbol", start, symbol);
        return;
      }
    }
    throw this.#error(start, `unexpected character '${ch}'`);
  }

  #error(position: Position, detail: string): SqlSyntaxError {
    return new SqlSyntaxError({ source: this.#source, position, detail });
  }
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
