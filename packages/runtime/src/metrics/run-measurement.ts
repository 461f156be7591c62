/**
 * Run measurement for benchmarks (bench/, `weir nexmark`): times one run (wall clock and the CPU time of the whole process, every thread
 * included) and turns it into the benchmark result shape. events/s per core divides by the cores the
 * run actually kept busy, not by the cores the machine has, so a run that idles half its threads is
 * not flattered.
 * @module
 */

import { performance } from "node:perf_hooks";

/** One benchmark's figures: the shape of a `--json` line, fields in this order. */
export interface BenchmarkResult {
  readonly name: string;
  /** Records the job's source produced. */
  readonly events: number;
  /** Wall-clock seconds from before `runJob` until it resolved (thread startup and teardown included). */
  readonly seconds: number;
  readonly events_per_second: number;
  /** CPU seconds of the whole process (all threads, user + system) per wall second. */
  readonly cores: number;
  /** `events_per_second / cores`, i.e. events per CPU second. */
  readonly events_per_second_per_core: number;
}

/** What {@link timeRun} observed. */
export interface Timed<T> {
  readonly value: T;
  readonly wallSeconds: number;
  /** User + system CPU seconds of the whole process during the run. */
  readonly cpuSeconds: number;
}

/**
 * Runs `run` and measures it. `process.cpuUsage()` is `getrusage(RUSAGE_SELF)`: it covers every
 * thread of the process, worker threads included, also those that exited during the run.
 */
export async function timeRun<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const value = await run();
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * The result shape. Rounded for reading (µs for seconds, whole events/s, 1/1000 core); every
 * derived figure is computed from the unrounded inputs.
 */
export function computeResult(
  name: string,
  events: number,
  wallSeconds: number,
  cpuSeconds: number,
): BenchmarkResult {
  if (!(wallSeconds > 0)) throw new RangeError(`wall time must be positive, got ${wallSeconds}`);
  if (!(cpuSeconds >= 0)) throw new RangeError(`CPU time must be non-negative, got ${cpuSeconds}`);
  const eventsPerSecond = events / wallSeconds;
  const cores = cpuSeconds / wallSeconds;
  // cores === 0 only if the clock could not see any CPU time (a run far below its resolution).
  const perCore = cores > 0 ? eventsPerSecond / cores : 0;
  return {
    name,
    events,
    seconds: round(wallSeconds, 6),
    events_per_second: Math.round(eventsPerSecond),
    cores: round(cores, 3),
    events_per_second_per_core: Math.round(perCore),
  };
}

/** One `--json` line: exactly the fields of {@link BenchmarkResult}, in their documented order. */
export function toJsonLine(result: BenchmarkResult): string {
  return JSON.stringify({
    name: result.name,
    events: result.events,
    seconds: result.seconds,
    events_per_second: result.events_per_second,
    cores: result.cores,
    events_per_second_per_core: result.events_per_second_per_core,
  });
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
