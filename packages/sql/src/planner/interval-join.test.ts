/**
 * Interval joins in the planner: BETWEEN and comparison pairs over two time attributes become an
 * insert-only IntervalJoin with bounds on `l.time - r.time` (strict bounds made inclusive by 1 ms);
 * a single bound, or bounds that are not `time ± interval literal`, leave a regular join, as in
 * Flink; updating inputs are refused. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE a (id BIGINT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE b (id BIGINT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE VIEW x AS SELECT id, v, PROCTIME() AS pt FROM a;
CREATE VIEW y AS SELECT id, w, PROCTIME() AS pt FROM b;
`;

describe("interval join planning", () => {
  const session = sessionOf(DDL);

  it("BETWEEN b.ts - 1 h AND b.ts + 10 min on a key: an insert-only IntervalJoin", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN CHANGELOG_MODE SELECT * FROM a JOIN b
         ON a.id = b.id AND a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts + INTERVAL '10' MINUTE`,
      ),
      [
        "IntervalJoin(joinType=[InnerJoin], windowBounds=[isRowTime=true, leftLowerBound=-3600000, leftUpperBound=600000, leftTimeIndex=2, rightTimeIndex=2], where=[AND(=(id, id0), BETWEEN(ts, -(ts0, 3600000:INTERVAL SECOND), +(ts0, 600000:INTERVAL SECOND)))], select=[id, v, ts, id0, w, ts0], changelogMode=[I])",
        ":- Exchange(distribution=[hash[id]], changelogMode=[I])",
        ":  +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)], changelogMode=[I])",
        ":     +- TableSourceScan(table=[[default_catalog, default_database, a]], fields=[id, v, ts], changelogMode=[I])",
        "+- Exchange(distribution=[hash[id]], changelogMode=[I])",
        "   +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)], changelogMode=[I])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, b]], fields=[id, w, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("strict comparisons written from either side, outer joins, no key: one partition", () => {
    const left = physicalPlan(
      session,
      `EXPLAIN SELECT * FROM a LEFT JOIN b
       ON a.id = b.id AND a.ts >= b.ts - INTERVAL '1' HOUR AND a.ts < b.ts AND v <> w`,
    );
    assert.ok(
      left.startsWith(
        "IntervalJoin(joinType=[LeftOuterJoin], windowBounds=[isRowTime=true, leftLowerBound=-3600000, leftUpperBound=-1,",
      ),
      left,
    );
    const full = physicalPlan(
      session,
      "EXPLAIN SELECT * FROM a FULL JOIN b ON b.ts > a.ts - INTERVAL '1' SECOND AND b.ts <= a.ts",
    );
    assert.ok(
      full.startsWith(
        "IntervalJoin(joinType=[FullOuterJoin], windowBounds=[isRowTime=true, leftLowerBound=0, leftUpperBound=999,",
      ),
      full,
    );
    assert.ok(full.includes("Exchange(distribution=[single])"), full);
  });

  it("processing-time attributes on both sides: a processing-time IntervalJoin", () => {
    const plan = physicalPlan(
      session,
      "EXPLAIN SELECT * FROM x JOIN y ON x.id = y.id AND x.pt BETWEEN y.pt - INTERVAL '1' SECOND AND y.pt",
    );
    assert.ok(
      plan.startsWith(
        "IntervalJoin(joinType=[InnerJoin], windowBounds=[isRowTime=false, leftLowerBound=-1000, leftUpperBound=0, leftTimeIndex=2, rightTimeIndex=2]",
      ),
      plan,
    );
  });

  it("a rowtime bounded by a proctime is no interval join", () => {
    const plan = physicalPlan(
      session,
      "EXPLAIN SELECT * FROM a JOIN y ON a.id = y.id AND a.ts BETWEEN y.pt - INTERVAL '1' SECOND AND y.pt",
    );
    assert.ok(!plan.startsWith("IntervalJoin"), plan);
  });

  it("a single bound, or a bound that is not a time attribute, stays a regular join", () => {
    for (const condition of [
      "a.id = b.id AND a.ts >= b.ts - INTERVAL '1' HOUR",
      "a.id = b.id AND a.ts BETWEEN CAST(b.ts AS TIMESTAMP(3)) - INTERVAL '1' HOUR AND b.ts",
    ]) {
      const plan = physicalPlan(session, `EXPLAIN SELECT * FROM a JOIN b ON ${condition}`);
      assert.ok(plan.startsWith("Join(joinType=[InnerJoin]"), plan);
    }
  });

  it("refuses updating input with Flink's error", () => {
    const sql = `SELECT * FROM (SELECT * FROM (SELECT id, v, ts, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM a) WHERE rn = 1) x
      JOIN b ON x.id = b.id AND x.ts BETWEEN b.ts - INTERVAL '1' SECOND AND b.ts`;
    assert.throws(
      () => session.execute(parseStatement(sql)),
      (error: unknown) =>
        error instanceof SqlValidationError &&
        /StreamPhysicalIntervalJoin doesn't support consuming update and delete changes which is produced by node Rank\(/.test(
          error.message,
        ),
    );
  });
});
