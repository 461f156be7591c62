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
    "does: DDL, SET and SHOW act on the session, each SELECT / INSERT runs as a job. A SELECT must read bounded\n" +
    "sources (its final rows are printed once it ends); write unbounded queries as INSERT INTO a sink table.\n" +
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
        "      per final row, columns by name; nothing else on stdout) or changelog (boxed table of every change).",
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
