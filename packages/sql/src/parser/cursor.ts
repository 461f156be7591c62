/**
 * The token cursor every parser module shares: lookahead, consumption, span building and error
 * reporting.
 *
 * Invariant: `expected` holds every alternative the grammar tried at the current token (through
 * `at*`, `accept*` and `expect*`) and is cleared whenever the cursor moves, so an error raised at
 * a token lists all that would have been accepted there, and nothing tried at an earlier token.
 * Lookahead with `peek*`/`is*` records nothing: it is for decisions, not for grammar alternatives.
 * @module
 */

import type { Identifier, QualifiedName } from "../ast/names.ts";
import type { Position, Span } from "../ast/span.ts";
import { SqlSyntaxError } from "../errors.ts";
import { isClauseKeyword, isReserved } from "../lexer/reserved-words.ts";
import { describeToken, type Token } from "../lexer/token.ts";

/** How deeply expressions, queries, types and patterns may nest before the parser gives up. */
export const MAX_NESTING = 200;

export class TokenCursor {
  readonly source: string;
  readonly #tokens: readonly Token[];
  #index = 0;
  #expected: string[] = [];
  #depth = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.source = source;
    this.#tokens = tokens;
  }

  /** The current token (the `end` token once everything is consumed). */
  get token(): Token {
    return this.#tokens[this.#index]!;
  }

  /** The token `n` places ahead of the current one (0 is the current token). */
  peek(n = 1): Token {
    const tokens = this.#tokens;
    return tokens[Math.min(this.#index + n, tokens.length - 1)]!;
  }

  /** Where the current token starts. */
  get start(): Position {
    return this.token.span.start;
  }

  /** A span from `start` to the end of the last consumed token. */
  spanFrom(start: Position): Span {
    const previous = this.#tokens[this.#index - 1];
    const end = previous === undefined || previous.span.end.offset < start.offset ? start : previous.span.end;
    return { start, end };
  }

  /**
   * Parses with `first`, or, when that throws a syntax error, from the same token with `second`.
   * When both fail, the error that got further into the text is thrown. This resolves the one
   * ambiguity a single token of lookahead cannot: `((SELECT ...) ...)` may be a parenthesized
   * query or an expression (or join) that starts with a subquery.
   */
  either<T>(first: () => T, second: () => T): T {
    const mark = this.#index;
    try {
      return first();
    } catch (firstError) {
      if (!(firstError instanceof SqlSyntaxError)) throw firstError;
      // Back to where `first` started; what it recorded as expected is stale now.
      this.#index = mark;
      this.#expected = [];
      try {
        return second();
      } catch (secondError) {
        if (!(secondError instanceof SqlSyntaxError)) throw secondError;
        throw secondError.offset > firstError.offset ? secondError : firstError;
      }
    }
  }

  /**
   * Runs one level of a recursive rule. Past {@link MAX_NESTING} levels it throws a syntax error
   * instead of letting the stack overflow, so machine-generated SQL fails with a position.
   */
  nested<T>(rule: () => T): T {
    if (this.#depth >= MAX_NESTING) {
      throw this.error({ detail: `the SQL is nested more than ${MAX_NESTING} levels deep here` });
    }
    this.#depth++;
    try {
      return rule();
    } finally {
      this.#depth--;
    }
  }

  advance(): Token {
    const token = this.token;
    if (token.kind !== "end") {
      this.#index++;
      this.#expected = [];
    }
    return token;
  }

  get atEnd(): boolean {
    return this.token.kind === "end";
  }

  // --- Lookahead (records nothing). ---

  /** True when the token `n` ahead is the keyword `word` (unquoted, any case). */
  isKeyword(word: string, n = 0): boolean {
    const token = this.peek(n);
    return token.kind === "word" && token.upper === word;
  }

  /** True when the token `n` ahead is the symbol `symbol`. */
  isSymbol(symbol: string, n = 0): boolean {
    const token = this.peek(n);
    return token.kind === "symbol" && token.value === symbol;
  }

  /** True when the token `n` ahead can be an identifier (unreserved word or backquoted name). */
  isIdentifier(n = 0): boolean {
    const token = this.peek(n);
    return token.kind === "quoted-identifier" || (token.kind === "word" && !isReserved(token.upper));
  }

  // --- Grammar alternatives (recorded for error messages). ---

  /** Records that `description` would be accepted at the current token. */
  expecting(description: string): void {
    if (!this.#expected.includes(description)) this.#expected.push(description);
  }

  atKeyword(word: string): boolean {
    if (this.isKeyword(word, 0)) return true;
    this.expecting(`'${word}'`);
    return false;
  }

  atSymbol(symbol: string): boolean {
    if (this.isSymbol(symbol, 0)) return true;
    this.expecting(`'${symbol}'`);
    return false;
  }

  /** Consumes the keyword `word` when it is next. */
  acceptKeyword(word: string): Token | null {
    return this.atKeyword(word) ? this.advance() : null;
  }

  /**
   * Consumes the phrase `words` (`GROUP BY`, `IF NOT EXISTS`). When its first word is reserved the
   * phrase is committed to once that word is seen, so `GROUP x` fails at `x` expecting `BY`;
   * otherwise the phrase is taken only when all of its words are next, else nothing is consumed.
   */
  acceptKeywords(...words: string[]): boolean {
    const first = words[0]!;
    if (!this.isKeyword(first)) {
      this.expecting(`'${words.join(" ")}'`);
      return false;
    }
    if (isReserved(first)) {
      this.advance();
      for (const word of words.slice(1)) this.expectKeyword(word);
      return true;
    }
    for (let i = 1; i < words.length; i++) if (!this.isKeyword(words[i]!, i)) return false;
    for (let i = 0; i < words.length; i++) this.advance();
    return true;
  }

  acceptSymbol(symbol: string): Token | null {
    return this.atSymbol(symbol) ? this.advance() : null;
  }

  expectKeyword(word: string): Token {
    return this.acceptKeyword(word) ?? this.fail(`'${word}'`);
  }

  expectKeywords(...words: string[]): void {
    for (const word of words) this.expectKeyword(word);
  }

  expectSymbol(symbol: string): Token {
    return this.acceptSymbol(symbol) ?? this.fail(`'${symbol}'`);
  }

  /** Consumes an identifier: an unreserved word or a backquoted name. */
  expectIdentifier(what = "identifier"): Identifier {
    const token = this.token;
    if (this.isIdentifier(0)) {
      this.advance();
      return { kind: "identifier", value: token.value, span: token.span };
    }
    throw this.reservedWordError(what) ?? this.error({ expected: [what] });
  }

  /**
   * When the current token is a reserved word that reads like a name (`value`, `timestamp`, `day`),
   * an error saying to backquote it; null for other tokens and for clause keywords like FROM.
   */
  reservedWordError(what: string): SqlSyntaxError | null {
    const token = this.token;
    if (token.kind !== "word" || !isReserved(token.upper) || isClauseKeyword(token.upper)) return null;
    return this.error({
      expected: [what],
      detail: `expected ${what} but found the reserved word '${token.text}' (write \`${token.text}\` to use it as a name)`,
    });
  }

  /** Consumes `a.b.c`; `what` names it in errors ("table name", "function name"). */
  expectQualifiedName(what = "identifier"): QualifiedName {
    const start = this.start;
    const parts = [this.expectIdentifier(what)];
    while (this.acceptSymbol(".")) parts.push(this.expectIdentifier(what));
    return { kind: "qualified-name", parts, span: this.spanFrom(start) };
  }

  /** A comma-separated list of at least one item. */
  commaList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptSymbol(",")) items.push(item());
    return items;
  }

  /** `( item, ... )`. */
  parenthesizedList<T>(item: () => T): T[] {
    this.expectSymbol("(");
    const items = this.commaList(item);
    this.expectSymbol(")");
    return items;
  }

  // --- Errors. ---

  /**
   * An error at the current token. The alternatives listed are `expected` (what the failing rule
   * required, first) followed by the others recorded at this token.
   */
  error(options: { readonly expected?: readonly string[]; readonly detail?: string } = {}): SqlSyntaxError {
    const first = options.expected ?? [];
    const expected = [...first, ...this.#expected.filter((e) => !first.includes(e))];
    const token = this.token;
    // At the end of the text, point just past the last token rather than at trailing blanks.
    const position =
      token.kind === "end" && this.#index > 0 ? this.#tokens[this.#index - 1]!.span.end : token.span.start;
    return new SqlSyntaxError({
      source: this.source,
      position,
      expected,
      found: describeToken(token),
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    });
  }

  /** Throws {@link error}: `expected` first, then the other alternatives recorded here. */
  fail(...expected: string[]): never {
    throw this.error({ expected });
  }

  /** An error at an earlier node or token, with its own message. */
  errorAt(position: Position, detail: string): SqlSyntaxError {
    return new SqlSyntaxError({ source: this.source, position, detail });
  }
}
