/**
 * OVER aggregations in the planner: inline and named windows, ROWS and RANGE frames, processing
 * time, arguments computed below the node, and Flink's validation errors. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '4' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE plain (auction BIGINT, price BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE VIEW clicks AS SELECT auction, price, PROCTIME() AS pt FROM plain;
`;

describe("OVER aggregation planning", () => {
  const session = sessionOf(DDL);

  it("calls sharing one ROWS window become one insert-only OverAggregate keyed by the partition", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN CHANGELOG_MODE SELECT auction, price,
           SUM(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s,
           COUNT(*) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
         FROM bids`,
      ),
      [
        "Calc(select=[auction, price, w0$o0 AS s, w0$o1 AS EXPR$3], changelogMode=[I])",
        "+- OverAggregate(partitionBy=[auction], orderBy=[ts ASC], window=[ROWS BETWEEN 2 PRECEDING AND CURRENT ROW], select=[auction, price, ts, SUM(price) AS w0$o0, COUNT(*) AS w0$o1], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[auction]], changelogMode=[I])",
        "      +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)], changelogMode=[I])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("a named RANGE window without partition: one partition, expression arguments computed below", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN SELECT auction, MAX(price + 1) OVER w, AVG(price) OVER w FROM bids
         WINDOW w AS (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)`,
      ),
      [
        "Calc(select=[auction, w0$o0 AS EXPR$1, w0$o1 AS EXPR$2])",
        "+- OverAggregate(orderBy=[ts ASC], window=[RANG BETWEEN 3600000 PRECEDING AND CURRENT ROW], select=[auction, price, ts, $f3, MAX($f3) AS w0$o0, AVG(price) AS w0$o1])",
        "   +- Exchange(distribution=[single])",
        "      +- Calc(select=[auction, price, ts, +(price, 1:BIGINT) AS $f3])",
        "         +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)])",
        "            +- TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price, ts])",
      ].join("\n"),
    );
  });

  it("a window refining a named one, and processing time with SQL's default frame", () => {
    const refined = physicalPlan(
      session,
      `EXPLAIN SELECT auction, SUM(price) OVER (w ROWS 2 PRECEDING) FROM bids
       WINDOW w AS (PARTITION BY auction ORDER BY ts)`,
    );
    assert.ok(
      refined.includes(
        "OverAggregate(partitionBy=[auction], orderBy=[ts ASC], window=[ROWS BETWEEN 2 PRECEDING AND CURRENT ROW]",
      ),
      refined,
    );
    const proctime = physicalPlan(
      session,
      "EXPLAIN SELECT auction, COUNT(*) OVER (PARTITION BY auction ORDER BY pt) FROM clicks",
    );
    assert.ok(
      proctime.includes(
        "OverAggregate(partitionBy=[auction], orderBy=[pt ASC], window=[RANG BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], select=[auction, price, pt, COUNT(*) AS w0$o0])",
      ),
      proctime,
    );
  });

  it("errors: Flink's messages for updating input, non-time ordering, different windows, and bad frames", () => {
    const cases: [string, RegExp][] = [
      [
        `SELECT auction, SUM(price) OVER (PARTITION BY auction ORDER BY ts) FROM (
           SELECT * FROM (SELECT auction, price, ts, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids)
           WHERE rn = 1)`,
        /StreamPhysicalOverAggregate doesn't support consuming update and delete changes which is produced by node Rank\(/,
      ],
      [
        "SELECT SUM(price) OVER (ORDER BY price) FROM bids",
        /OVER windows' ordering in stream mode must be defined on a time attribute\./,
      ],
      [
        "SELECT SUM(price) OVER (PARTITION BY auction) FROM bids",
        /OVER windows' ordering in stream mode must be defined on a time attribute\./,
      ],
      [
        "SELECT SUM(price) OVER (ORDER BY ts ROWS 2 PRECEDING), COUNT(*) OVER (ORDER BY ts ROWS 3 PRECEDING) FROM bids",
        /All aggregates must be computed on the same window/,
      ],
      [
        "SELECT SUM(price) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM bids",
        /must end at CURRENT ROW/,
      ],
      ["SELECT SUM(price) OVER (ORDER BY ts RANGE 2 PRECEDING) FROM bids", /must be a non-negative interval/],
      ["SELECT SUM(price) OVER (ORDER BY ts DESC) FROM bids", /can only be ordered in ASCENDING mode/],
      ["SELECT SUM(price) OVER v FROM bids WINDOW w AS (ORDER BY ts)", /Window 'v' not found/],
    ];
    for (const [sql, message] of cases) {
      assert.throws(
        () => session.execute(parseStatement(sql)),
        (error: unknown) => error instanceof SqlValidationError && message.test(error.message),
        sql,
      );
    }
  });
});

describe("OVER with PARTITION BY expressions", () => {
  const session = sessionOf(DDL);

  it("an OVER aggregation's partition expressions are projected below it, each distinct one once", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN SELECT auction, SUM(price) OVER w AS s, COUNT(*) OVER w AS c FROM bids
         WINDOW w AS (PARTITION BY auction % 10, auction ORDER BY ts ROWS 2 PRECEDING)`,
      ),
      [
        "Calc(select=[auction, w0$o0 AS s, w0$o1 AS c])",
        "+- OverAggregate(partitionBy=[$f3, auction], orderBy=[ts ASC], window=[ROWS BETWEEN 2 PRECEDING AND CURRENT ROW], select=[auction, price, ts, $f3, SUM(price) AS w0$o0, COUNT(*) AS w0$o1])",
        "   +- Exchange(distribution=[hash[$f3, auction]])",
        "      +- Calc(select=[auction, price, ts, %(auction, 10:BIGINT) AS $f3])",
        "         +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)])",
        "            +- TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price, ts])",
      ].join("\n"),
    );
    // The same expression in two inline windows is the same window.
    const plan = physicalPlan(
      session,
      `EXPLAIN SELECT SUM(price) OVER (PARTITION BY auction % 10 ORDER BY ts),
         MAX(price) OVER (PARTITION BY auction % 10 ORDER BY ts) FROM bids`,
    );
    assert.match(
      plan,
      /OverAggregate\(partitionBy=\[\$f3\], [^\n]*SUM\(price\) AS w0\$o0, MAX\(price\) AS w0\$o1\]\)/,
    );
    assert.throws(
      () =>
        session.execute(
          parseStatement(
            "SELECT SUM(price) OVER (PARTITION BY auction % 10 ORDER BY ts), MAX(price) OVER (PARTITION BY auction % 7 ORDER BY ts) FROM bids",
          ),
        ),
      /All aggregates must be computed on the same window/,
    );
  });

  it("a ranking's partition expression is projected below the Top-N, which keys on it", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN CHANGELOG_MODE SELECT * FROM (SELECT auction, price,
           ROW_NUMBER() OVER (PARTITION BY auction % 10 ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 2`,
      ),
      [
        "Calc(select=[auction, price, w0$o0 AS rn], changelogMode=[I,UB,UA,D])",
        "+- Rank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2], partitionBy=[$f3], orderBy=[price DESC], select=[auction, price, ts, $f3, w0$o0], changelogMode=[I,UB,UA,D])",
        "   +- Exchange(distribution=[hash[$f3]], changelogMode=[I])",
        "      +- Calc(select=[auction, price, ts, %(auction, 10:BIGINT) AS $f3], changelogMode=[I])",
        "         +- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 4000:INTERVAL SECOND)], changelogMode=[I])",
        "            +- TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });
});
