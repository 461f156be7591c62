/**
 * What a benchmark is (a job module run at a fixed parallelism on the local mini-cluster) and how
 * one is run and measured.
 * @module
 */

import type { JobExecutionResult } from "@weir/api";
import { type BenchmarkResult, computeResult, runJob, timeRun } from "@weir/runtime";

export interface Benchmark {
  readonly name: string;
  /** One line for `--help` and the table. */
  readonly description: string;
  /** The job module (`export default defineJob(...)`), called with `{ events, verify }`. */
  readonly job: URL;
  readonly parallelism: number;
  /** Events of a default run, chosen so that it takes several seconds. */
  readonly defaultEvents: number;
  /** The target from the issue, in events/s per core. */
  readonly targetPerCore: number;
  /** Makes the input of a run of `events` events (e.g. writes a data file); not timed. */
  readonly prepare?: (events: number) => void | Promise<void>;
  /**
   * Checks the result of a verifying run (`verify: true`) and returns the number of records that
   * reached the counting end of the pipeline; throws when that is not what `events` source records
   * must produce (lost or duplicated records).
   */
  verify(result: JobExecutionResult, events: number): number;
}

export interface RunOptions {
  readonly events: number;
  /** Run the verifying variant of the job and check its output. */
  readonly verify?: boolean;
}

export interface BenchmarkRun {
  readonly result: BenchmarkResult;
  readonly cpuSeconds: number;
  /** Records counted at the end of the pipeline (verifying runs only). */
  readonly sinkRecords: number | undefined;
}

/** Runs the benchmark's job once, timing it from before `runJob` until it resolves. */
export async function runBenchmark(benchmark: Benchmark, options: RunOptions): Promise<BenchmarkRun> {
  const verify = options.verify === true;
  await benchmark.prepare?.(options.events);
  const timed = await timeRun(() =>
    runJob(benchmark.job, {
      parallelism: benchmark.parallelism,
      params: { events: options.events, verify },
      jobName: benchmark.name,
    }),
  );
  const sinkRecords = verify ? benchmark.verify(timed.value, options.events) : undefined;
  return {
    result: computeResult(benchmark.name, options.events, timed.wallSeconds, timed.cpuSeconds),
    cpuSeconds: timed.cpuSeconds,
    sinkRecords,
  };
}

/**
 * The fixed cost of a run (starting and stopping the worker threads, loading the job module in each,
 * deploying tasks): the wall seconds of the same job with a single event.
 */
export async function measureStartup(benchmark: Benchmark): Promise<number> {
  const run = await runBenchmark(benchmark, { events: 1 });
  return run.result.seconds;
}
