/**
 * Constant folding over whole queries (the full rewrite program), checked on the optimized plan.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { optimizedPlan, sessionOf } from "../testing/planner-fixtures.ts";

const session = sessionOf("CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'datagen')");

describe("constant folding", () => {
  it("evaluates constant arithmetic and drops conditions that are always true", () => {
    assert.equal(
      optimizedPlan(session, "SELECT a FROM t WHERE 1 + 1 = 2 AND a > 2 * 3"),
      [
        "LogicalProject(a=[$0])",
        "+- LogicalFilter(condition=[>($0, 6)])",
        "   +- LogicalTableScan(table=[[default_catalog, default_database, t, project=[a]]])",
      ].join("\n"),
    );
  });

  it("replaces a filter that is always false by empty VALUES", () => {
    assert.equal(
      optimizedPlan(session, "SELECT a FROM t WHERE 1 = 0"),
      "LogicalProject(a=[$0])\n+- LogicalValues(tuples=[[]])",
    );
  });

  it("folds constant string functions in projections", () => {
    assert.equal(
      optimizedPlan(session, "SELECT UPPER('abc') || b AS x FROM t"),
      [
        "LogicalProject(x=[||('ABC', $1)])",
        "+- LogicalTableScan(table=[[default_catalog, default_database, t, project=[b]]])",
      ].join("\n"),
    );
  });

  it("leaves non-deterministic calls alone", () => {
    assert.match(optimizedPlan(session, "SELECT a FROM t WHERE RAND() < 0.5"), /RAND\(\)/);
  });
});
