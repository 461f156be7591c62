/**
 * A SQL script submitted to a cluster as one job (`POST /jobs` with `{ "sql": … }`, `weir jobs
 * submit --sql`), checked before the JobManager accepts it, as Flink's SQL gateway does for
 * `EXECUTE STATEMENT SET`:
 *
 * - the whole script must parse (a syntax error anywhere refuses it: nothing ran yet);
 * - besides DDL, SET, RESET and USE it holds INSERTs and statement sets — together they become
 *   one job, a statement set — or a single CREATE TABLE … AS SELECT; a SELECT is refused, since a
 *   cluster job's results go to sinks, not back to the client;
 * - the job is planned in a fresh session, so planning errors come back too.
 *
 * Every error is a {@link SqlValidationError} or {@link SqlSyntaxError}: its message starts with
 * `line L, column C: `. Invariant: the returned params rebuild, in the SQL job module, exactly the
 * job planned here (same script, same session-changing statements, same statement indexes).
 *
 * Example: `CREATE TABLE s …; CREATE TABLE a …; CREATE TABLE b …; INSERT INTO a SELECT …;
 * INSERT INTO b SELECT …` → `{ params: { script, statementIndex: 4, statementSet: [3, 4],
 * config: {} }, jobName: "insert-into_default_catalog.default_database.a,…" }`.
 * @module
 */

import type { Insert, Statement, StatementSet } from "../ast/statements.ts";
import { parseStatements } from "../parse.ts";
import { SqlValidationError } from "../planner/sql-validation-error.ts";
import { SqlSession } from "../session/sql-session.ts";
import { changesSession, loadStatementDependencies } from "./script-statements.ts";
import type { SqlJobParams } from "./sql-job.ts";

// Not imported from sql-job.ts, which imports this module.
const SQL_JOB_URL = new URL("./sql-job.ts", import.meta.url).href;

export interface ClusterScriptJob {
  /** The SQL job module (`SQL_JOB_MODULE`), which every TaskManager imports from its own install. */
  readonly moduleUrl: string;
  readonly params: SqlJobParams;
  /** `pipeline.name` when the script sets it, else the planner's `insert-into_<targets>`. */
  readonly jobName: string;
}

/** Parses, checks and plans `script` as one cluster job; throws a positioned error if it cannot run. */
export async function planClusterScript(script: string): Promise<ClusterScriptJob> {
  const statements = parseStatements(script);
  const jobIndexes: number[] = [];
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    if (changesSession(statement) && !(statement.kind === "create-table" && statement.asQuery !== null))
      continue;
    if (
      statement.kind === "insert" ||
      statement.kind === "statement-set" ||
      statement.kind === "create-table"
    ) {
      jobIndexes.push(i);
      continue;
    }
    if (statement.kind === "query")
      throw new SqlValidationError(
        statement.span,
        "a SELECT cannot be submitted to a cluster: its results would have nowhere to go; " +
          "write them to a sink table with INSERT INTO (or run the script locally with weir sql)",
      );
    throw new SqlValidationError(
      statement.span,
      `a script submitted to a cluster holds DDL, SET, RESET, USE and INSERT statements, not ${keyword(script, statement)}`,
    );
  }
  if (jobIndexes.length === 0)
    throw new SqlValidationError(
      { line: 1, column: 1, offset: 0 },
      "the script has no INSERT statement: a cluster job needs at least one INSERT INTO a sink table",
    );
  const last = jobIndexes[jobIndexes.length - 1]!;
  const ctas = jobIndexes.find((i) => statements[i]!.kind === "create-table");
  if (ctas !== undefined && jobIndexes.length > 1)
    throw new SqlValidationError(
      statements[ctas]!.span,
      "CREATE TABLE … AS SELECT cannot run in one job with other INSERTs; create the table first and INSERT INTO it",
    );
  const session = new SqlSession({ config: {} });
  // The job module replays exactly these statements (those before the last job statement that
  // change the session): planning them here finds the errors the workers would hit.
  for (let i = 0; i < last; i++) {
    const statement = statements[i]!;
    if (!changesSession(statement) || (statement.kind === "create-table" && statement.asQuery !== null))
      continue;
    await loadStatementDependencies(statement);
    session.execute(statement);
  }
  const job = jobStatement(statements, jobIndexes);
  await loadStatementDependencies(job);
  const outcome = session.execute(job);
  const planned = outcome.kind === "job" ? outcome.jobName : "sql-script";
  const params: SqlJobParams = {
    script,
    statementIndex: last,
    config: {},
    ...(jobIndexes.length > 1 ? { statementSet: jobIndexes } : {}),
  };
  return { moduleUrl: SQL_JOB_URL, params, jobName: session.config.get("pipeline.name") ?? planned };
}

/** The statement's first word as written, upper-cased: `a SHOW statement`. */
function keyword(script: string, statement: Statement): string {
  const word = /^[A-Za-z]+/.exec(script.slice(statement.span.start.offset))?.[0] ?? statement.kind;
  return `a ${word.toUpperCase()} statement`;
}

/**
 * The statement the job runs: the only job statement, or one statement set of every INSERT of the
 * script in order (those of its own statement sets included).
 */
export function jobStatement(statements: readonly Statement[], jobIndexes: readonly number[]): Statement {
  if (jobIndexes.length === 1) return statements[jobIndexes[0]!]!;
  const inserts: Insert[] = [];
  for (const i of jobIndexes) {
    const statement = statements[i]!;
    if (statement.kind === "insert") inserts.push(statement);
    else if (statement.kind === "statement-set") inserts.push(...statement.inserts);
    else throw new SqlValidationError(statement.span, `statement ${i} is not an INSERT`);
  }
  const first = statements[jobIndexes[0]!]!.span;
  const lastSpan = statements[jobIndexes[jobIndexes.length - 1]!]!.span;
  const set: StatementSet = {
    kind: "statement-set",
    form: "execute",
    inserts,
    span: { start: first.start, end: lastSpan.end },
  };
  return set;
}
