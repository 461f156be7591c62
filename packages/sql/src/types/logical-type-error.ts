/**
 * The error the type system throws for a type that cannot exist (`DECIMAL(40, 2)`, `TIME(10)`) or
 * a value that does not fit its type at plan time (a malformed `DATE '2020-13-01'` literal).
 *
 * Invariant: the message names the offending type or text but carries no SQL position; the
 * validator that knows the span wraps it into its own positioned error.
 * @module
 */

export class LogicalTypeError extends Error {
  override readonly name = "LogicalTypeError";
}
