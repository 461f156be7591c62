/**
 * Column pruning alone: what each node keeps of its input.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planTransformed, sessionOf } from "../testing/planner-fixtures.ts";
import { pruneColumns } from "./column-pruning.ts";

const session = sessionOf(`
CREATE TABLE l (a INT, b STRING, c DOUBLE) WITH ('connector' = 'datagen');
CREATE TABLE r (k INT, v STRING, w BIGINT) WITH ('connector' = 'datagen');`);

const pruned = (sql: string): string => planTransformed(session, sql, pruneColumns);

describe("column pruning", () => {
  it("keeps only the columns a join and its consumers read on each side", () => {
    assert.equal(
      pruned("SELECT b, v FROM l JOIN r ON a = k"),
      [
        "LogicalProject(b=[$1], v=[$3])",
        "+- LogicalJoin(condition=[=($0, $2)], joinType=[inner])",
        "   :- LogicalProject(a=[$0], b=[$1])",
        "   :  +- LogicalTableScan(table=[[default_catalog, default_database, l]])",
        "   +- LogicalProject(k=[$0], v=[$1])",
        "      +- LogicalTableScan(table=[[default_catalog, default_database, r]])",
      ].join("\n"),
    );
  });

  it("drops aggregate calls nobody reads", () => {
    assert.equal(
      pruned("SELECT b FROM (SELECT b, SUM(c) AS s, COUNT(*) AS n FROM l GROUP BY b)"),
      [
        "LogicalProject(b=[$0])",
        "+- LogicalAggregate(group=[{0}])",
        "   +- LogicalProject(b=[$1])",
        "      +- LogicalTableScan(table=[[default_catalog, default_database, l]])",
      ].join("\n"),
    );
  });

  it("keeps the root's fields exactly", () => {
    assert.equal(
      pruned("SELECT * FROM l"),
      "LogicalTableScan(table=[[default_catalog, default_database, l]])",
    );
  });
});
