/**
 * Fixtures for planner tests: a session built from a script, EXPLAIN text of one statement, and
 * two planning-only connectors that the built-in ones do not cover: `append-only-test` (a sink
 * that accepts inserts only, like a plain file sink) and `upsert-test` (a source that emits
 * upserts keyed by the table's primary key, like upsert-kafka). They are never run.
 * @module
 */

import type { Query } from "../../ast/queries.ts";
import { registerTableConnector } from "../../connectors/connector-registry.ts";
import { createFunctionCatalog } from "../../functions/builtin-catalog.ts";
import { parseStatement, parseStatements } from "../../parse.ts";
import type { LogicalNode } from "../../plan/logical-node.ts";
import type { StatementOutcome } from "../../session/session-contract.ts";
import { SqlSession } from "../../session/sql-session.ts";
import { convertQuery } from "../convert-query.ts";
import { formatLogicalPlan } from "../explain-plan.ts";
import { planSelect } from "../plan-job.ts";
import type { PlannerContext } from "../planner-context.ts";
import { type Rule, rewriteBottomUp } from "../rules/rewrite-plan.ts";

registerTableConnector({
  identifier: "append-only-test",
  requiredOptions: [],
  optionalOptions: [],
  createSink: () => ({
    acceptedModes: ["insert-only"],
    consume() {
      throw new Error("append-only-test is for planning only");
    },
  }),
});

registerTableConnector({
  identifier: "upsert-test",
  requiredOptions: [],
  optionalOptions: [],
  createSource: ({ table }) => {
    const physical = table.columns.filter((c) => c.kind === "physical");
    const upsertKey = (table.primaryKey ?? []).map((k) => physical.findIndex((c) => c.name === k));
    return {
      changelogMode: { kind: "upsert", upsertKey },
      bounded: false,
      createStream(): never {
        throw new Error("upsert-test is for planning only");
      },
    };
  },
});

/** A session that has executed every statement of `script`. */
export function sessionOf(script: string, config: Record<string, string> = {}): SqlSession {
  const session = new SqlSession({ config });
  for (const statement of parseStatements(script)) session.execute(statement);
  return session;
}

export function run(session: SqlSession, sql: string): StatementOutcome {
  return session.execute(parseStatement(sql));
}

/** The text of `EXPLAIN …` as the client prints it. */
export function explain(session: SqlSession, sql: string): string {
  const outcome = run(session, sql);
  if (outcome.kind !== "table") throw new Error(`EXPLAIN returned ${outcome.kind}`);
  return outcome.rows[0]![0]!;
}

/** The optimized physical plan section of an EXPLAIN. */
export function physicalPlan(session: SqlSession, sql: string): string {
  const text = explain(session, sql);
  return text
    .slice(text.indexOf("== Optimized Physical Plan ==\n") + "== Optimized Physical Plan ==\n".length)
    .trimEnd();
}

/** The abstract syntax tree section of an EXPLAIN. */
export function astPlan(session: SqlSession, sql: string): string {
  const text = explain(session, sql);
  return text
    .slice("== Abstract Syntax Tree ==\n".length, text.indexOf("\n\n== Optimized Physical Plan =="))
    .trimEnd();
}

function plannerContext(session: SqlSession): PlannerContext {
  let correlation = 0;
  return {
    catalog: session.catalog,
    functions: createFunctionCatalog(),
    functionContext: { timeZone: "UTC" },
    config: session.config,
    nextCorrelationId: () => ++correlation,
  };
}

function queryOf(sql: string): Query {
  const statement = parseStatement(sql);
  if (statement.kind !== "query") throw new Error("expected a SELECT");
  return statement;
}

/** The logical plan of a SELECT after all rewrite rules, in EXPLAIN's `$i` notation. */
export function optimizedPlan(session: SqlSession, sql: string): string {
  const job = planSelect(queryOf(sql), plannerContext(session));
  return formatLogicalPlan(job.sinks[0]!.optimized);
}

/** The logical plan of a SELECT after one whole-plan `transform` (e.g. column pruning). */
export function planTransformed(
  session: SqlSession,
  sql: string,
  transform: (root: LogicalNode) => LogicalNode,
): string {
  const plan = convertQuery(queryOf(sql), { ctx: plannerContext(session), ctes: new Map(), outer: null });
  return formatLogicalPlan(transform(plan));
}

/** The logical plan of a SELECT after only `rules` (to test one rule without the others). */
export function planAfter(session: SqlSession, sql: string, ...rules: Rule[]): string {
  let plan = convertQuery(queryOf(sql), { ctx: plannerContext(session), ctes: new Map(), outer: null });
  for (const rule of rules) plan = rewriteBottomUp(plan, rule);
  return formatLogicalPlan(plan);
}
