/**
 * Flags and help of `weir nexmark`.
 * @module
 */

import { type CommandSpec, HELP_FLAG } from "../command-spec.ts";
import { DATASTREAM_QUERIES } from "./nexmark-queries.ts";

export const NEXMARK_COMMAND: CommandSpec = {
  name: "nexmark",
  usage: "weir nexmark --query <qN|all|generator> [flags]",
  summary: "Run Nexmark benchmark queries and report events/s per core",
  description:
    "Runs Nexmark queries as the reference runner does: the generator table with the given event count and\n" +
    "rate, the person/auction/bid views, and each query as an INSERT into a blackhole sink. Wall time runs from\n" +
    "job start to finish; cores are the CPU time of every Weir thread (the generator included) per wall second.\n" +
    "--query all runs the reference suite (q0-q22 without q6); --query generator measures the source alone.\n" +
    "The generator is deterministic: the same flags give the same events.",
  flags: [
    {
      name: "query",
      short: "q",
      type: "string",
      value: "QUERY",
      description: "q0 … q22, all, or generator.",
    },
    {
      name: "events",
      short: "n",
      type: "string",
      value: "N",
      description: "Events to generate (default 10000000).",
    },
    {
      name: "parallelism",
      short: "p",
      type: "string",
      value: "P",
      description: "Parallelism of every operator, generators included (default 2).",
    },
    {
      name: "rate",
      type: "string",
      value: "EPS",
      description:
        "Events per second of event time, over all generators (default 10000000, the reference's).",
    },
    {
      name: "api",
      type: "string",
      value: "API",
      description: `sql (default) or datastream (q5 and q7 only: ${Object.keys(DATASTREAM_QUERIES).join(", ")}).`,
    },
    { name: "json", type: "boolean", description: "One JSON line per query instead of a table." },
    HELP_FLAG,
  ],
};
