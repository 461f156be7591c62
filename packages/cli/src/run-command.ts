/**
 * `weir run`: parses and checks the flags, runs the job module on the local mini-cluster, and turns
 * Ctrl-C into a clean cancellation (a second Ctrl-C exits at once).
 * @module
 */

import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ExecutionMode } from "@weir/api";
import {
  JobCancelledError,
  JobExecutionError,
  parseStateBackendKind,
  runJob,
  type StateBackendOptions,
} from "@weir/runtime";
import { commandHelp, type FlagSpec, RUN_COMMAND } from "./commands.ts";
import { UsageError } from "./usage-error.ts";

export interface RunInvocation {
  readonly jobFile: string;
  readonly checkpointIntervalMs: number | undefined;
  readonly checkpointDir: string | undefined;
  readonly unalignedCheckpoints: boolean;
  readonly alignedCheckpointTimeoutMs: number | undefined;
  readonly maxConcurrentCheckpoints: number | undefined;
  readonly fromSavepoint: string | undefined;
  readonly allowNonRestoredState: boolean;
  readonly restartAttempts: number | undefined;
  readonly parallelism: number;
  readonly params: unknown;
  readonly executionMode: ExecutionMode | undefined;
  readonly jobName: string | undefined;
  /** Serve the REST API for this run on 127.0.0.1 at this port (0: any). */
  readonly restPort: number | undefined;
  readonly savepointDir: string | undefined;
  readonly failoverStrategy: "region" | "full" | undefined;
  /** `--state-backend` / `--state-dir`; undefined: the heap default. */
  readonly stateBackend?: StateBackendOptions;
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
  const unalignedCheckpoints = values["unaligned-checkpoints"] === true;
  const alignedCheckpointTimeoutMs = positiveInteger(
    values["aligned-checkpoint-timeout"],
    "--aligned-checkpoint-timeout",
    0,
  );
  if (unalignedCheckpoints && checkpointIntervalMs === undefined)
    throw new UsageError(
      "--unaligned-checkpoints needs --checkpoint-interval (checkpoints are off without it)",
      "run",
    );
  if (alignedCheckpointTimeoutMs !== undefined && !unalignedCheckpoints)
    throw new UsageError("--aligned-checkpoint-timeout needs --unaligned-checkpoints", "run");
  const maxConcurrentCheckpoints = positiveInteger(
    values["max-concurrent-checkpoints"],
    "--max-concurrent-checkpoints",
    1,
  );
  if (maxConcurrentCheckpoints !== undefined && checkpointIntervalMs === undefined)
    throw new UsageError(
      "--max-concurrent-checkpoints needs --checkpoint-interval (checkpoints are off without it)",
      "run",
    );
  if (maxConcurrentCheckpoints !== undefined && maxConcurrentCheckpoints > 1 && unalignedCheckpoints)
    throw new UsageError(
      "--max-concurrent-checkpoints must be 1 with --unaligned-checkpoints (unaligned checkpoints run one at a time, as in Flink)",
      "run",
    );
  const fromSavepoint =
    values["from-savepoint"] === undefined ? undefined : resolve(String(values["from-savepoint"]));
  if (fromSavepoint !== undefined && (!existsSync(fromSavepoint) || !statSync(fromSavepoint).isDirectory())) {
    throw new UsageError(`--from-savepoint: no such directory: ${String(values["from-savepoint"])}`, "run");
  }
  const allowNonRestoredState = values["allow-non-restored-state"] === true;
  if (allowNonRestoredState && fromSavepoint === undefined) {
    throw new UsageError("--allow-non-restored-state needs --from-savepoint", "run");
  }
  const restPort = positiveInteger(values["rest-port"], "--rest-port", 0);
  if (restPort !== undefined && restPort > 65535)
    throw new UsageError(`--rest-port must be a port number from 0 to 65535, got "${restPort}"`, "run");
  const savepointDir =
    values["savepoint-dir"] === undefined ? undefined : resolve(String(values["savepoint-dir"]));
  if (savepointDir !== undefined && restPort === undefined)
    throw new UsageError("--savepoint-dir needs --rest-port (savepoints are requested over REST)", "run");
  const strategy = values["failover-strategy"];
  if (strategy !== undefined && strategy !== "region" && strategy !== "full")
    throw new UsageError(`--failover-strategy must be region or full, got "${String(strategy)}"`, "run");
  let stateBackend: StateBackendOptions | undefined;
  if (values["state-backend"] !== undefined) {
    let kind: StateBackendOptions["kind"];
    try {
      kind = parseStateBackendKind(String(values["state-backend"]), "--state-backend");
    } catch (error) {
      throw new UsageError((error as Error).message, "run");
    }
    const directory = values["state-dir"] === undefined ? undefined : resolve(String(values["state-dir"]));
    stateBackend = { kind, ...(directory !== undefined ? { directory } : {}) };
  }
  if (values["state-dir"] !== undefined && stateBackend?.kind !== "lmdb")
    throw new UsageError("--state-dir needs --state-backend lmdb", "run");
  return {
    ...(stateBackend !== undefined ? { stateBackend } : {}),
    restPort,
    savepointDir,
    failoverStrategy: strategy,
    jobFile,
    parallelism,
    params,
    executionMode,
    jobName,
    checkpointIntervalMs,
    checkpointDir,
    unalignedCheckpoints,
    alignedCheckpointTimeoutMs,
    maxConcurrentCheckpoints,
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
  const rest = invocation.restPort === undefined ? undefined : await serveRest(invocation);
  try {
    const result = await runJob(invocation.jobFile, {
      ...(rest === undefined
        ? {}
        : { observer: rest.backend.observer, onStart: (run) => rest.backend.attach(run) }),
      ...(invocation.failoverStrategy === undefined ? {} : { failoverStrategy: invocation.failoverStrategy }),
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
      ...(invocation.stateBackend !== undefined ? { stateBackend: invocation.stateBackend } : {}),
      ...(invocation.checkpointIntervalMs !== undefined
        ? {
            checkpointing: {
              intervalMs: invocation.checkpointIntervalMs,
              ...(invocation.unalignedCheckpoints ? { unaligned: true } : {}),
              ...(invocation.alignedCheckpointTimeoutMs !== undefined
                ? { alignedCheckpointTimeoutMs: invocation.alignedCheckpointTimeoutMs }
                : {}),
              ...(invocation.maxConcurrentCheckpoints !== undefined
                ? { maxConcurrent: invocation.maxConcurrentCheckpoints }
                : {}),
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
    const stoppedAt = rest?.backend.stoppedWithSavepoint;
    if (stoppedAt !== undefined) {
      process.stderr.write(`weir: job stopped with a savepoint at ${stoppedAt}\n`);
      await rest?.backend.stopReported();
      return 0;
    }
    process.stderr.write(`weir: job "${result.jobName}" finished in ${result.durationMs} ms${recovery}\n`);
    return 0;
  } catch (error) {
    if (error instanceof JobCancelledError) {
      const savepoint = rest?.backend.stoppedWithSavepoint;
      if (savepoint !== undefined) {
        process.stderr.write(`weir: job stopped with a savepoint at ${savepoint}\n`);
        await rest?.backend.stopReported();
        return 0;
      }
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
    await rest?.server.close();
    rest?.backend.close();
  }
}

/**
 * Starts the REST API of this run on 127.0.0.1 (loopback only: it has no token). The cluster
 * runtime is loaded only here, so runs without --rest-port start as fast as before.
 */
async function serveRest(invocation: RunInvocation) {
  const { LocalRestBackend, RestServer } = await import("@weir/runtime/cluster");
  const jobName = invocation.jobName ?? basename(invocation.jobFile).replace(/\.(job\.)?[cm]?[jt]s$/, "");
  const backend = new LocalRestBackend(
    jobName,
    invocation.checkpointIntervalMs !== undefined,
    invocation.savepointDir ?? resolve(".weir/savepoints"),
  );
  let server: Awaited<ReturnType<typeof RestServer.start>>;
  try {
    server = await RestServer.start(backend, { host: "127.0.0.1", port: invocation.restPort ?? 0 });
  } catch (error) {
    backend.close();
    throw new UsageError(
      `--rest-port: cannot listen on 127.0.0.1:${invocation.restPort}: ${(error as Error).message}`,
      "run",
    );
  }
  process.stderr.write(`weir: REST API at ${server.address.url} (job id ${backend.jobId})\n`);
  return { backend, server };
}
