/**
 * Projection pushdown: the physical columns each scan is told the query reads.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { optimizedPlan, sessionOf } from "../testing/planner-fixtures.ts";

const session = sessionOf(`
CREATE TABLE wide (a INT, b STRING, c DOUBLE, d BIGINT, m STRING METADATA FROM 'topic') WITH ('connector' = 'upsert-test');`);

describe("projection pushdown", () => {
  it("tells the scan which physical columns the query reads", () => {
    assert.match(
      optimizedPlan(session, "SELECT d, a FROM wide WHERE c > 1"),
      /LogicalTableScan\(table=\[\[default_catalog, default_database, wide, project=\[a, c, d\]\]\]\)/,
    );
  });

  it("leaves the hint off when every column is read", () => {
    assert.match(
      optimizedPlan(session, "SELECT * FROM wide"),
      /LogicalTableScan\(table=\[\[default_catalog, default_database, wide\]\]\)/,
    );
  });

  it("counts columns read by aggregates and join conditions", () => {
    const plan = optimizedPlan(session, "SELECT b, SUM(d) FROM wide GROUP BY b");
    assert.match(plan, /wide, project=\[b, d\]/);
  });
});
