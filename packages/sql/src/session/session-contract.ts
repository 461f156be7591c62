/**
 * The contract of a SQL session: what the client (`weir sql`, the SQL job module, golden tests)
 * calls, and what the planner implements in `sql-session.ts`.
 *
 * How a script runs. A script is a list of statements. DDL, SET / RESET, SHOW, DESCRIBE and
 * EXPLAIN change or read the session and finish at once. SELECT, INSERT and statement sets are
 * *jobs*: the client first calls {@link SqlSessionApi.execute} (which validates and plans, so every
 * error surfaces before anything runs), then runs the SQL job module on the runtime. Every worker
 * re-creates the session by replaying the script's non-job statements up to the job's index and
 * calls {@link SqlSessionApi.translate}; planning is deterministic, so every worker builds the same
 * graph.
 * @module
 */

import type { ExecutionEnvironment, Sink } from "@weir/api";
import type { Statement } from "../ast/statements.ts";
import type { RowData } from "../data/row.ts";
import type { FunctionDefinition } from "../functions/function-definition.ts";
import type { RowType } from "../types/logical-type.ts";

export interface SqlSessionOptions {
  /** Initial configuration (`SET` keys), e.g. `execution.runtime-mode`, `table.local-time-zone`. */
  readonly config?: Readonly<Record<string, string>>;
  /** User-defined functions written in TypeScript, by the name SQL calls them. */
  readonly functions?: Readonly<Record<string, FunctionDefinition>>;
}

/** The result of one statement, as the client shows it. */
export type StatementOutcome =
  /** DDL, SET, RESET, USE …: Flink's client prints `[INFO] …`. */
  | { readonly kind: "ok"; readonly message: string }
  /** SHOW, DESCRIBE, EXPLAIN, SET without arguments: a small table computed without a job. */
  | {
      readonly kind: "table";
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  /** SELECT, INSERT, statement set: validated and planned; run it with the SQL job module. */
  | {
      readonly kind: "job";
      /** The output schema of a SELECT; null for INSERT / statement sets. */
      readonly schema: RowType | null;
      /** True when every source is bounded (the job ends by itself). */
      readonly bounded: boolean;
      /** The job's name as Flink shows it, e.g. `insert-into_default_catalog.default_database.t`. */
      readonly jobName: string;
    };

/** What `translate` leaves in the environment. */
export interface TranslatedJob {
  /** For a SELECT: the sink that receives the result changelog (read with `collected(sink)`). */
  readonly resultSink: Sink<RowData, unknown> | null;
  readonly schema: RowType | null;
}

export interface SqlSessionApi {
  /** Runs or plans one statement; throws a `SqlError` (with the statement's line:column) on bad input. */
  execute(statement: Statement): StatementOutcome;
  /** Builds the stream graph of a job statement (SELECT / INSERT / statement set) into `env`. */
  translate(statement: Statement, env: ExecutionEnvironment): TranslatedJob;
  /** The effective configuration (defaults plus SET). */
  readonly config: ReadonlyMap<string, string>;
}
