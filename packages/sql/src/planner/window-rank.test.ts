/**
 * Window Top-N and window deduplication in the planner: a rank partitioned by window_start and
 * window_end over a window TVF or a window aggregation plans an insert-only WindowRank /
 * WindowDeduplicate instead of an updating Rank. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, run, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE bids (item STRING, price INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE ups (item STRING, price INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts, PRIMARY KEY (item) NOT ENFORCED)
  WITH ('connector' = 'upsert-test');
`;

const TVF = "TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))";

describe("window Top-N planning", () => {
  const session = sessionOf(DDL);

  it("Top-N over a window TVF is a WindowRank keyed by the window, insert-only", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN CHANGELOG_MODE SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
         ORDER BY price DESC) AS rn FROM ${TVF}) WHERE rn <= 3`,
      ),
      [
        "WindowRank(window=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[window_start, window_end], orderBy=[price DESC], select=[item, price, ts, window_start, window_end, window_time, rn], changelogMode=[I])",
        "+- Exchange(distribution=[hash[window_start, window_end]], changelogMode=[I])",
        "   +- WindowTableFunction(window=[TUMBLE(time_col=[ts], size=[10 s])], changelogMode=[I])",
        "      +- WatermarkAssigner(rowtime=[ts], watermark=[ts], changelogMode=[I])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[item, price, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("Top-N over a window aggregation follows the window columns through the aggregate", () => {
    const plan = physicalPlan(
      session,
      `EXPLAIN CHANGELOG_MODE SELECT window_start, item, total FROM (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS rn FROM (
           SELECT window_start, window_end, item, SUM(price) AS total FROM ${TVF}
           GROUP BY window_start, window_end, item)) WHERE rn <= 1`,
    );
    const lines = plan.split("\n");
    assert.equal(lines[0], "Calc(select=[window_start, item, total], changelogMode=[I])");
    assert.equal(
      lines[1],
      "+- WindowRank(window=[TUMBLE(win_start=[window_start], win_end=[window_end], size=[10 s])], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=1], partitionBy=[window_start, window_end], orderBy=[total DESC], select=[window_start, window_end, item, total], changelogMode=[I])",
    );
    assert.ok(
      lines.slice(2).some((l) => /WindowAggregate\(groupBy=\[item\], window=\[TUMBLE\(/.test(l)),
      plan,
    );
  });

  it("a Top-1 by the time column that drops the rank is a WindowDeduplicate", () => {
    const plan = physicalPlan(
      session,
      `EXPLAIN SELECT item, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, item
       ORDER BY window_time DESC) AS rn FROM ${TVF}) WHERE rn = 1`,
    );
    assert.match(
      plan,
      /WindowDeduplicate\(window=\[TUMBLE\(win_start=\[window_start\], win_end=\[window_end\], size=\[10 s\]\)\], keep=\[LastRow\], partitionKeys=\[window_start, window_end, item\], orderKey=\[window_time\], order=\[ROWTIME\]/,
    );
  });

  it("refuses a partition with only one window column", () => {
    assert.throws(
      () =>
        run(
          session,
          `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start ORDER BY price DESC) AS rn
           FROM ${TVF}) WHERE rn <= 3`,
        ),
      (error: unknown) =>
        error instanceof SqlValidationError &&
        /must partition by both window_start and window_end/.test(error.message),
    );
  });

  it("refuses updating input at planning, with Flink's error, so EXPLAIN refuses it too", () => {
    const sql = `SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
      FROM TABLE(TUMBLE(TABLE ups, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE rn <= 3`;
    for (const statement of [sql, `EXPLAIN ${sql}`]) {
      assert.throws(
        () => run(session, statement),
        (error: unknown) =>
          error instanceof SqlValidationError &&
          /^line 1, column \d+: StreamPhysicalWindowRank doesn't support consuming update( and delete)? changes which is produced by node TableSourceScan\(table=\[\[default_catalog, default_database, ups\]\]/.test(
            error.message,
          ),
        statement,
      );
    }
  });
});
