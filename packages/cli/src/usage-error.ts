/**
 * Bad command-line input. Printed as `weir: <message>` with a pointer to the help; exit code 2.
 * @module
 */

export class UsageError extends Error {
  override name = "UsageError";
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
