/**
 * `npm run bench -- [name ...] [--json] [--events N] [--verify]`: runs benchmarks on the local
 * mini-cluster and reports events/s and events/s per core (DESIGN.md §10).
 * @module
 */

import { availableParallelism } from "node:os";
import { toJsonLine } from "@weir/runtime";
import { type BenchArgs, parseArgs, UsageError, usage } from "./args.ts";
import { type Benchmark, measureStartup, runBenchmark } from "./benchmark.ts";
import { BENCHMARKS as CORE_BENCHMARKS } from "./benchmarks/index.ts";
import { KAFKA_BENCHMARKS } from "./kafka/kafka-benchmarks.ts";

const BENCHMARKS = [...CORE_BENCHMARKS, ...KAFKA_BENCHMARKS];

const COLUMNS = [
  ["benchmark", 22],
  ["events", 12],
  ["seconds", 9],
  ["events/s", 12],
  ["cores", 6],
  ["events/s/core", 14],
  ["target/core", 12],
  ["", 5],
  ["startup s", 10],
  ["events/s excl. startup", 23],
] as const;

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = COLUMNS[i]![1];
      return i === 0 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(" ")
    .trimEnd();
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

async function runHuman(benchmarks: readonly Benchmark[], args: BenchArgs): Promise<void> {
  console.log(
    `Weir benchmarks: node ${process.version}, ${availableParallelism()} CPUs available` +
      (args.verify ? ", verifying variants (sink counts checked; the counting is measured too)" : ""),
  );
  console.log(row(COLUMNS.map(([title]) => title)));
  for (const benchmark of benchmarks) {
    // A one-event run first: the fixed cost of starting the job, and a warm coordinator.
    const startup = await measureStartup(benchmark);
    const events = args.events ?? benchmark.defaultEvents;
    const { result } = await runBenchmark(benchmark, { events, verify: args.verify });
    const steady = result.seconds > startup ? events / (result.seconds - startup) : Number.NaN;
    const met = result.events_per_second_per_core >= benchmark.targetPerCore;
    console.log(
      row([
        result.name,
        integer.format(result.events),
        result.seconds.toFixed(3),
        integer.format(result.events_per_second),
        result.cores.toFixed(2),
        integer.format(result.events_per_second_per_core),
        integer.format(benchmark.targetPerCore),
        met ? "ok" : "MISS",
        startup.toFixed(3),
        Number.isNaN(steady) ? "-" : integer.format(steady),
      ]),
    );
  }
}

async function runJson(benchmarks: readonly Benchmark[], args: BenchArgs): Promise<void> {
  for (const benchmark of benchmarks) {
    const { result } = await runBenchmark(benchmark, {
      events: args.events ?? benchmark.defaultEvents,
      verify: args.verify,
    });
    process.stdout.write(`${toJsonLine(result)}\n`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv, BENCHMARKS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${usage(BENCHMARKS)}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(usage(BENCHMARKS));
    return 0;
  }
  try {
    if (args.json) await runJson(args.benchmarks, args);
    else await runHuman(args.benchmarks, args);
    return 0;
  } catch (error) {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
