/**
 * The SQL job module: how a job statement of a script (SELECT, INSERT, statement set) becomes a
 * running job. The client runs this module with `runJob`; every worker thread imports it too and
 * rebuilds the same graph (DESIGN.md §4), so the graph is derived from the params alone:
 *
 * 1. parse the script (statements up to `statementIndex` must parse);
 * 2. replay, in a fresh session created with `config`, the statements before `statementIndex` that
 *    change the session (DDL, SET, RESET, USE), loading the connectors of the tables they create;
 * 3. `session.translate` the statement at `statementIndex` into the environment.
 *
 * Example params: `{ script: "CREATE TABLE t …; SELECT * FROM t", statementIndex: 1, config: {} }`.
 * Invariant: the client and the workers see the same statements (see `script-statements.ts`), and
 * planning is deterministic, so every copy builds the same graph.
 * @module
 */

import { isMainThread } from "node:worker_threads";
import { defineJob, type Sink } from "@weir/api";
import type { RowData } from "../data/row.ts";
import { SqlSession } from "../session/sql-session.ts";
import { jobStatement } from "./cluster-script.ts";
import { changesSession, loadStatementDependencies, parseScriptPrefix } from "./script-statements.ts";

export interface SqlJobParams {
  readonly script: string;
  /** Index of the job statement among the script's statements (0-based, empty statements skipped). */
  readonly statementIndex: number;
  /** The session's initial configuration (`--set` values); the script's own SET statements are replayed. */
  readonly config: Record<string, string>;
  /**
   * Indexes of INSERTs and statement sets that run together as one statement set (a script
   * submitted to a cluster, see `cluster-script.ts`); `statementIndex` is then the last of them.
   */
  readonly statementSet?: readonly number[];
  /**
   * Set by an in-process client to get the SELECT's result sink back (see {@link takeResultSink});
   * workers ignore it.
   */
  readonly runId?: string;
}

/** The URL to pass to `runJob` for this module. */
export const SQL_JOB_MODULE: string = new URL("./sql-job.ts", import.meta.url).href;

/** Result sinks translated in this thread, by run id; read once by the client that ran the job. */
const resultSinks = new Map<string, Sink<RowData, unknown> | null>();

/**
 * The result sink the job of `runId` translated in this thread (the coordinator thread of a local
 * `runJob`, which builds the graph once before the workers do); null for INSERT.
 */
export function takeResultSink(runId: string): Sink<RowData, unknown> | null {
  const sink = resultSinks.get(runId);
  resultSinks.delete(runId);
  if (sink === undefined) throw new Error(`no SQL job with run id ${runId} was translated in this thread`);
  return sink;
}

/** Forgets the result sink of `runId` if one was translated (a client that did not take it). */
export function discardResultSink(runId: string): void {
  resultSinks.delete(runId);
}

export default defineJob(async (env, params: SqlJobParams) => {
  const { statements, error } = parseScriptPrefix(params.script);
  const indexed = statements[params.statementIndex];
  if (indexed === undefined) {
    throw (
      error ??
      new RangeError(`the script has no statement ${params.statementIndex} (it has ${statements.length})`)
    );
  }
  const session = new SqlSession({ config: params.config });
  for (let i = 0; i < params.statementIndex; i++) {
    const earlier = statements[i]!;
    if (!changesSession(earlier)) continue;
    await loadStatementDependencies(earlier);
    session.execute(earlier);
  }
  // The session's Flink execution keys (SET 'execution.checkpointing.interval' …) travel with the
  // graph: a runner applies them under its caller's explicit settings (a cluster's REST fields).
  env.configure(Object.fromEntries(session.config));
  const statement =
    params.statementSet === undefined ? indexed : jobStatement(statements, params.statementSet);
  // The job's own statement may create a table (CREATE TABLE … AS SELECT is a job).
  await loadStatementDependencies(statement);
  const translated = session.translate(statement, env);
  // Only the client's thread reads it back; worker threads would just accumulate entries.
  if (params.runId !== undefined && isMainThread) resultSinks.set(params.runId, translated.resultSink);
});
