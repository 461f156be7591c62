/**
 * Temporal joins in the planner: `FOR SYSTEM_TIME AS OF` a processing-time attribute plans a
 * LookupJoin (keys, table filter/projection, remaining condition, changelog pass-through), and
 * Flink's validation errors. Plans are handwritten.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { registerTableConnector } from "../connectors/connector-registry.ts";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { physicalPlan, run, sessionOf } from "./testing/planner-fixtures.ts";

registerTableConnector({
  identifier: "lookup-test",
  requiredOptions: [],
  optionalOptions: [],
  createSource: () => ({
    changelogMode: { kind: "insert-only" },
    bounded: false,
    createStream(): never {
      throw new Error("lookup-test is for planning only");
    },
  }),
  createLookup: () => ({
    lookup(): never {
      throw new Error("lookup-test is for planning only");
    },
  }),
});

const DDL = `
CREATE TABLE orders (id BIGINT, cur STRING, amount INT, pt AS PROCTIME()) WITH ('connector' = 'datagen');
CREATE TABLE events (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');
CREATE TABLE rates (cur STRING, rate INT, region STRING) WITH ('connector' = 'lookup-test');
CREATE TABLE plain (cur STRING, rate INT) WITH ('connector' = 'datagen');
CREATE TABLE updates (k STRING, v INT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'upsert-test');
`;

describe("lookup join planning", () => {
  const session = sessionOf(DDL);

  it("an equality on a table column becomes the lookup key; the join runs in place", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.cur = r.cur",
      ),
      [
        "Calc(select=[id, rate])",
        "+- LookupJoin(table=[default_catalog.default_database.rates], joinType=[InnerJoin], lookup=[cur=cur], select=[id, cur, cur, rate])",
        "   +- Calc(select=[id, cur])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id, cur]]], fields=[id, cur, amount])",
      ].join("\n"),
    );
  });

  it("a left expression is cast to the key column's type; other conjuncts stay on the joined row", () => {
    assert.equal(
      physicalPlan(
        session,
        `EXPLAIN SELECT o.id, r.rate FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r
         ON CAST(o.id AS STRING) = r.cur AND r.rate > o.amount`,
      ),
      [
        "Calc(select=[id, rate])",
        "+- LookupJoin(table=[default_catalog.default_database.rates], joinType=[LeftOuterJoin], lookup=[cur=CAST(id AS STRING)], joinCondition=[>(rate, amount)], select=[id, amount, cur, rate])",
        "   +- Calc(select=[id, amount])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id, amount]]], fields=[id, cur, amount])",
      ].join("\n"),
    );
  });

  it("a WHERE on the table's columns of an inner join filters the looked-up rows", () => {
    const plan = physicalPlan(
      session,
      `EXPLAIN SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r
       ON o.cur = r.cur WHERE r.region = 'EU'`,
    );
    assert.match(
      plan,
      /LookupJoin\(.*lookup=\[cur=cur\], where=\[=\(region, 'EU'\)\], select=\[id, cur, cur, rate\]\)/,
    );
  });

  it("passes the left side's changelog through", () => {
    const plan = physicalPlan(
      session,
      `EXPLAIN CHANGELOG_MODE SELECT u.k, r.rate FROM (SELECT k, v, PROCTIME() AS pt FROM updates) u
       JOIN rates FOR SYSTEM_TIME AS OF u.pt AS r ON u.k = r.cur`,
    );
    assert.match(plan, /LookupJoin\(.*changelogMode=\[I,UB,UA,D\]\)/);
  });

  it("refuses what Flink refuses", () => {
    const cases: [string, RegExp][] = [
      [
        "SELECT * FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.id AS r ON o.cur = r.cur",
        /only supports 'FOR SYSTEM_TIME AS OF' left table's time attribute field/,
      ],
      [
        "SELECT * FROM orders o FULL JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.cur = r.cur",
        /only supports INNER JOIN and LEFT JOIN, but was FULL JOIN/,
      ],
      [
        "SELECT * FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.amount > r.rate",
        /requires an equality condition on fields of table \[default_catalog.default_database.rates\]/,
      ],
      [
        "SELECT * FROM orders o JOIN plain FOR SYSTEM_TIME AS OF o.pt AS r ON o.cur = r.cur",
        /Connector 'datagen' of table 'default_catalog.default_database.plain' does not support lookups/,
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

  it("points at the period expression when it is not a time attribute", () => {
    const sql = "SELECT * FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.id AS r ON o.cur = r.cur";
    assert.throws(
      () => session.execute(parseStatement(sql)),
      (error: unknown) => error instanceof SqlValidationError && error.line === 1 && error.column === 57,
    );
  });
});
