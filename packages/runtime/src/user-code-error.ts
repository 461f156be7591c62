/**
 * Errors that blame user code. Every exception from a user function, and every misuse the runtime
 * detects inside a user call (undeclared state, timers without a key), becomes a
 * {@link UserCodeError} naming the operator exactly once, with the user's stack kept as the cause.
 * @module
 */

/** Thrown for an exception raised by user code; carries the operator's name. */
export class UserCodeError extends Error {
  override name = "UserCodeError";
  readonly operatorName: string;

  constructor(operatorName: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${operatorName}: ${message}`, { cause });
    this.operatorName = operatorName;
    if (cause instanceof Error && cause.stack !== undefined) {
      // The user's stack is the useful one; keep it, under our message.
      this.stack = `${this.name}: ${this.message}\n  caused by ${cause.stack}`;
    }
  }
}

/** Tags an exception from user code exceptions with the operator name (once, at the innermost operator). */
export function wrapUserError(operatorName: string, error: unknown): never {
  if (error instanceof UserCodeError) throw error;
  throw new UserCodeError(operatorName, error);
}

/** A misuse of the API detected by the runtime inside a user call, blamed on the operator. */
export function misuse(operatorName: string, message: string): UserCodeError {
  return new UserCodeError(operatorName, new Error(message));
}
