/**
 * The shape of a command's flags and help text, and the `--help` flag every command has. Kept
 * apart from the command table (commands.ts) so that command modules can use it without importing
 * the table that imports them.
 * @module
 */

export interface FlagSpec {
  readonly name: string;
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
}

export const HELP_FLAG: FlagSpec = {
  name: "help",
  type: "boolean",
  short: "h",
  description: "Show help for the command.",
};
