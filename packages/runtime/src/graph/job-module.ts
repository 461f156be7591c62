/**
 * Loading job modules and capturing their graphs. Both the coordinator and every worker load the
 * same module and run its builder; a worker only captures the graph (its `execute()` never
 * resolves, so code after `await env.execute()` runs on the coordinator alone).
 * @module
 */

import { isJobDefinition, type JobDefinition } from "@weir/api";
import { EnvironmentImpl, type ExecutionRequest } from "./environment-impl.ts";

export class JobModuleError extends Error {
  override name = "JobModuleError";
}

export async function loadJobDefinition(moduleUrl: string): Promise<JobDefinition<unknown>> {
  let module: { default?: unknown };
  try {
    module = (await import(moduleUrl)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobModuleError(`cannot load job module ${moduleUrl}: ${reason}`, { cause: error });
  }
  if (!isJobDefinition(module.default)) {
    throw new JobModuleError(
      `job module ${moduleUrl} must have a default export made by defineJob(): export default defineJob((env) => { ... })`,
    );
  }
  return module.default;
}

/** Runs the builder and returns the graph it declared, without executing anything. */
export async function captureGraph(
  definition: JobDefinition<unknown>,
  params: unknown,
  defaults: { parallelism: number; jobName: string },
): Promise<ExecutionRequest> {
  let captured: ((request: ExecutionRequest) => void) | undefined;
  let failed: ((error: unknown) => void) | undefined;
  const onExecute = new Promise<ExecutionRequest>((resolve, reject) => {
    captured = resolve;
    failed = reject;
  });
  const env = new EnvironmentImpl({
    ...defaults,
    onExecute: (request) => {
      captured!(request);
      return new Promise(() => {});
    },
  });
  const built = Promise.resolve(definition.build(env, params)).then(() => {
    if (!env.executed) env.execute().catch(failed);
    return onExecute;
  });
  return Promise.race([onExecute, built]);
}
