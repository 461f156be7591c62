/**
 * Join key extraction: expression keys become fields so joins are hashed on them.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { physicalPlan, planAfter, sessionOf } from "../testing/planner-fixtures.ts";
import { joinKeyExtractionRule } from "./join-key-extraction.ts";
import { mergeProjectsRule } from "./merge-projects.ts";

const optimizedPlan = (session: ReturnType<typeof sessionOf>, sql: string): string =>
  planAfter(session, sql, joinKeyExtractionRule, mergeProjectsRule);

const session = sessionOf(`
CREATE TABLE l (a INT, s STRING) WITH ('connector' = 'datagen');
CREATE TABLE r (b BIGINT, t STRING) WITH ('connector' = 'datagen');`);

describe("join key extraction", () => {
  it("computes expression keys below the join so both sides are hashed", () => {
    const sql = "SELECT a, t FROM l JOIN r ON a = b AND UPPER(s) = t";
    assert.equal(
      optimizedPlan(session, sql),
      [
        "LogicalProject(a=[$0], t=[$5])",
        "+- LogicalJoin(condition=[AND(=($2, $4), =($3, $5))], joinType=[inner])",
        "   :- LogicalProject(a=[$0], s=[$1], $f2=[CAST($0 AS BIGINT)], $f3=[UPPER($1)])",
        "   :  +- LogicalTableScan(table=[[default_catalog, default_database, l]])",
        "   +- LogicalTableScan(table=[[default_catalog, default_database, r]])",
      ].join("\n"),
    );
    const physical = physicalPlan(session, `EXPLAIN ${sql}`);
    assert.match(physical, /:- Exchange\(distribution=\[hash\[\$f2, \$f3\]\]\)/);
    assert.match(physical, /\+- Exchange\(distribution=\[hash\[b, t\]\]\)/);
  });

  it("keeps the output of a semi join unchanged", () => {
    const plan = optimizedPlan(session, "SELECT a FROM l WHERE a IN (SELECT b FROM r)");
    assert.match(plan, /LogicalJoin\(condition=\[=\(\$2, \$3\)\], joinType=\[semi\]\)/);
  });
});
