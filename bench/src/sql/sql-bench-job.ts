/**
 * The shared body of the SQL benchmark job modules: a benchmark is a SQL script (DDL, then one
 * job statement) built from the event count, run through Weir's own SQL job module, so the
 * measured work is exactly what `weir sql` does for that script. Each benchmark has its own small
 * job module (the runner passes only `{ events, verify }`), which calls {@link buildSqlBenchJob}.
 *
 * Invariant: the script is a pure function of the params, so the coordinator and every worker
 * thread plan the same graph. In the verifying variant the job statement is a SELECT whose result
 * changelog is collected (read back with {@link verifiedRows}); otherwise it is an INSERT into a
 * `blackhole` table.
 * @module
 */

import type { ExecutionEnvironment, JobDefinition, JobExecutionResult } from "@weir/api";
import type { RowData, SqlJobParams } from "@weir/sql";
import { type BenchJobParams, eventsOf } from "../jobs/params.ts";

/**
 * `@weir/sql`, loaded by the first job build (in the coordinator thread, before any verification).
 * Loaded lazily so that `npm run bench` can list and run the other benchmarks even when the SQL
 * package does not load.
 */
let sql: typeof import("@weir/sql") | undefined;

/**
 * `rows-per-second` for `datagen` sources: Flink's default is 10 000 rows/s, which would make a
 * benchmark measure the throttle instead of the engine.
 */
export const UNTHROTTLED = 1_000_000_000;

export interface SqlBenchScript {
  /** DDL statements (each ending with `;`). */
  readonly ddl: readonly string[];
  /** The measured query, without `INSERT INTO`. */
  readonly query: string;
  /** `CREATE TABLE bench_sink (...)` column list matching the query's output, e.g. `a INT, b STRING`. */
  readonly sinkColumns: string;
  /** The SELECT the verifying variant runs instead (often an aggregate over the query). */
  readonly verifyQuery: string;
}

export async function buildSqlBenchJob(
  env: ExecutionEnvironment,
  params: BenchJobParams,
  runId: string,
  scriptFor: (events: number) => SqlBenchScript,
): Promise<void> {
  const events = eventsOf(params);
  const bench = scriptFor(events);
  const statements = [...bench.ddl];
  if (params.verify === true) {
    statements.push(`${bench.verifyQuery};`);
  } else {
    statements.push(`CREATE TABLE bench_sink (${bench.sinkColumns}) WITH ('connector' = 'blackhole');`);
    statements.push(`INSERT INTO bench_sink ${bench.query};`);
  }
  sql ??= await import("@weir/sql");
  const module = (await import(sql.SQL_JOB_MODULE)) as { default: JobDefinition<SqlJobParams> };
  await module.default.build(env, {
    script: statements.join("\n"),
    statementIndex: statements.length - 1,
    config: {},
    runId,
  });
}

/**
 * The final rows of the verifying SELECT: its changelog folded (+I/+U add a row, -U/-D remove an
 * equal one). Fields as the SQL values representation holds them (BIGINT as bigint).
 */
export function verifiedRows(result: JobExecutionResult, runId: string): unknown[][] {
  if (sql === undefined) throw new Error(`the verifying job ${runId} was not built in this thread`);
  const sink = sql.takeResultSink(runId);
  if (sink === null) throw new Error(`the verifying job ${runId} had no SELECT result`);
  const rows = new Map<string, { fields: unknown[]; count: number }>();
  const keyOf = (fields: unknown[]): string =>
    JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  for (const row of result.collected(sink) as RowData[]) {
    const key = keyOf(row.fields);
    const entry = rows.get(key) ?? { fields: row.fields, count: 0 };
    entry.count += row.kind === 0 || row.kind === 2 ? 1 : -1;
    rows.set(key, entry);
  }
  const out: unknown[][] = [];
  for (const { fields, count } of rows.values()) {
    if (count < 0)
      throw new Error(`the changelog of ${runId} retracts a row it never sent: ${keyOf(fields)}`);
    for (let i = 0; i < count; i++) out.push(fields);
  }
  return out;
}
