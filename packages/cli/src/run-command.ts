/**
 * `weir run`: parses and checks the flags, runs the job module on the local mini-cluster, and turns
 * Ctrl-C into a clean cancellation (a second Ctrl-C exits at once).
 * @module
 */

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ExecutionMode } from "@weir/api";
import { JobCancelledError, JobExecutionError, runJob } from "@weir/runtime";
import { commandHelp, type FlagSpec, RUN_COMMAND } from "./commands.ts";
import { UsageError } from "./usage-error.ts";

export interface RunInvocation {
  readonly jobFile: string;
  readonly checkpointIntervalMs: number | undefined;
  readonly checkpointDir: string | undefined;
  readonly fromSavepoint: string | undefined;
  readonly allowNonRestoredState: boolean;
  readonly restartAttempts: number | undefined;
  readonly parallelism: number;
  readonly params: unknown;
  readonly executionMode: ExecutionMode | undefined;
  readonly jobName: string | undefined;
}

type ParseOptions = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

export function parseOptionsOf(flags: readonly FlagSpec[]): ParseOptions {
  const options: ParseOptions = {};
  for (const flag of flags) {
    options[flag.name] = {
      type: flag.type,
      ...(flag.short !== undefined ? { short: flag.short } : {}),
      ...(flag.multiple === true ? { multiple: true } : {}),
    };
  }
  return options;
}

/** Rewrites node's parseArgs errors into messages that name the flag and the command. */
export function parseCommandArgs(args: readonly string[], flags: readonly FlagSpec[], command: string) {
  try {
    return parseArgs({
      args: [...args],
      options: parseOptionsOf(flags),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unknown flag ${flag} for "weir ${command}"`, command);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${message.replace(/^Option '([^']+)'/, "flag $1")}`, command);
    }
    throw new UsageError(message, command);
  }
}

function parseParamValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function parseRunArgs(args: readonly string[]): RunInvocation | "help" {
  const { values, positionals } = parseCommandArgs(args, RUN_COMMAND.flags, "run");
  if (values.help === true) return "help";
  if (positionals.length === 0) throw new UsageError("missing the job file: weir run <job-file>", "run");
  if (positionals.length > 1) {
    throw new UsageError(`expected one job file, got ${positionals.length}: ${positionals.join(" ")}`, "run");
  }
  const jobFile = resolve(positionals[0]!);
  if (!existsSync(jobFile) || !statSync(jobFile).isFile()) {
    throw new UsageError(`job file not found: ${positionals[0]}`, "run");
  }

  let parallelism = 1;
  if (values.parallelism !== undefined) {
    const raw = String(values.parallelism);
    parallelism = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(parallelism) || parallelism < 1 || parallelism > 1024) {
      throw new UsageError(`--parallelism must be an integer from 1 to 1024, got "${raw}"`, "run");
    }
  }

  let params: unknown;
  if (values.params !== undefined) {
    try {
      params = JSON.parse(String(values.params));
    } catch (error) {
      throw new UsageError(`--params is not valid JSON: ${(error as Error).message}`, "run");
    }
  }
  const single = (values.param ?? []) as string[];
  if (single.length > 0) {
    if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) {
      throw new UsageError("--param needs --params to be a JSON object when both are given", "run");
    }
    const merged: Record<string, unknown> = { ...((params as Record<string, unknown> | undefined) ?? {}) };
    for (const entry of single) {
      const eq = entry.indexOf("=");
      if (eq <= 0) throw new UsageError(`--param expects KEY=VALUE, got "${entry}"`, "run");
      merged[entry.slice(0, eq)] = parseParamValue(entry.slice(eq + 1));
    }
    params = merged;
  }

  let executionMode: ExecutionMode | undefined;
  if (values.mode !== undefined) {
    const mode = String(values.mode).toUpperCase();
    if (!(mode in ExecutionMode)) {
      throw new UsageError(`--mode must be streaming, batch or automatic, got "${values.mode}"`, "run");
    }
    executionMode = mode as ExecutionMode;
  }
  const jobName = values["job-name"] === undefined ? undefined : String(values["job-name"]);
  const checkpointIntervalMs = positiveInteger(values["checkpoint-interval"], "--checkpoint-interval", 1);
  const restartAttempts = positiveInteger(values["restart-attempts"], "--restart-attempts", 0);
  const checkpointDir =
    values["checkpoint-dir"] === undefined ? undefined : resolve(String(values["checkpoint-dir"]));
  if (checkpointDir !== undefined && checkpointIntervalMs === undefined) {
    throw new UsageError(
      "--checkpoint-dir needs --checkpoint-interval (checkpoints are off without it)",
      "run",
    );
  }
  const fromSavepoint =
    values["from-savepoint"] === undefined ? undefined : resolve(String(values["from-savepoint"]));
  if (fromSavepoint !== undefined && (!existsSync(fromSavepoint) || !statSync(fromSavepoint).isDirectory())) {
    throw new UsageError(`--from-savepoint: no such directory: ${String(values["from-savepoint"])}`, "run");
  }
  const allowNonRestoredState = values["allow-non-restored-state"] === true;
  if (allowNonRestoredState && fromSavepoint === undefined) {
    throw new UsageError("--allow-non-restored-state needs --from-savepoint", "run");
  }
  return {
    jobFile,
    parallelism,
    params,
    executionMode,
    jobName,
    checkpointIntervalMs,
    checkpointDir,
    fromSavepoint,
    allowNonRestoredState,
    restartAttempts,
  };
}

/** A flag's value as an integer ≥ `min`; undefined when the flag is absent. */
export function positiveInteger(
  raw: unknown,
  flag: string,
  min: number,
  command = "run",
): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} must be an integer of at least ${min}, got "${text}"`, command);
  }
  return value;
}

export async function runCommand(args: readonly string[]): Promise<number> {
  const invocation = parseRunArgs(args);
  if (invocation === "help") {
    process.stdout.write(commandHelp(RUN_COMMAND));
    return 0;
  }
  const abort = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write("\nweir: cancelling the job (Ctrl-C again to exit immediately)\n");
      abort.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  try {
    const result = await runJob(invocation.jobFile, {
      parallelism: invocation.parallelism,
      params: invocation.params,
      signal: abort.signal,
      log: (line) => process.stderr.write(`weir: ${line}\n`),
      ...(invocation.fromSavepoint !== undefined
        ? {
            restoreFrom: {
              path: invocation.fromSavepoint,
              allowNonRestoredState: invocation.allowNonRestoredState,
            },
          }
        : {}),
      ...(invocation.executionMode !== undefined ? { executionMode: invocation.executionMode } : {}),
      ...(invocation.jobName !== undefined ? { jobName: invocation.jobName } : {}),
      ...(invocation.checkpointIntervalMs !== undefined
        ? {
            checkpointing: {
              intervalMs: invocation.checkpointIntervalMs,
              ...(invocation.checkpointDir !== undefined
                ? { storage: { kind: "directory" as const, path: invocation.checkpointDir } }
                : {}),
            },
          }
        : {}),
      ...(invocation.restartAttempts !== undefined
        ? {
            restartStrategy: {
              kind: "fixed-delay" as const,
              attempts: invocation.restartAttempts,
              delayMs: 1_000,
            },
          }
        : {}),
    });
    const recovery =
      result.completedCheckpoints > 0 || result.restarts > 0
        ? ` (${result.completedCheckpoints} checkpoints, ${result.restarts} restarts)`
        : "";
    process.stderr.write(`weir: job "${result.jobName}" finished in ${result.durationMs} ms${recovery}\n`);
    return 0;
  } catch (error) {
    if (error instanceof JobCancelledError) {
      process.stderr.write(`weir: ${error.message}\n`);
      return 130;
    }
    if (error instanceof JobExecutionError) {
      process.stderr.write(`weir: ${error.stack ?? error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
  }
}
