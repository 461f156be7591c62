/**
 * Job modules. User code travels as code, not data (DESIGN.md §4): every worker imports the job
 * module and rebuilds the same graph. A job module therefore exports its definition instead of
 * running itself:
 *
 * ```ts
 * export default defineJob((env, params: { words: string[] }) => {
 *   env.fromCollection(params.words).keyBy((w) => w).toSink(Sinks.print());
 * });
 * ```
 * The runner (`weir run`, the test harness, a cluster) decides where and how it runs. `params` are
 * plain data (structured-cloneable) handed to every copy of the module.
 * @module
 */

import type { ExecutionEnvironment } from "./environment.ts";

/** Builds a job's graph on the given environment. May call `env.execute()` itself. @public */
export type JobBuilder<P> = (env: ExecutionEnvironment, params: P) => void | Promise<void>;

/** A job module's default export. @public */
export interface JobDefinition<P = undefined> {
  readonly kind: "weir.job";
  readonly build: JobBuilder<P>;
}

/**
 * Declares a job. Export the result as the module's default export.
 * @public
 */
export function defineJob<P = undefined>(build: JobBuilder<P>): JobDefinition<P> {
  if (typeof build !== "function") {
    throw new TypeError("defineJob expects a function (env, params) => { ... } that builds the job graph");
  }
  return Object.freeze({ kind: "weir.job", build });
}

/** True when `value` is a job definition made by {@link defineJob}. @public */
export function isJobDefinition(value: unknown): value is JobDefinition<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "weir.job" &&
    typeof (value as { build?: unknown }).build === "function"
  );
}
