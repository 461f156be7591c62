/**
 * The `weir` command line. Dispatches to a command and maps failures to exit codes:
 * 0 success, 1 job or runtime failure, 2 bad command-line input, 130 cancelled.
 * @module
 */

import { readFileSync } from "node:fs";
import { COMMANDS, commandHelp, generalHelp } from "./commands.ts";
import { runCommand } from "./run-command.ts";
import { UsageError } from "./usage-error.ts";

const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
        process.stdout.write(generalHelp(VERSION));
        return 0;
      case "-v":
      case "--version":
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case "help": {
        const topic = rest[0];
        if (topic === undefined) {
          process.stdout.write(generalHelp(VERSION));
          return 0;
        }
        const spec = COMMANDS.find((c) => c.name === topic);
        if (spec === undefined) throw new UsageError(`unknown command "${topic}"`);
        process.stdout.write(commandHelp(spec));
        return 0;
      }
      case "run":
        return await runCommand(rest);
      case "sql":
        return await (await import("./sql/sql-command.ts")).sqlCommand(rest);
      case "nexmark":
        return await (await import("./nexmark/nexmark-command.ts")).nexmarkCommand(rest);
      // Cluster commands load the cluster runtime only when used, to keep other commands' start fast.
      case "jobmanager":
        return await (await import("./cluster/jobmanager-command.ts")).jobManagerCommand(rest);
      case "taskmanager":
        return await (await import("./cluster/taskmanager-command.ts")).taskManagerCommand(rest);
      case "cluster":
        return await (await import("./cluster/cluster-start-command.ts")).clusterCommand(rest);
      case "jobs":
        return await (await import("./cluster/jobs-command.ts")).jobsCommand(rest);
      case "savepoint":
      case "stop":
        return await (await import("./cluster/savepoint-command.ts")).savepointCommand(rest, command);
      default:
        if (command.startsWith("-"))
          throw new UsageError(`unknown flag ${command}; flags go after the command`);
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command !== undefined ? `weir help ${error.command}` : "weir --help";
      process.stderr.write(`weir: ${error.message}\nRun "${hint}" for usage.\n`);
      return 2;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`weir: ${message}\n`);
    return 1;
  }
}
