/**
 * The interactive SQL client of `weir sql` (Flink's SQL CLI): reads statements from the terminal
 * (or any input stream), one or more lines each, ended by `;` outside quotes and comments, runs them
 * in one session, and shows results in the session's result mode:
 * `SET 'sql-client.execution.result-mode' = 'table' | 'tableau' | 'changelog'`
 * (`table`: the final rows; `tableau`: the final rows in batch mode and every change with its `op`
 * in streaming mode, as Flink; `changelog`: every change); a SELECT over an unbounded source
 * streams its changes until Ctrl-C cancels it (see `streaming-result.ts`). Client commands: `HELP;`, `CLEAR;`,
 * `QUIT;` / `EXIT;`. Statements are remembered in `~/.weir/sql_history` (one per line).
 *
 * Invariant: statements run one at a time, in input order; a failing statement prints
 * `[ERROR] …` and the session continues without it. Ctrl-C cancels the running statement, or
 * discards a half-typed one, or leaves the client when the input is empty.
 * @module
 */

import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { JobCancelledError } from "@weir/runtime";
import { tokenize } from "@weir/sql";
import { ResultRenderer } from "./result-printer.ts";
import {
  type DetailedStatementResult,
  type ScriptRunOptions,
  SqlClient,
  SqlScriptError,
} from "./run-sql-script.ts";
import type { SqlResultFormat } from "./sql-command-spec.ts";

const PROMPT = "weir SQL> ";
const CONTINUATION = "        > ";
const RESULT_MODE_KEY = "sql-client.execution.result-mode";
const HISTORY_LIMIT = 1000;

const HELP_TEXT = `The following commands are available:

CLEAR		Clears the terminal.
EXIT		Quits the SQL client.
HELP		Prints this help.
QUIT		Quits the SQL client.
SET		SET 'key' = 'value' sets a session option; SET; lists them.
RESET		RESET 'key' resets a session option to its default; RESET; resets all.

Every other statement (CREATE, DROP, SELECT, INSERT, SHOW, DESCRIBE, EXPLAIN, …) is run as Flink SQL.
End each statement with ';'. Result modes: SET '${RESULT_MODE_KEY}' = 'table' | 'tableau' | 'changelog';
A SELECT over an unbounded source shows its changes as they come; Ctrl-C cancels it.
`;

/** True when `buffer` holds complete statements: it ends with `;` outside any quote or comment. */
export function isCompleteInput(buffer: string): boolean {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(buffer);
  } catch {
    return false; // An unterminated string or comment: more lines to come.
  }
  const last = tokens[tokens.length - 2];
  if (last === undefined || last.kind !== "symbol" || last.text !== ";") return false;
  // The client's `BEGIN STATEMENT SET; …; END;` is one input.
  const words = tokens.filter((t) => t.kind === "word").map((t) => t.upper);
  if (words[0] === "BEGIN" && words[1] === "STATEMENT" && words[2] === "SET") return words.at(-1) === "END";
  return true;
}

/** The client command of an input such as `quit;` or `HELP`, else null. */
function clientCommand(input: string): "quit" | "help" | "clear" | null {
  const word = input.trim().replace(/;\s*$/, "").trim().toUpperCase();
  if (word === "QUIT" || word === "EXIT") return "quit";
  if (word === "HELP") return "help";
  if (word === "CLEAR") return "clear";
  return null;
}

function historyFile(): string {
  return join(homedir(), ".weir", "sql_history");
}

function loadHistory(): string[] {
  try {
    const path = historyFile();
    if (!existsSync(path)) return [];
    // readline wants the newest entry first.
    return readFileSync(path, "utf8").split("\n").filter(Boolean).slice(-HISTORY_LIMIT).reverse();
  } catch {
    return [];
  }
}

function remember(statement: string): void {
  try {
    mkdirSync(join(homedir(), ".weir"), { recursive: true });
    appendFileSync(historyFile(), `${statement.replace(/\s*\n\s*/g, " ").trim()}\n`);
  } catch {
    // History is a convenience: an unwritable home directory must not stop the client.
  }
}

/** The output format for a result under the session's result mode. */
function formatFor(
  result: DetailedStatementResult,
  client: SqlClient,
  fallback: SqlResultFormat,
): SqlResultFormat {
  if (fallback === "jsonl" || (result.kind !== "select" && result.kind !== "stream-start")) return fallback;
  const mode = client.config.get(RESULT_MODE_KEY)?.toLowerCase();
  if (mode === "table") return "tableau";
  if (mode === "changelog") return "changelog";
  if (mode === "tableau")
    return client.config.get("execution.runtime-mode")?.toLowerCase() === "batch" ? "tableau" : "changelog";
  return fallback;
}

export async function runInteractiveClient(
  options: ScriptRunOptions,
  format: SqlResultFormat,
): Promise<number> {
  const input = process.stdin;
  const output = process.stdout;
  const terminal = input.isTTY === true;
  const rl = createInterface({
    input,
    output,
    terminal,
    history: loadHistory(),
    historySize: HISTORY_LIMIT,
    prompt: PROMPT,
  });
  let running: AbortController | null = null;
  let buffer = "";
  // Piped input closes the interface as soon as it is read; buffered lines still arrive.
  let closed = false;
  rl.on("close", () => {
    closed = true;
  });
  const prompt = () => {
    if (!closed) rl.prompt();
  };
  const onInterrupt = () => {
    if (running !== null) {
      running.abort();
      return;
    }
    if (buffer !== "") {
      buffer = "";
      output.write("\n");
      rl.setPrompt(PROMPT);
      prompt();
      return;
    }
    rl.close();
  };
  rl.on("SIGINT", onInterrupt);
  // Readline sees Ctrl-C only on a terminal; with piped input the signal itself arrives.
  if (!terminal) process.on("SIGINT", onInterrupt);
  const client = new SqlClient({ ...options, streamUnboundedSelects: true });
  const renderer = new ResultRenderer((result) => formatFor(result, client, format));
  if (terminal) output.write("Weir SQL client. Type HELP; for help, QUIT; to leave.\n\n");
  prompt();
  for await (const line of rl) {
    buffer += buffer === "" ? line : `\n${line}`;
    if (buffer.trim() === "") {
      buffer = "";
      prompt();
      continue;
    }
    const command = clientCommand(buffer);
    if (command === null && !isCompleteInput(buffer)) {
      rl.setPrompt(CONTINUATION);
      prompt();
      continue;
    }
    const text = buffer;
    buffer = "";
    rl.setPrompt(PROMPT);
    remember(text);
    if (command === "quit") break;
    if (command === "help") output.write(HELP_TEXT);
    else if (command === "clear") output.write("\x1b[2J\x1b[H");
    else {
      running = new AbortController();
      try {
        await client.execute(
          text,
          (result) => {
            output.write(renderer.render(result));
          },
          running.signal,
        );
      } catch (error) {
        if (error instanceof SqlScriptError)
          process.stderr.write(
            `[ERROR] ${error.message}\n${error.excerpt === undefined ? "" : `${error.excerpt}\n`}`,
          );
        else if (error instanceof JobCancelledError)
          process.stderr.write("[INFO] The statement was cancelled.\n");
        else process.stderr.write(`[ERROR] ${error instanceof Error ? error.message : String(error)}\n`);
      } finally {
        running = null;
      }
    }
    output.write("\n");
    prompt();
  }
  rl.close();
  process.off("SIGINT", onInterrupt);
  // At the end of the input the last prompt is still open: end its line.
  output.write(terminal ? "Goodbye.\n" : "\n");
  return 0;
}
