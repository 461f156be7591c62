/**
 * `weir nexmark`: runs Nexmark queries on the local mini-cluster and prints events/s and events/s
 * per core, as a table or (`--json`) one line per query in the shared benchmark shape plus `query`.
 * @module
 */

import { availableParallelism } from "node:os";
import { toJsonLine } from "@weir/runtime";
import { commandHelp } from "../commands.ts";
import { parseCommandArgs, positiveInteger } from "../run-command.ts";
import { UsageError } from "../usage-error.ts";
import { NEXMARK_COMMAND } from "./nexmark-command-spec.ts";
import { type NexmarkApi, type NexmarkResult, runNexmark } from "./nexmark-harness.ts";
import { DATASTREAM_QUERIES, FLINK_1_13_PER_CORE, SUITE } from "./nexmark-queries.ts";

interface NexmarkInvocation {
  readonly queries: readonly string[];
  readonly events: number;
  readonly parallelism: number;
  readonly rate: number;
  readonly api: NexmarkApi;
  readonly json: boolean;
}

function parseNexmarkArgs(args: readonly string[]): NexmarkInvocation | "help" {
  const { values, positionals } = parseCommandArgs(args, NEXMARK_COMMAND.flags, "nexmark");
  if (values.help === true) return "help";
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, "nexmark");
  const query = values.query === undefined ? undefined : String(values.query);
  if (query === undefined) throw new UsageError("missing --query (q0 … q22, all or generator)", "nexmark");
  const api = values.api === undefined ? "sql" : String(values.api);
  if (api !== "sql" && api !== "datastream") {
    throw new UsageError(`--api must be sql or datastream, got "${api}"`, "nexmark");
  }
  let queries: string[];
  if (query === "all") queries = api === "datastream" ? Object.keys(DATASTREAM_QUERIES) : [...SUITE];
  else if (query === "generator" || SUITE.includes(query) || query === "q23" || query === "q6")
    queries = [query];
  else throw new UsageError(`unknown query "${query}": expected q0 … q23, all or generator`, "nexmark");
  if (api === "datastream") {
    const missing = queries.find((q) => q !== "generator" && DATASTREAM_QUERIES[q] === undefined);
    if (missing !== undefined) {
      throw new UsageError(
        `--api datastream has ${Object.keys(DATASTREAM_QUERIES).join(" and ")} only, not ${missing}`,
        "nexmark",
      );
    }
  }
  const parallelism = positiveInteger(values.parallelism, "--parallelism", 1, "nexmark") ?? 2;
  if (parallelism > 1024)
    throw new UsageError(`--parallelism must be at most 1024, got ${parallelism}`, "nexmark");
  return {
    queries,
    events: positiveInteger(values.events, "--events", 1, "nexmark") ?? 10_000_000,
    parallelism,
    rate: positiveInteger(values.rate, "--rate", 1, "nexmark") ?? 10_000_000,
    api,
    json: values.json === true,
  };
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function tableRow(result: NexmarkResult): string {
  const bar = FLINK_1_13_PER_CORE[result.query];
  const verdict = bar === undefined ? "" : result.events_per_second_per_core >= bar ? "ok" : "below";
  return [
    result.query.padEnd(10),
    integer.format(result.events).padStart(12),
    result.seconds.toFixed(3).padStart(9),
    integer.format(result.events_per_second).padStart(12),
    result.cores.toFixed(2).padStart(6),
    integer.format(result.events_per_second_per_core).padStart(14),
    (bar === undefined ? "-" : integer.format(bar)).padStart(12),
    verdict.padStart(6),
  ].join(" ");
}

export async function nexmarkCommand(args: readonly string[]): Promise<number> {
  const invocation = parseNexmarkArgs(args);
  if (invocation === "help") {
    process.stdout.write(commandHelp(NEXMARK_COMMAND));
    return 0;
  }
  const { queries, json } = invocation;
  if (!json) {
    process.stdout.write(
      `Nexmark: ${integer.format(invocation.events)} events at ${integer.format(invocation.rate)} events/s of event time, ` +
        `parallelism ${invocation.parallelism}, node ${process.version}, ${availableParallelism()} CPUs\n` +
        `${["query".padEnd(10), "events".padStart(12), "seconds".padStart(9), "events/s".padStart(12), "cores".padStart(6), "events/s/core".padStart(14), "flink 1.13".padStart(12)].join(" ")}\n`,
    );
  }
  let failures = 0;
  for (const query of queries) {
    try {
      const result = await runNexmark({ ...invocation, query });
      process.stdout.write(
        json ? `${JSON.stringify({ ...JSON.parse(toJsonLine(result)), query })}\n` : `${tableRow(result)}\n`,
      );
    } catch (error) {
      failures++;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`weir nexmark: ${query} failed: ${message.split("\n")[0]}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}
