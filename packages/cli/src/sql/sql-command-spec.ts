/**
 * Flags and help of `weir sql`.
 * @module
 */

import { type CommandSpec, HELP_FLAG } from "../command-spec.ts";

export const SQL_RESULT_FORMATS = ["tableau", "jsonl", "changelog"] as const;
export type SqlResultFormat = (typeof SQL_RESULT_FORMATS)[number];

export const SQL_COMMAND: CommandSpec = {
  name: "sql",
  usage: "weir sql [-f script.sql] [flags]",
  summary: "Run Flink SQL: a script with -f, or an interactive SQL client",
  description:
    "With -f, runs the statements of a SQL script in order on the local mini-cluster, as Flink's SQL client\n" +
    "does: DDL, SET and SHOW act on the session, each SELECT / INSERT runs as a job. A SELECT over bounded\n" +
    "sources prints its final rows once it ends; a SELECT over an unbounded source streams every change as it\n" +
    "becomes final (with checkpointing: per completed checkpoint, so a restart never shows a row twice) until\n" +
    "Ctrl-C or SIGTERM cancels it (exit code 130; the statements after it do not run). Flink's execution keys\n" +
    "configure the jobs: SET 'execution.checkpointing.interval' = '10 s', 'restart-strategy.type',\n" +
    "'execution.savepoint.path' (resume from a kept checkpoint directory), 'pipeline.name', 'state.backend.type'\n" +
    "(see docs/sql-client.md).\n" +
    "The first failing statement stops the script: `[ERROR] line L, column C: ...` on stderr, exit code 1.\n" +
    "Without -f, starts the interactive client: statements end with ';' and may span lines; history is kept in\n" +
    "~/.weir/sql_history; type HELP; for the client's commands.",
  flags: [
    { name: "file", short: "f", type: "string", value: "PATH", description: "The SQL script to run." },
    {
      name: "format",
      type: "string",
      value: "FORMAT",
      description:
        "How results print: tableau (Flink's boxed table of the final rows, default), jsonl (one JSON object\n" +
        "      per final row, columns by name; nothing else on stdout) or changelog (boxed table of every change).\n" +
        "      An unbounded SELECT streams its changes: tableau and changelog as a table with an op column\n" +
        '      (+I, -U, +U, -D), jsonl as one object per change with an "op" field first.',
    },
    {
      name: "parallelism",
      short: "p",
      type: "string",
      value: "N",
      description: "Default parallelism of the jobs (default: 'parallelism.default', else 1).",
    },
    {
      name: "set",
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      description: "A session option, as SET 'KEY' = 'VALUE' (repeatable).",
    },
    HELP_FLAG,
  ],
};
