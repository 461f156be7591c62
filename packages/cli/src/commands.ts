/**
 * The CLI's command table: every command with its flags and help text. `weir --help` and
 * `weir help <command>` are generated from it, so the help cannot drift from what is parsed.
 * @module
 */

import {
  CLUSTER_COMMAND,
  JOBMANAGER_COMMAND,
  JOBS_COMMAND,
  SAVEPOINT_COMMAND,
  STOP_COMMAND,
  TASKMANAGER_COMMAND,
} from "./cluster/cluster-command-specs.ts";
import { type CommandSpec, type FlagSpec, HELP_FLAG } from "./command-spec.ts";
import { NEXMARK_COMMAND } from "./nexmark/nexmark-command-spec.ts";
import { SQL_COMMAND } from "./sql/sql-command-spec.ts";

export type { CommandSpec, FlagSpec } from "./command-spec.ts";
export { HELP_FLAG } from "./command-spec.ts";

export const RUN_COMMAND: CommandSpec = {
  name: "run",
  usage: "weir run <job-file> [flags]",
  summary: "Run a job module on the local mini-cluster",
  description:
    "Loads a TypeScript (or JavaScript) job module whose default export is made by defineJob(), and runs it\n" +
    "with one worker thread per slot: a job at parallelism N uses N threads. A bounded job runs until its\n" +
    "input ends; an unbounded job runs until you press Ctrl-C, which cancels it cleanly.\n" +
    "Without --restart-attempts a failure ends the job, unless checkpoints are on: then, as in Flink, the job\n" +
    "restarts from its latest checkpoint with exponential delay (1 s growing to 60 s).",
  flags: [
    {
      name: "parallelism",
      short: "p",
      type: "string",
      value: "N",
      description: "Default parallelism of the job's operators (default 1).",
    },
    {
      name: "params",
      type: "string",
      value: "JSON",
      description: "Job parameters as a JSON value, passed to the job's builder.",
    },
    {
      name: "param",
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      description:
        "One job parameter (repeatable); merged into --params. VALUE is parsed as JSON if it can be.",
    },
    {
      name: "mode",
      type: "string",
      value: "MODE",
      description: "Execution mode: streaming, batch or automatic (default: the job's own).",
    },
    { name: "job-name", type: "string", value: "NAME", description: "Job name (default: the file name)." },
    {
      name: "checkpoint-interval",
      type: "string",
      value: "MS",
      description: "Take an aligned checkpoint every MS milliseconds (default: off).",
    },
    {
      name: "checkpoint-dir",
      type: "string",
      value: "PATH",
      description: "Directory for checkpoints (default .weir/checkpoints; deleted when the job finishes).",
    },
    {
      name: "unaligned-checkpoints",
      type: "boolean",
      description:
        "Unaligned checkpoints: barriers overtake buffered data, which is stored with the checkpoint, so checkpoints\n" +
        "complete under backpressure (Flink's execution.checkpointing.unaligned.enabled).",
    },
    {
      name: "aligned-checkpoint-timeout",
      type: "string",
      value: "MS",
      description:
        "With --unaligned-checkpoints: start aligned and switch to unaligned after MS milliseconds (default 0: unaligned\n" +
        "from the start; Flink's execution.checkpointing.aligned-checkpoint-timeout).",
    },
    {
      name: "max-concurrent-checkpoints",
      type: "string",
      value: "N",
      description:
        "Checkpoints in flight at once (default 1): a new one starts while earlier ones wait for slow uploads or\n" +
        "pre-commits; must be 1 with --unaligned-checkpoints (Flink's execution.checkpointing.max-concurrent-checkpoints).",
    },
    {
      name: "state-backend",
      type: "string",
      value: "KIND",
      description:
        "Where keyed state lives: heap (default; alias hashmap) or lmdb (embedded on-disk store for state larger than\n" +
        "memory, with incremental checkpoints; Flink's state.backend.type).",
    },
    {
      name: "state-dir",
      type: "string",
      value: "PATH",
      description:
        "With --state-backend lmdb: directory of the local LMDB working copies (default: the system temp directory).",
    },
    {
      name: "from-savepoint",
      type: "string",
      value: "PATH",
      description: "Start from the newest checkpoint in PATH (a directory a cancelled or failed run kept).",
    },
    {
      name: "allow-non-restored-state",
      type: "boolean",
      description: "With --from-savepoint: drop state of operators the job no longer has instead of failing.",
    },
    {
      name: "rest-port",
      type: "string",
      value: "PORT",
      description:
        "Serve the REST API on 127.0.0.1:PORT (0: any free port) for this run's job, so `weir savepoint`, `weir stop`\n" +
        "and `weir jobs list` work against it (default: off).",
    },
    {
      name: "savepoint-dir",
      type: "string",
      value: "PATH",
      description:
        "With --rest-port: where savepoints go when a request names no directory (default .weir/savepoints).",
    },
    {
      name: "failover-strategy",
      type: "string",
      value: "S",
      description:
        "What a task failure restarts: region (default; only the failed task's pipelined region) or full.",
    },
    {
      name: "restart-attempts",
      type: "string",
      value: "N",
      description:
        "Restart a failed job up to N times, 1 s apart, from its latest checkpoint (default: see below).",
    },
    HELP_FLAG,
  ],
};

export const COMMANDS: readonly CommandSpec[] = [
  RUN_COMMAND,
  SQL_COMMAND,
  NEXMARK_COMMAND,
  JOBMANAGER_COMMAND,
  TASKMANAGER_COMMAND,
  CLUSTER_COMMAND,
  JOBS_COMMAND,
  SAVEPOINT_COMMAND,
  STOP_COMMAND,
];

function formatFlags(flags: readonly FlagSpec[]): string {
  const rows = flags.map((flag) => {
    const short = flag.short !== undefined ? `-${flag.short}, ` : "    ";
    const value = flag.value !== undefined ? ` ${flag.value}` : "";
    return [`  ${short}--${flag.name}${value}`, flag.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join("\n");
}

export function commandHelp(command: CommandSpec): string {
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${command.description}\n\nFlags:\n${formatFlags(command.flags)}\n`;
}

export function generalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n");
  return (
    `weir ${version}: a stateful stream processor for TypeScript\n\n` +
    "Usage: weir <command> [flags]\n\n" +
    `Commands:\n${commands}\n  ${"help".padEnd(width)}Show help for a command (weir help run)\n\n` +
    `Global flags:\n  -h, --help     Show this help\n  -v, --version  Print the version\n`
  );
}
