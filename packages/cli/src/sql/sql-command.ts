/**
 * `weir sql`: checks the flags, then runs a script (`-f`) or the interactive client, mapping
 * failures to exit codes: 0 success, 1 a failing statement (`[ERROR] line L, column C: …` on
 * stderr), 2 bad command-line input, 130 cancelled with Ctrl-C.
 * @module
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import type { ScriptRunOptions, SqlScriptError } from "./run-sql-script.ts";
import { SQL_COMMAND, SQL_RESULT_FORMATS, type SqlResultFormat } from "./sql-command-spec.ts";

export interface SqlInvocation {
  readonly file: string | undefined;
  readonly format: SqlResultFormat;
  readonly parallelism: number | undefined;
  readonly config: Record<string, string>;
}

export function parseSqlArgs(args: readonly string[]): SqlInvocation | "help" {
  const { values, positionals } = parseCommandArgs(args, SQL_COMMAND.flags, "sql");
  if (values.help === true) return "help";
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument ${positionals[0]}; pass the script with -f ${positionals[0]}`,
      "sql",
    );
  const file = values.file === undefined ? undefined : String(values.file);
  if (file !== undefined && (!existsSync(file) || !statSync(file).isFile()))
    throw new UsageError(`SQL script not found: ${file}`, "sql");
  const format = (values.format === undefined ? "tableau" : String(values.format)) as SqlResultFormat;
  if (!SQL_RESULT_FORMATS.includes(format))
    throw new UsageError(
      `--format must be ${SQL_RESULT_FORMATS.join(", ")}, got "${String(values.format)}"`,
      "sql",
    );
  let parallelism: number | undefined;
  if (values.parallelism !== undefined) {
    const raw = String(values.parallelism);
    parallelism = Number(raw);
    if (!/^\d+$/.test(raw) || parallelism < 1 || parallelism > 1024)
      throw new UsageError(`--parallelism must be an integer from 1 to 1024, got "${raw}"`, "sql");
  }
  const config: Record<string, string> = {};
  for (const entry of (values.set ?? []) as string[]) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects KEY=VALUE, got "${entry}"`, "sql");
    config[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return { file, format, parallelism, config };
}

/**
 * What a job's log line shows in the SQL client: routine checkpoint completions are left out (as
 * Flink's client shows none), and the kept-checkpoints notice names the SQL way to restore.
 */
export function sqlLogLine(message: string): string | undefined {
  if (/^checkpoint \d+ completed/.test(message)) return undefined;
  const kept = /^checkpoints of the run are kept in (\S+)/.exec(message);
  if (kept !== null)
    return `checkpoints of the run are kept in ${kept[1]} (restore with SET 'execution.savepoint.path' = '${kept[1]}';)`;
  return message;
}

/** `[ERROR] line 3, column 8: …`, then the excerpt of a syntax error. */
export function formatSqlError(error: SqlScriptError): string {
  return `[ERROR] ${error.message}\n${error.excerpt === undefined ? "" : `${error.excerpt}\n`}`;
}

export async function sqlCommand(args: readonly string[]): Promise<number> {
  const invocation = parseSqlArgs(args);
  if (invocation === "help") {
    process.stdout.write(commandHelp(SQL_COMMAND));
    return 0;
  }
  const options: ScriptRunOptions = {
    config: invocation.config,
    streamUnboundedSelects: true,
    log: (message) => {
      const line = sqlLogLine(message);
      if (line !== undefined) process.stderr.write(`weir: ${line}\n`);
    },
    ...(invocation.parallelism !== undefined ? { parallelism: invocation.parallelism } : {}),
  };
  // The SQL engine loads only now, so that `weir run` and bad flags stay fast.
  const [
    { runInteractiveClient },
    { ResultRenderer },
    { SqlClient, SqlScriptError: ScriptError },
    { JobCancelledError },
  ] = await Promise.all([
    import("./interactive-client.ts"),
    import("./result-printer.ts"),
    import("./run-sql-script.ts"),
    import("@weir/runtime"),
  ]);
  if (invocation.file === undefined) return await runInteractiveClient(options, invocation.format);
  const abort = new AbortController();
  const script = readFileSync(invocation.file, "utf8");
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nweir: cancelling the running statement (Ctrl-C again to exit immediately)\n");
    abort.abort();
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  const renderer = new ResultRenderer(invocation.format);
  try {
    await new SqlClient(options).execute(
      script,
      (result) => {
        process.stdout.write(renderer.render(result));
      },
      abort.signal,
    );
    return 0;
  } catch (error) {
    if (error instanceof ScriptError) {
      process.stderr.write(formatSqlError(error));
      return 1;
    }
    if (error instanceof JobCancelledError) {
      process.stderr.write(`weir: ${error.message}\n`);
      return 130;
    }
    throw error;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}
