/**
 * Top-N and deduplication detection from ROW_NUMBER / RANK filters.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../../parse.ts";
import { optimizedPlan, sessionOf } from "../testing/planner-fixtures.ts";

const session = sessionOf(`
CREATE TABLE t (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');`);

const ranked = (order: string, filter: string, select = "k, v") =>
  `SELECT ${select} FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ${order}) AS rn FROM t) WHERE ${filter}`;

describe("Top-N and deduplication detection", () => {
  it("reads the rank range from <=, <, >=, BETWEEN and flipped comparisons", () => {
    const cases: [string, string][] = [
      ["rn <= 3", "rankStart=1, rankEnd=3"],
      ["rn < 4", "rankStart=1, rankEnd=3"],
      ["3 >= rn", "rankStart=1, rankEnd=3"],
      ["rn BETWEEN 2 AND 5", "rankStart=2, rankEnd=5"],
      ["rn > 1 AND rn <= 10", "rankStart=2, rankEnd=10"],
    ];
    for (const [filter, range] of cases) {
      const plan = optimizedPlan(session, ranked("v DESC", filter));
      assert.match(
        plan,
        new RegExp(
          `LogicalRank\\(rankType=\\[ROW_NUMBER\\], rankRange=\\[${range}\\], partitionBy=\\[\\$0\\], orderBy=\\[\\$1 DESC\\]\\)`,
        ),
        filter,
      );
    }
  });

  it("keeps other conditions in a filter above the rank", () => {
    const plan = optimizedPlan(session, ranked("v DESC", "rn <= 2 AND v > 10"));
    assert.match(plan, /LogicalFilter\(condition=\[>\(\$1, 10\)\]\)\n\s*\+- LogicalRank/);
  });

  it("turns a Top-1 by event time into a deduplication", () => {
    assert.match(
      optimizedPlan(session, ranked("ts DESC", "rn = 1")),
      /LogicalDeduplicate\(keep=\[LastRow\], key=\[\$0\], order=\[ROWTIME\]\)/,
    );
    assert.match(
      optimizedPlan(session, ranked("ts ASC", "rn <= 1")),
      /LogicalDeduplicate\(keep=\[FirstRow\], key=\[\$0\], order=\[ROWTIME\]\)/,
    );
  });

  it("keeps a Top-1 as a rank when the rank number is selected", () => {
    assert.match(
      optimizedPlan(session, ranked("ts DESC", "rn = 1", "k, v, rn")),
      /LogicalRank\(rankType=\[ROW_NUMBER\], rankRange=\[rankStart=1, rankEnd=1\]/,
    );
  });

  it("refuses a ranking function without an upper bound", () => {
    assert.throws(
      () => session.execute(parseStatement(ranked("v DESC", "rn > 3"))),
      /OVER aggregations are not supported yet/,
    );
  });

  it("plans QUALIFY on a rank as a Top-N, by window call or by SELECT alias", () => {
    const byCall = optimizedPlan(
      session,
      "SELECT k, v FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) <= 2",
    );
    assert.match(byCall, /LogicalRank\(rankType=\[ROW_NUMBER\], rankRange=\[rankStart=1, rankEnd=2\]/);
    const byAlias = optimizedPlan(
      session,
      "SELECT k, v, RANK() OVER (PARTITION BY k ORDER BY v) AS r FROM t QUALIFY r = 1",
    );
    assert.match(byAlias, /LogicalRank\(rankType=\[RANK\], rankRange=\[rankStart=1, rankEnd=1\]/);
  });
});
