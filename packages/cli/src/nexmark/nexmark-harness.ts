/**
 * Runs Nexmark queries and measures them like the reference runner (nexmark.md §3.1): wall time
 * from job start to finish, cores from the CPU time all of Weir's threads used (the generator
 * included, as Flink's figures include it), events/s and events/s per core.
 *
 * A SQL query runs as the reference runs it: the generator table, the views, and the query as an
 * INSERT into a blackhole sink. `--api datastream` runs the DataStream implementation instead (q5,
 * q7); the `generator` pseudo-query runs the source alone into a discarding sink.
 * @module
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchmarkResult, computeResult, runJob, timeRun } from "@weir/runtime";
import { runSqlScript } from "../sql/run-sql-script.ts";
import { DATASTREAM_QUERIES } from "./nexmark-queries.ts";
import { nexmarkScript } from "./nexmark-script.ts";

export type NexmarkApi = "sql" | "datastream";

export interface NexmarkRunOptions {
  /** `q0` … `q22`, or `generator` for the source alone. */
  readonly query: string;
  readonly events: number;
  readonly parallelism: number;
  /** Events per second of event time over all generators (the reference runs 10 M/s). */
  readonly rate: number;
  readonly api: NexmarkApi;
}

export interface NexmarkResult extends BenchmarkResult {
  readonly query: string;
}

/** Runs one query once and measures it. */
export async function runNexmark(options: NexmarkRunOptions): Promise<NexmarkResult> {
  const { query, events, parallelism, rate } = options;
  const source = { eventsNum: events, firstEventRate: rate };
  let run: () => Promise<unknown>;
  if (query === "generator") {
    const job = import.meta.resolve("@weir/connector-nexmark/jobs/generator-only");
    run = () => runJob(new URL(job), { parallelism, params: { source } });
  } else if (options.api === "datastream") {
    const specifier = DATASTREAM_QUERIES[query];
    if (specifier === undefined) {
      throw new Error(
        `query ${query} has no DataStream implementation; those are: ${Object.keys(DATASTREAM_QUERIES).join(", ")}`,
      );
    }
    run = () => runJob(new URL(import.meta.resolve(specifier)), { parallelism, params: { source } });
  } else {
    const script = await nexmarkScript(query, {
      events,
      rate,
      workDir: join(tmpdir(), `weir-nexmark-${process.pid}`),
    });
    run = () => runSqlScript(script, { parallelism });
  }
  const timed = await timeRun(run);
  const name = options.api === "datastream" ? `nexmark-${query}-datastream` : `nexmark-${query}`;
  return { ...computeResult(name, events, timed.wallSeconds, timed.cpuSeconds), query };
}
