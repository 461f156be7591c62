/**
 * The error the validator and planner throw for SQL that parses but does not make sense: unknown
 * tables or columns, type mismatches, ungrouped columns, unsupported features, a sink that cannot
 * take the query's changes.
 *
 * Invariant: `message` starts with `line L, column C: ` (as {@link SqlSyntaxError}'s does), where
 * L:C is the start of the offending syntax node, so clients can point at the text.
 * @module
 */

import type { Position, Span } from "../ast/span.ts";

export class SqlValidationError extends Error {
  override readonly name = "SqlValidationError";
  readonly line: number;
  readonly column: number;
  /** The message without the position prefix, e.g. `Column 'x' not found in any table`. */
  readonly reason: string;

  constructor(at: Span | Position, reason: string) {
    const position = "start" in at ? at.start : at;
    super(`line ${position.line}, column ${position.column}: ${reason}`);
    this.line = position.line;
    this.column = position.column;
    this.reason = reason;
  }
}
