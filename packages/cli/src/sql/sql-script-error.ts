/**
 * The error of a failing script statement, as `weir sql` reports it and `weir/sql-runner` throws
 * it: always positioned, `line L, column C: reason`, at the offending token when the engine knows
 * it (syntax and validation errors) and else at the start of the statement (connector options, job
 * failures).
 * @module
 */

import type { Statement } from "@weir/sql";

/** The first failing statement of a script; `message` starts with `line L, column C: `. */
export class SqlScriptError extends Error {
  override readonly name = "SqlScriptError";
  readonly line: number;
  readonly column: number;
  /** 0-based index of the failing statement (the number of statements that ran before it). */
  readonly statementIndex: number;
  /** The message without the position, e.g. `Column 'x' not found in any table`. */
  readonly reason: string;
  /** For syntax errors: the offending line with a caret under the column. */
  readonly excerpt: string | undefined;

  constructor(line: number, column: number, statementIndex: number, reason: string, excerpt?: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.statementIndex = statementIndex;
    this.reason = reason;
    this.excerpt = excerpt;
  }
}

const POSITIONED = (error: unknown): error is Error & { line: number; column: number } =>
  error instanceof Error &&
  typeof (error as { line?: unknown }).line === "number" &&
  typeof (error as { column?: unknown }).column === "number";

/** The error as a {@link SqlScriptError}, positioned at its own line:column or at the statement. */
export function scriptError(error: unknown, statement: Statement | undefined, index: number): SqlScriptError {
  if (error instanceof SqlScriptError) return error;
  if (POSITIONED(error)) {
    const reason = (error as { reason?: unknown }).reason;
    const excerpt = (error as { excerpt?: unknown }).excerpt;
    return new SqlScriptError(
      error.line,
      error.column,
      index,
      (typeof reason === "string" ? reason : firstLine(error.message)).replace(/^line \d+, column \d+: /, ""),
      typeof excerpt === "string" ? excerpt : undefined,
    );
  }
  const start = statement?.span.start ?? { line: 1, column: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return new SqlScriptError(start.line, start.column, index, message);
}

function firstLine(text: string): string {
  const newline = text.indexOf("\n");
  return newline < 0 ? text : text.slice(0, newline);
}
