/**
 * Source positions of the SQL syntax tree.
 *
 * Invariant: `offset` is 0-based and `line`/`column` are 1-based; all three count UTF-16 code units
 * (as JavaScript strings do). A span's `end` is the position just after its last character, so
 * `source.slice(span.start.offset, span.end.offset)` is exactly the text a node was parsed from.
 * @module
 */

/** A point in the SQL text. */
export interface Position {
  /** 1-based line number; lines end at `\n`, `\r\n` or a lone `\r`. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units from the start of the line. */
  readonly column: number;
  /** 0-based offset into the whole text, in UTF-16 code units. */
  readonly offset: number;
}

/** The half-open range `[start, end)` of text one syntax node was parsed from. */
export interface Span {
  readonly start: Position;
  readonly end: Position;
}
