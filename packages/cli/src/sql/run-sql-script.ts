/**
 * Runs a SQL script on the local mini-cluster, statement by statement, as Flink's SQL client does
 * with `-f`: DDL, SET, SHOW, … act on the session at once; each SELECT, INSERT or statement set is
 * planned (so errors surface before anything runs), then run as a job of the SQL job module, and a
 * SELECT's result changelog is materialized into its final rows.
 *
 * Contract (`weir/sql-runner`): {@link runSqlScript} resolves with one result per statement, or
 * throws {@link SqlScriptError} for the first statement that fails (statements before it have run).
 * A SELECT must be bounded: a script cannot show an endless result, so a SELECT over an unbounded
 * source (e.g. `datagen` without `number-of-rows`) is an error; write such queries as
 * `INSERT INTO` a sink table (`print`, `blackhole`, …) instead. Example:
 * ```ts
 * const { results } = await runSqlScript("SELECT 1 AS one, 'a' AS s");
 * // results: [{ kind: "select", line: 1, columns: ["one", "s"], rows: [{ one: 1, s: "a" }] }]
 * ```
 * @module
 */

import { randomUUID } from "node:crypto";
import { ExecutionMode } from "@weir/api";
import { JobCancelledError, JobExecutionError, runJob } from "@weir/runtime";
import {
  ChangelogMaterializer,
  changesSession,
  loadStatementDependencies,
  parseScriptPrefix,
  type Row,
  type RowData,
  type LogicalRowType as RowType,
  rowToJsonObject,
  SQL_JOB_MODULE,
  type SqlJobParams,
  SqlSession,
  type Statement,
  sessionTimeZone,
  takeResultSink,
} from "@weir/sql";
import { SqlScriptError, scriptError } from "./sql-script-error.ts";

export { SqlScriptError } from "./sql-script-error.ts";

export type ScriptStatementResult =
  | { kind: "select"; line: number; columns: string[]; rows: Record<string, unknown>[] }
  | { kind: "ok"; line: number; message: string }
  | { kind: "table"; line: number; columns: string[]; rows: string[][] }
  | { kind: "insert"; line: number };

export interface ScriptRunResult {
  results: ScriptStatementResult[];
}

export interface ScriptRunOptions {
  /** Default parallelism of each job (default: `parallelism.default` from the session, else 1). */
  readonly parallelism?: number;
  /** The session's initial configuration, as `SET 'key' = 'value'` would set it. */
  readonly config?: Record<string, string>;
  /** Cancels the running job and stops the script. */
  readonly signal?: AbortSignal;
}

/** A statement's result with everything a renderer needs (the CLI's tableau and changelog views). */
export type DetailedStatementResult =
  | {
      readonly kind: "select";
      readonly line: number;
      readonly schema: RowType;
      /** The result changelog as collected, in arrival order. */
      readonly changelog: readonly RowData[];
      /** The final rows after all retractions. */
      readonly rows: readonly Row[];
      readonly timeZone: string;
    }
  | { readonly kind: "ok"; readonly line: number; readonly message: string }
  | {
      readonly kind: "table";
      readonly line: number;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: "insert"; readonly line: number; readonly jobName: string };

function executionModeOf(config: ReadonlyMap<string, string>): ExecutionMode | undefined {
  const mode = config.get("execution.runtime-mode")?.toLowerCase();
  if (mode === "batch") return ExecutionMode.BATCH;
  if (mode === "streaming") return ExecutionMode.STREAMING;
  return undefined;
}

function parallelismOf(options: ScriptRunOptions, config: ReadonlyMap<string, string>): number {
  if (options.parallelism !== undefined) return options.parallelism;
  const configured = Number(config.get("parallelism.default"));
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 1;
}

/**
 * The text a job's workers replay: `text` up to the end of statement `upTo`, with every statement
 * that must not be replayed (failed, or not changing the session) blanked out — spaces, newlines
 * kept — so every kept statement stays at its line and column.
 */
function replayText(
  text: string,
  statements: readonly Statement[],
  keep: (index: number) => boolean,
  upTo: number,
): string {
  let out = "";
  let from = 0;
  for (let i = 0; i <= upTo && i < statements.length; i++) {
    const { start, end } = statements[i]!.span;
    out += text.slice(from, start.offset);
    const body = text.slice(start.offset, end.offset);
    out += keep(i) ? body : body.replace(/[^\n\r]/g, " ");
    from = end.offset;
  }
  return out;
}

/**
 * A client session: the SQL session plus what its jobs' workers need to rebuild it. Texts given to
 * {@link SqlClient.execute} accumulate (the interactive client sends one statement at a time);
 * statements that failed are left out of what workers replay.
 */
export class SqlClient {
  readonly #options: ScriptRunOptions;
  readonly #initialConfig: Record<string, string>;
  readonly #session: SqlSession;
  /** Session-changing statements that succeeded in earlier texts, as replayable SQL. */
  #history = "";
  #historyCount = 0;

  constructor(options: ScriptRunOptions = {}) {
    this.#options = options;
    this.#initialConfig = { ...(options.config ?? {}) };
    this.#session = new SqlSession({ config: this.#initialConfig });
  }

  /** The session's effective configuration. */
  get config(): ReadonlyMap<string, string> {
    return this.#session.config;
  }

  /**
   * Runs the statements of `text` in order, calling `onResult` after each (so results show as they
   * come). Throws {@link SqlScriptError} for the first failing statement; the ones before it ran.
   */
  async execute(
    text: string,
    onResult: (result: DetailedStatementResult) => void,
    signal: AbortSignal | undefined = this.#options.signal,
  ): Promise<void> {
    const { statements, error: syntaxError } = parseScriptPrefix(text);
    const kept: boolean[] = [];
    const keep = (i: number) => kept[i] === true;
    try {
      for (let index = 0; index < statements.length; index++) {
        const statement = statements[index]!;
        try {
          await this.#executeOne(text, statements, index, keep, onResult, signal);
        } catch (error) {
          if (error instanceof JobCancelledError) throw error;
          throw scriptError(
            error instanceof JobExecutionError ? new Error(error.message) : error,
            statement,
            index,
          );
        }
        kept[index] = changesSession(statement);
      }
    } finally {
      const last = statements.length - 1;
      if (kept.some(Boolean)) {
        this.#history += `${replayText(text, statements, keep, last)};\n`;
        this.#historyCount += kept.filter(Boolean).length;
      }
    }
    if (syntaxError !== null) throw scriptError(syntaxError, undefined, statements.length);
  }

  async #executeOne(
    text: string,
    statements: readonly Statement[],
    index: number,
    keep: (index: number) => boolean,
    onResult: (result: DetailedStatementResult) => void,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const statement = statements[index]!;
    const line = statement.span.start.line;
    const session = this.#session;
    await loadStatementDependencies(statement);
    const outcome = session.execute(statement);
    if (outcome.kind === "ok") {
      onResult({ kind: "ok", line, message: outcome.message });
      return;
    }
    if (outcome.kind === "table") {
      onResult({ kind: "table", line, columns: outcome.columns, rows: outcome.rows });
      return;
    }
    if (outcome.schema !== null && !outcome.bounded) {
      throw new Error(
        "the SELECT reads an unbounded source, so its result never ends; a script can only run bounded " +
          "SELECTs (bound the source, e.g. 'number-of-rows' for datagen, or INSERT INTO a sink table)",
      );
    }
    const runId = randomUUID();
    const ownText = replayText(text, statements, (i) => i === index || keep(i), index);
    let statementIndex = this.#historyCount;
    for (let i = 0; i < index; i++) if (keep(i)) statementIndex++;
    const params: SqlJobParams = {
      script: this.#history + ownText,
      statementIndex,
      config: this.#initialConfig,
      runId,
    };
    const mode = executionModeOf(session.config);
    const result = await runJob(SQL_JOB_MODULE, {
      parallelism: parallelismOf(this.#options, session.config),
      params,
      jobName: outcome.jobName,
      ...(mode !== undefined ? { executionMode: mode } : {}),
      ...(signal !== undefined ? { signal } : {}),
    });
    const sink = takeResultSink(runId);
    if (outcome.schema === null || sink === null) {
      onResult({ kind: "insert", line, jobName: outcome.jobName });
      return;
    }
    const changelog = result.collected(sink);
    const materializer = new ChangelogMaterializer();
    materializer.apply(changelog);
    onResult({
      kind: "select",
      line,
      schema: outcome.schema,
      changelog,
      rows: materializer.rows(),
      timeZone: sessionTimeZone(session.config),
    });
  }
}

/** Runs `script` in a new {@link SqlClient}, calling `onResult` after each statement. */
export async function executeSqlScript(
  script: string,
  options: ScriptRunOptions,
  onResult: (result: DetailedStatementResult) => void,
): Promise<void> {
  await new SqlClient(options).execute(script, onResult);
}

/** Runs `script` and returns every statement's result; see the module documentation. */
export async function runSqlScript(script: string, options: ScriptRunOptions = {}): Promise<ScriptRunResult> {
  const results: ScriptStatementResult[] = [];
  await executeSqlScript(script, options, (result) => {
    switch (result.kind) {
      case "select":
        results.push({
          kind: "select",
          line: result.line,
          columns: result.schema.fields.map((f) => f.name),
          rows: result.rows.map((row) => rowToJsonObject(row, result.schema, result.timeZone)),
        });
        break;
      case "table":
        results.push({
          kind: "table",
          line: result.line,
          columns: [...result.columns],
          rows: result.rows.map((row) => [...row]),
        });
        break;
      case "ok":
        results.push({ kind: "ok", line: result.line, message: result.message });
        break;
      case "insert":
        results.push({ kind: "insert", line: result.line });
        break;
    }
  });
  return { results };
}
