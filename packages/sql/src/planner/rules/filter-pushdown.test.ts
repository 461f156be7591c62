/**
 * Filter pushdown (with constant folding and project merging), checked on the logical plan.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFunctionCatalog } from "../../functions/builtin-catalog.ts";
import { planAfter, sessionOf } from "../testing/planner-fixtures.ts";
import { constantFoldingRule } from "./constant-folding.ts";
import { filterPushdownRule } from "./filter-pushdown.ts";
import { mergeProjectsRule } from "./merge-projects.ts";

/** Constant folding, then filter pushdown with project merging, as the optimizer runs them. */
const optimizedPlan = (session: ReturnType<typeof sessionOf>, sql: string): string =>
  planAfter(session, sql, constantFoldingRule(createFunctionCatalog(), { timeZone: "UTC" }), (node) => {
    const pushed = filterPushdownRule(node);
    return pushed === node ? mergeProjectsRule(node) : pushed;
  });

const session = sessionOf(`
CREATE TABLE l (a INT, b STRING) WITH ('connector' = 'datagen');
CREATE TABLE r (c INT, d STRING) WITH ('connector' = 'datagen');`);

const L = "LogicalTableScan(table=[[default_catalog, default_database, l]])";
const R = "LogicalTableScan(table=[[default_catalog, default_database, r]])";

describe("filter pushdown", () => {
  it("moves a filter below a projection by substituting its expressions", () => {
    assert.equal(
      optimizedPlan(session, "SELECT x FROM (SELECT a + 1 AS x FROM l) WHERE x > 5"),
      ["LogicalProject(x=[+($0, 1)])", "+- LogicalFilter(condition=[>(+($0, 1), 5)])", `   +- ${L}`].join(
        "\n",
      ),
    );
  });

  it("splits WHERE conjuncts of an inner join into its sides and its condition", () => {
    assert.equal(
      optimizedPlan(session, "SELECT a, d FROM l, r WHERE a = c AND b = 'x' AND d = 'y'"),
      [
        "LogicalProject(a=[$0], d=[$3])",
        "+- LogicalJoin(condition=[=($0, $2)], joinType=[inner])",
        "   :- LogicalFilter(condition=[=($1, 'x')])",
        `   :  +- ${L}`,
        "   +- LogicalFilter(condition=[=($1, 'y')])",
        `      +- ${R}`,
      ].join("\n"),
    );
  });

  it("keeps a condition on the NULL-padded side of a LEFT JOIN above the join", () => {
    const plan = optimizedPlan(session, "SELECT a, d FROM l LEFT JOIN r ON a = c WHERE d IS NULL AND a > 1");
    assert.equal(
      plan,
      [
        "LogicalProject(a=[$0], d=[$3])",
        "+- LogicalFilter(condition=[IS NULL($3)])",
        "   +- LogicalJoin(condition=[=($0, $2)], joinType=[left])",
        "      :- LogicalFilter(condition=[>($0, 1)])",
        `      :  +- ${L}`,
        `      +- ${R}`,
      ].join("\n"),
    );
  });

  it("moves a right-side ON condition of a LEFT JOIN into the right input only", () => {
    const plan = optimizedPlan(session, "SELECT a, d FROM l LEFT JOIN r ON a = c AND d = 'y' AND b = 'x'");
    assert.equal(
      plan,
      [
        "LogicalProject(a=[$0], d=[$3])",
        "+- LogicalJoin(condition=[AND(=($0, $2), =($1, 'x'))], joinType=[left])",
        `   :- ${L}`,
        "   +- LogicalFilter(condition=[=($1, 'y')])",
        `      +- ${R}`,
      ].join("\n"),
    );
  });

  it("pushes conditions on group keys below an aggregate, and not others", () => {
    const plan = optimizedPlan(
      session,
      "SELECT b, n FROM (SELECT b, COUNT(*) AS n FROM l GROUP BY b) WHERE b <> 'z' AND n > 2",
    );
    assert.equal(
      plan,
      [
        "LogicalFilter(condition=[>($1, 2:BIGINT)])",
        "+- LogicalAggregate(group=[{0}], n=[COUNT()])",
        "   +- LogicalProject(b=[$1])",
        "      +- LogicalFilter(condition=[<>($1, 'z')])",
        `         +- ${L}`,
      ].join("\n"),
    );
  });

  it("pushes a filter into every input of a UNION ALL", () => {
    const plan = optimizedPlan(
      session,
      "SELECT * FROM (SELECT a FROM l UNION ALL SELECT c FROM r) WHERE a > 0",
    );
    assert.equal(
      plan,
      [
        "LogicalUnion(all=[true])",
        ":- LogicalProject(a=[$0])",
        ":  +- LogicalFilter(condition=[>($0, 0)])",
        `:     +- ${L}`,
        "+- LogicalProject(c=[$0])",
        "   +- LogicalFilter(condition=[>($0, 0)])",
        `      +- ${R}`,
      ].join("\n"),
    );
  });
});
