/**
 * Event-time temporal joins in the planner: `FOR SYSTEM_TIME AS OF` a rowtime plans a TemporalJoin
 * hashed on the keys, against a versioned table (primary key + rowtime: a table, an upsert source
 * behind ChangelogNormalize, or a keep-last-row deduplication), insert-only; and Flink's errors.
 * Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, run, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE orders (id BIGINT, cur STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE rates (cur STRING, rate INT, rt TIMESTAMP(3), WATERMARK FOR rt AS rt, PRIMARY KEY (cur) NOT ENFORCED)
  WITH ('connector' = 'datagen');
CREATE TABLE rates_upsert (cur STRING, rate INT, rt TIMESTAMP(3), WATERMARK FOR rt AS rt, PRIMARY KEY (cur) NOT ENFORCED)
  WITH ('connector' = 'upsert-test');
CREATE TABLE rates_log (cur STRING, rate INT, rt TIMESTAMP(3), WATERMARK FOR rt AS rt) WITH ('connector' = 'datagen');
CREATE TABLE rates_no_time (cur STRING, rate INT, PRIMARY KEY (cur) NOT ENFORCED) WITH ('connector' = 'datagen');
CREATE VIEW rates_latest AS SELECT cur, rate, rt FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY cur ORDER BY rt DESC) AS rn FROM rates_log) WHERE rn = 1;
`;

const MARKER =
  "__TEMPORAL_JOIN_CONDITION(ts, rt, __TEMPORAL_JOIN_CONDITION_PRIMARY_KEY(cur), __TEMPORAL_JOIN_LEFT_KEY(cur), __TEMPORAL_JOIN_RIGHT_KEY(cur))";

describe("event-time temporal join planning", () => {
  const session = sessionOf(DDL);

  it("joins a versioned table on its primary key, hashed on both sides, insert-only", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN CHANGELOG_MODE SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur",
      ),
      [
        "Calc(select=[id, rate], changelogMode=[I])",
        `+- TemporalJoin(joinType=[InnerJoin], where=[AND(=(cur, cur), ${MARKER})], select=[id, cur, ts, cur, rate, rt], changelogMode=[I])`,
        "   :- Exchange(distribution=[hash[cur]], changelogMode=[I])",
        "   :  +- WatermarkAssigner(rowtime=[ts], watermark=[ts], changelogMode=[I])",
        "   :     +- TableSourceScan(table=[[default_catalog, default_database, orders]], fields=[id, cur, ts], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[cur]], changelogMode=[I])",
        "      +- WatermarkAssigner(rowtime=[rt], watermark=[rt], changelogMode=[I])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, rates]], fields=[cur, rate, rt], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("an upsert source and a keep-last-row deduplication are versioned tables too", () => {
    const upsert = physicalPlan(
      session,
      `EXPLAIN CHANGELOG_MODE SELECT o.id, r.rate FROM orders o LEFT JOIN rates_upsert FOR SYSTEM_TIME AS OF o.ts AS r
       ON o.cur = r.cur AND r.rate > 10`,
    );
    assert.match(
      upsert,
      /TemporalJoin\(joinType=\[LeftOuterJoin\], where=\[AND\(AND\(=\(cur, cur\), >\(rate, 10\)\), __TEMPORAL/,
    );
    assert.match(
      upsert,
      /changelogMode=\[I\]\)\n.*Exchange\(distribution=\[hash\[cur\]\], changelogMode=\[I\]\)/,
    );
    assert.match(upsert, /ChangelogNormalize\(key=\[cur\], changelogMode=\[I,UB,UA,D\]\)/);
    const view = physicalPlan(
      session,
      "EXPLAIN SELECT o.id, r.rate FROM orders o JOIN rates_latest FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur",
    );
    assert.match(
      view,
      /TemporalJoin\(.*\n(.*\n)*.*Deduplicate\(keep=\[LastRow\], key=\[cur\], order=\[ROWTIME\]\)/,
    );
  });

  it("refuses a right side that is not versioned, or keys that miss the primary key", () => {
    const cases: [string, RegExp][] = [
      [
        "SELECT * FROM orders o JOIN rates_log FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur",
        /requires both primary key and row time attribute in versioned table, but no primary key can be found/,
      ],
      [
        "SELECT * FROM orders o JOIN rates_no_time FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur",
        /but no row time attribute can be found/,
      ],
      [
        "SELECT * FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.id = r.rate",
        /Temporal table's primary key \[cur\] must be included in the equivalence condition of temporal join, but current temporal join condition is \[=\(id, CAST\(rate AS BIGINT\)\)\]/,
      ],
    ];
    for (const [sql, message] of cases) {
      assert.throws(
        () => run(session, sql),
        (error: unknown) => error instanceof SqlValidationError && message.test(error.message),
        sql,
      );
    }
  });
});
