/**
 * The execution environment: where a job's sources are declared and the job is started. A job
 * module receives one from the runner (see `defineJob`); user code never constructs it.
 * @module
 */

import type { ExecutionMode } from "./execution-mode.ts";
import type { Sink } from "./sink.ts";
import type { Source } from "./source.ts";
import type { ConfigurableNonKeyedStream } from "./streams.ts";

/** The outcome of a finished job. @public */
export interface JobExecutionResult {
  readonly jobName: string;
  /** Wall-clock milliseconds from start to finish. */
  readonly durationMs: number;
  /** How often the job restarted after failures (0 when it never failed). */
  readonly restarts: number;
  /** Checkpoints completed during the run (0 without checkpointing). */
  readonly completedCheckpoints: number;
  /** Records that reached a collect sink (see `Sinks.collect`), in arrival order per subtask. */
  collected<T>(sink: Sink<T, unknown>): T[];
}

/** Options for collection sources. @public */
export interface FromCollectionOptions {
  /** Name of the source operator. Default: "Collection Source". */
  readonly name?: string;
}

/**
 * Declares sources and runs the job.
 *
 * Contract: building the graph must be deterministic, because every worker thread (and, in a
 * cluster, every TaskManager) runs the job module again to rebuild the same graph; operators are
 * matched by uid or position. Read inputs that differ between runs (time, randomness, files) inside
 * sources and functions, not while building.
 * @public
 */
export interface ExecutionEnvironment {
  /** The mode set on this environment (default AUTOMATIC). */
  getExecutionMode(): ExecutionMode;
  setExecutionMode(mode: ExecutionMode): this;
  /** The default parallelism of operators (set by the runner, e.g. `weir run --parallelism`). */
  getParallelism(): number;
  setParallelism(parallelism: number): this;
  /**
   * A bounded source over an in-memory collection. The items are split evenly across the source's
   * parallel instances, in order within each instance.
   */
  fromCollection<T>(items: Iterable<T>, options?: FromCollectionOptions): ConfigurableNonKeyedStream<T>;
  /** A stream from a split-based source. */
  // biome-ignore lint/suspicious/noExplicitAny: a source of any split and enumerator state type
  fromSource<T>(source: Source<T, any, any>, name: string): ConfigurableNonKeyedStream<T>;
  /**
   * Flink's execution configuration of this job, by Flink's keys (`execution.checkpointing.interval`,
   * `restart-strategy.type`, …; as `StreamExecutionEnvironment.configure`): merged into what was
   * set before. The runner applies the keys it knows, under the settings its caller gives
   * explicitly (command-line flags, REST submission fields); see `executionSettingsFromConfig`.
   * Example: `env.configure({ "execution.checkpointing.interval": "10 s" })`.
   */
  configure(config: Readonly<Record<string, string>>): this;
  /** The configuration set with {@link configure} (empty by default). */
  getConfiguration(): Readonly<Record<string, string>>;
  /**
   * Runs the job built so far. Resolves when a bounded job has finished; rejects with the user's
   * stack trace and the failing operator's name if the job fails, or when it is cancelled.
   * Call it at most once per environment.
   */
  execute(jobName?: string): Promise<JobExecutionResult>;
}
