/**
 * Command line of `npm run bench`. Pure: returns what to run or throws a {@link UsageError}.
 * @module
 */

import type { Benchmark } from "./benchmark.ts";

export interface BenchArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly verify: boolean;
  /** Overrides every selected benchmark's default event count. */
  readonly events: number | undefined;
  /** In the order of the registry, each once; all of them when no name was given. */
  readonly benchmarks: readonly Benchmark[];
}

/** Bad command line: main prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const FLAGS = ["--json", "--events N", "--verify", "--help"] as const;

export function usage(benchmarks: readonly Benchmark[]): string {
  const width = Math.max(...benchmarks.map((b) => b.name.length));
  const lines = [
    "Usage: npm run bench -- [name ...] [--json] [--events N] [--verify]",
    "",
    "Runs the named benchmarks (all when none is named) on the local mini-cluster and reports",
    "events/s and events/s per core (cores = process CPU time of all threads / wall time).",
    "",
    "Benchmarks:",
    ...benchmarks.map(
      (b) =>
        `  ${b.name.padEnd(width)}  ${b.description} (default ${b.defaultEvents.toLocaleString("en-US")} events)`,
    ),
    "",
    "Options:",
    "  --json       one JSON object per line per benchmark:",
    '               {"name","events","seconds","events_per_second","cores","events_per_second_per_core"}',
    "  --events N   events per benchmark instead of each one's default",
    "  --verify     run the verifying variant of each job and check what reached its end",
    "  --help, -h   this text",
    "",
  ];
  return lines.join("\n");
}

function parseEvents(text: string | undefined): number {
  if (text === undefined || text === "" || text.startsWith("--")) {
    throw new UsageError("--events needs a value: a positive integer, e.g. --events 1000000");
  }
  const events = Number(text.replaceAll("_", ""));
  if (!Number.isSafeInteger(events) || events < 1) {
    throw new UsageError(`--events must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return events;
}

export function parseArgs(argv: readonly string[], registry: readonly Benchmark[]): BenchArgs {
  let help = false;
  let json = false;
  let verify = false;
  let events: number | undefined;
  const names = new Set<string>();
  const byName = new Map(registry.map((b) => [b.name, b]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--json") json = true;
    else if (arg === "--verify") verify = true;
    else if (arg === "--events") events = parseEvents(argv[++i]);
    else if (arg.startsWith("--events=")) events = parseEvents(arg.slice("--events=".length));
    else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}; valid options: ${FLAGS.join(", ")}`);
    } else if (byName.has(arg)) names.add(arg);
    else {
      throw new UsageError(
        `unknown benchmark ${JSON.stringify(arg)}; valid benchmarks: ${registry.map((b) => b.name).join(", ")}`,
      );
    }
  }
  const benchmarks = names.size === 0 ? registry : registry.filter((b) => names.has(b.name));
  return { help, json, verify, events, benchmarks };
}
