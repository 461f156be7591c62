/**
 * Runs a job module on the local mini-cluster: the programmatic form of `weir run`.
 * The module is loaded here (to build the graph and run the enumerators) and again in each slot.
 * @module
 */

import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import type { ExecutionMode, JobExecutionResult } from "@weir/api";
import { executionSettingsFromConfig } from "../config/flink-execution-config.ts";
import { EnvironmentImpl, type ExecutionRequest } from "../graph/environment-impl.ts";
import { loadJobDefinition } from "../graph/job-module.ts";
import { type LocalClusterOptions, runOnLocalCluster } from "./local-cluster.ts";

export interface RunJobOptions extends LocalClusterOptions {
  /** Default parallelism of the job's operators (default 1). */
  readonly parallelism?: number;
  /** Plain data passed to the job builder in every thread. */
  readonly params?: unknown;
  /** Overrides the default job name (the module's file name). */
  readonly jobName?: string;
  /** Overrides the mode the job sets itself. */
  readonly executionMode?: ExecutionMode;
}

/**
 * The job's own configuration (`env.configure`, e.g. a SQL script's SET statements) fills what the
 * caller's options leave unset; the caller's options win field by field.
 */
function withJobConfiguration(options: RunJobOptions, request: ExecutionRequest): RunJobOptions {
  if (request.configuration === undefined) return options;
  const { jobName: _jobName, ...fromJob } = executionSettingsFromConfig(request.configuration);
  const explicit = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...fromJob, ...explicit };
}

/** A file path or URL -> the URL `import()` takes. */
export function jobModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  return pathToFileURL(module).href;
}

export async function runJob(module: string | URL, options: RunJobOptions = {}): Promise<JobExecutionResult> {
  const url = jobModuleUrl(module);
  const parallelism = options.parallelism ?? 1;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
  }
  const definition = await loadJobDefinition(url);
  let running: Promise<JobExecutionResult> | undefined;
  const env = new EnvironmentImpl({
    parallelism,
    jobName: options.jobName ?? basename(new URL(url).pathname).replace(/\.(job\.)?[cm]?[jt]s$/, ""),
    onExecute: (request) => {
      const effective =
        options.executionMode === undefined ? request : { ...request, executionMode: options.executionMode };
      running = runOnLocalCluster(url, options.params, effective, withJobConfiguration(options, request));
      return running;
    },
  });
  await definition.build(env, options.params);
  if (running === undefined) return env.execute();
  return running;
}
