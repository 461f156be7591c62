/**
 * The error a SQL expression throws while a job runs, where Flink throws (`/ by zero`, a string
 * that is not a number in CAST, a JSON path that does not parse).
 *
 * Invariant: the message says what failed and with which value, e.g.
 * `Cannot cast 'abc' to INT: not a number`; TRY_CAST turns exactly these errors into NULL.
 * @module
 */

export class SqlRuntimeError extends Error {
  override readonly name = "SqlRuntimeError";
}
