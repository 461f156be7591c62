/**
 * Runs a SQL script on the local mini-cluster, statement by statement, as Flink's SQL client does
 * with `-f`: DDL, SET, SHOW, … act on the session at once; each SELECT, INSERT or statement set is
 * planned (so errors surface before anything runs), then run as a job of the SQL job module, and a
 * SELECT's result changelog is materialized into its final rows.
 *
 * Contract (`weir/sql-runner`): {@link runSqlScript} resolves with one result per statement, or
 * throws {@link SqlScriptError} for the first statement that fails (statements before it have run).
 * A SELECT must be bounded unless the client streams results (`streamUnboundedSelects`, as
 * `weir sql` does): a SELECT over an unbounded source (e.g. `datagen` without `number-of-rows`) is
 * otherwise an error; write such queries as `INSERT INTO` a sink table (`print`, `blackhole`, …).
 * The session's Flink execution keys (`execution.checkpointing.*`, `restart-strategy.*`,
 * `execution.savepoint.path`, `pipeline.name`, `state.backend.type`, …) configure every job it
 * runs; see `executionSettingsFromConfig` in @weir/runtime. Example:
 * ```ts
 * const { results } = await runSqlScript("SELECT 1 AS one, 'a' AS s");
 * // results: [{ kind: "select", line: 1, columns: ["one", "s"], rows: [{ one: 1, s: "a" }] }]
 * ```
 * @module
 */

import { randomUUID } from "node:crypto";
import { ExecutionMode } from "@weir/api";
import {
  ConfigValueError,
  collectSinkName,
  type ExecutionSettings,
  executionSettingsFromConfig,
  JobCancelledError,
  JobExecutionError,
  runJob,
} from "@weir/runtime";
import {
  ChangelogMaterializer,
  changesSession,
  discardResultSink,
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
  /** Receives the jobs' events worth telling the user (restarts, restores, failed checkpoints). */
  readonly log?: (message: string) => void;
  /**
   * Run a SELECT over an unbounded source and report its changes as they become final
   * (`stream-start`, `stream-changes`…, `stream-end` results) until it is cancelled, as Flink's SQL
   * client does; without it such a SELECT is an error (default false: results must end).
   */
  readonly streamUnboundedSelects?: boolean;
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
  | {
      /** A SELECT over an unbounded source starts streaming its changes (`streamUnboundedSelects`). */
      readonly kind: "stream-start";
      readonly line: number;
      readonly schema: RowType;
      readonly timeZone: string;
    }
  | {
      /** Changes of the streaming SELECT, in order, each delivered once, as they became final. */
      readonly kind: "stream-changes";
      readonly line: number;
      readonly changes: readonly RowData[];
    }
  | {
      /** The streaming SELECT ended: its sources ended, or it was cancelled (then `execute` throws). */
      readonly kind: "stream-end";
      readonly line: number;
      readonly cancelled: boolean;
    }
  | { readonly kind: "ok"; readonly line: number; readonly message: string }
  | {
      readonly kind: "table";
      readonly line: number;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | {
      readonly kind: "insert";
      readonly line: number;
      readonly jobName: string;
      /** Checkpoints the job completed and restarts it went through. */
      readonly completedCheckpoints: number;
      readonly restarts: number;
    };

function executionModeOf(config: ReadonlyMap<string, string>): ExecutionMode | undefined {
  const mode = config.get("execution.runtime-mode")?.toLowerCase();
  if (mode === "batch") return ExecutionMode.BATCH;
  if (mode === "streaming") return ExecutionMode.STREAMING;
  return undefined;
}

/**
 * The run options the session's configuration asks for (checkpointing, restart strategy, savepoint
 * restore, state backend, `pipeline.name`), read with Flink's keys; see `executionSettingsFromConfig`.
 */
function executionSettingsOf(config: ReadonlyMap<string, string>): ExecutionSettings {
  try {
    return executionSettingsFromConfig(config);
  } catch (error) {
    if (error instanceof ConfigValueError) throw new Error(`bad session option ${error.message}`);
    throw error;
  }
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
    const streaming = outcome.schema !== null && !outcome.bounded;
    if (streaming && this.#options.streamUnboundedSelects !== true) {
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
    const { jobName = outcome.jobName, ...execution } = executionSettingsOf(session.config);
    const log = this.#options.log;
    const runOptions = {
      ...execution,
      parallelism: parallelismOf(this.#options, session.config),
      params,
      jobName,
      ...(mode !== undefined ? { executionMode: mode } : {}),
      ...(signal !== undefined ? { signal } : {}),
      ...(log !== undefined ? { log } : {}),
    };
    if (streaming && outcome.schema !== null) {
      const timeZone = sessionTimeZone(session.config);
      onResult({ kind: "stream-start", line, schema: outcome.schema, timeZone });
      // The job's only collect sink is the result sink, translated before any record arrives.
      let resultSink: string | undefined;
      const onCollected = (sink: string, records: readonly unknown[]) => {
        resultSink ??= collectSinkName(takeResultSink(runId));
        if (sink === resultSink && records.length > 0)
          onResult({ kind: "stream-changes", line, changes: records as readonly RowData[] });
      };
      try {
        await runJob(SQL_JOB_MODULE, { ...runOptions, onCollected });
      } catch (error) {
        if (error instanceof JobCancelledError) onResult({ kind: "stream-end", line, cancelled: true });
        throw error;
      } finally {
        if (resultSink === undefined) discardResultSink(runId);
      }
      onResult({ kind: "stream-end", line, cancelled: false });
      return;
    }
    const result = await runJob(SQL_JOB_MODULE, runOptions);
    const figures = { completedCheckpoints: result.completedCheckpoints, restarts: result.restarts };
    const sink = takeResultSink(runId);
    if (outcome.schema === null || sink === null) {
      onResult({ kind: "insert", line, jobName, ...figures });
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
