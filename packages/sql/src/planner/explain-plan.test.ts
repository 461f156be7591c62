/**
 * EXPLAIN of representative queries, checked against handwritten plans: node names, exchanges,
 * pushed-down conditions and the changelog mode each node must produce.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { astPlan, explain, physicalPlan, sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE orders (id BIGINT, product STRING, amount INT, ts TIMESTAMP(3)) WITH ('connector' = 'datagen');
CREATE TABLE customers (cid BIGINT, name STRING) WITH ('connector' = 'datagen');
CREATE TABLE clicks (user_id BIGINT, url STRING, pt AS PROCTIME()) WITH ('connector' = 'datagen');
CREATE TABLE events (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'datagen');
CREATE TABLE totals (product STRING, cnt BIGINT, PRIMARY KEY (product) NOT ENFORCED) WITH ('connector' = 'blackhole');
CREATE TABLE appended (product STRING, cnt BIGINT) WITH ('connector' = 'append-only-test');
CREATE TABLE upserts (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-test');
`;

describe("EXPLAIN", () => {
  const session = sessionOf(DDL);

  it("prints both sections for a filter and projection", () => {
    const text = explain(session, "EXPLAIN SELECT id, amount * 2 AS doubled FROM orders WHERE amount > 10");
    assert.equal(
      text,
      [
        "== Abstract Syntax Tree ==",
        "LogicalProject(id=[$0], doubled=[*($2, 2)])",
        "+- LogicalFilter(condition=[>($2, 10)])",
        "   +- LogicalTableScan(table=[[default_catalog, default_database, orders]])",
        "",
        "== Optimized Physical Plan ==",
        "Calc(select=[id, *(amount, 2) AS doubled], where=[>(amount, 10)])",
        "+- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id, amount]]], fields=[id, product, amount, ts])",
        "",
      ].join("\n"),
    );
  });

  it("shows a group aggregation with its exchange and changelog modes", () => {
    const sql =
      "EXPLAIN CHANGELOG_MODE SELECT product, COUNT(*) AS cnt, SUM(amount) AS total FROM orders GROUP BY product";
    assert.equal(
      astPlan(session, sql),
      [
        "LogicalAggregate(group=[{0}], cnt=[COUNT()], total=[SUM($1)])",
        "+- LogicalProject(product=[$1], amount=[$2])",
        "   +- LogicalTableScan(table=[[default_catalog, default_database, orders]])",
      ].join("\n"),
    );
    assert.equal(
      physicalPlan(session, sql),
      [
        "GroupAggregate(groupBy=[product], select=[product, COUNT(*) AS cnt, SUM(amount) AS total], changelogMode=[I,UB,UA])",
        "+- Exchange(distribution=[hash[product]], changelogMode=[I])",
        "   +- Calc(select=[product, amount], changelogMode=[I])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product, amount]]], fields=[id, product, amount, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("pushes a WHERE condition below a join and keys both sides", () => {
    const sql =
      "EXPLAIN SELECT o.id, c.name FROM orders o JOIN customers c ON o.id = c.cid WHERE o.amount > 5";
    assert.equal(
      astPlan(session, sql),
      [
        "LogicalProject(id=[$0], name=[$5])",
        "+- LogicalFilter(condition=[>($2, 5)])",
        "   +- LogicalJoin(condition=[=($0, $4)], joinType=[inner])",
        "      :- LogicalTableScan(table=[[default_catalog, default_database, orders]])",
        "      +- LogicalTableScan(table=[[default_catalog, default_database, customers]])",
      ].join("\n"),
    );
    assert.equal(
      physicalPlan(session, sql),
      [
        "Calc(select=[id, name])",
        "+- Join(joinType=[InnerJoin], where=[=(id, cid)], select=[id, cid, name])",
        "   :- Exchange(distribution=[hash[id]])",
        "   :  +- Calc(select=[id], where=[>(amount, 5)])",
        "   :     +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id, amount]]], fields=[id, product, amount, ts])",
        "   +- Exchange(distribution=[hash[cid]])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, customers]], fields=[cid, name])",
      ].join("\n"),
    );
  });

  it("turns ROW_NUMBER with a rank filter into a Rank (Top-N)", () => {
    const sql = `EXPLAIN SELECT product, amount, rn FROM (
      SELECT product, amount, ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC) AS rn FROM orders)
      WHERE rn <= 3`;
    assert.equal(
      physicalPlan(session, sql),
      [
        "Calc(select=[product, amount, w0$o0 AS rn])",
        "+- Rank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=3], partitionBy=[product], orderBy=[amount DESC], select=[id, product, amount, ts, w0$o0])",
        "   +- Exchange(distribution=[hash[product]])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product, amount]]], fields=[id, product, amount, ts])",
      ].join("\n"),
    );
  });

  it("turns a Top-1 by processing time into a Deduplicate that emits inserts only", () => {
    const sql = `EXPLAIN CHANGELOG_MODE SELECT user_id, url FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY pt ASC) AS rn FROM clicks) WHERE rn = 1`;
    assert.equal(
      physicalPlan(session, sql),
      [
        "Calc(select=[user_id, url], changelogMode=[I])",
        "+- Deduplicate(keep=[FirstRow], key=[user_id], order=[PROCTIME], changelogMode=[I])",
        "   +- Exchange(distribution=[hash[user_id]], changelogMode=[I])",
        "      +- Calc(select=[user_id, url, PROCTIME() AS pt], changelogMode=[I])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, clicks]], fields=[user_id, url], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("keeps the watermark assigner of a table with WATERMARK FOR", () => {
    const sql = "EXPLAIN SELECT id FROM events";
    assert.equal(
      physicalPlan(session, sql),
      [
        "Calc(select=[id])",
        "+- WatermarkAssigner(rowtime=[ts], watermark=[-(ts, 5000:INTERVAL SECOND)])",
        "   +- TableSourceScan(table=[[default_catalog, default_database, events]], fields=[id, ts])",
      ].join("\n"),
    );
  });

  it("lets an upsert sink keyed by the group key take updates without UPDATE_BEFORE", () => {
    const sql =
      "EXPLAIN CHANGELOG_MODE INSERT INTO totals SELECT product, COUNT(*) FROM orders GROUP BY product";
    const plan = physicalPlan(session, sql).split("\n");
    assert.equal(
      plan[0],
      "Sink(table=[default_catalog.default_database.totals], fields=[product, cnt], changelogMode=[I,UA])",
    );
    assert.equal(
      plan[1],
      "+- GroupAggregate(groupBy=[product], select=[product, COUNT(*) AS cnt], changelogMode=[I,UA])",
    );
  });

  it("needs UPDATE_BEFORE when the sink's key is not the update key", () => {
    const sql =
      "EXPLAIN CHANGELOG_MODE INSERT INTO totals SELECT product, COUNT(*) FROM orders GROUP BY product, amount";
    const plan = physicalPlan(session, sql).split("\n");
    assert.match(plan[0]!, /changelogMode=\[I,UB,UA\]\)$/);
  });

  it("normalizes an upsert source into a retract stream", () => {
    assert.equal(
      physicalPlan(session, "EXPLAIN CHANGELOG_MODE SELECT id, v FROM upserts"),
      [
        "ChangelogNormalize(key=[id], changelogMode=[I,UB,UA,D])",
        "+- Exchange(distribution=[hash[id]], changelogMode=[I,UA,D])",
        "   +- TableSourceScan(table=[[default_catalog, default_database, upserts]], fields=[id, v], changelogMode=[I,UA,D])",
      ].join("\n"),
    );
  });

  it("refuses an updating query into an insert-only sink, naming the node", () => {
    assert.throws(
      () =>
        session.execute(
          parseStatement("INSERT INTO appended SELECT product, COUNT(*) FROM orders GROUP BY product"),
        ),
      (error: unknown) =>
        error instanceof SqlValidationError &&
        error.reason ===
          "Table sink 'default_catalog.default_database.appended' doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[product], select=[product, COUNT(*) AS cnt])",
    );
  });

  it("plans IN and NOT IN subqueries as semi and anti joins", () => {
    const semi = physicalPlan(
      session,
      "EXPLAIN SELECT id FROM orders WHERE id IN (SELECT cid FROM customers)",
    );
    assert.match(semi, /Join\(joinType=\[LeftSemiJoin\], where=\[=\(id, cid\)\]/);
    const anti = physicalPlan(
      session,
      "EXPLAIN SELECT id FROM orders WHERE id NOT IN (SELECT cid FROM customers)",
    );
    assert.match(
      anti,
      /Join\(joinType=\[LeftAntiJoin\], where=\[OR\(=\(id, cid\), IS NULL\(id\), IS NULL\(cid\)\)\]/,
    );
  });

  it("plans UNION as a union followed by an aggregate over every field", () => {
    assert.equal(
      physicalPlan(session, "EXPLAIN SELECT id FROM orders UNION SELECT cid FROM customers"),
      [
        "GroupAggregate(groupBy=[id], select=[id])",
        "+- Exchange(distribution=[hash[id]])",
        "   +- Union(all=[true], union=[id])",
        "      :- Calc(select=[id])",
        "      :  +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id]]], fields=[id, product, amount, ts])",
        "      +- Calc(select=[cid])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, customers, project=[cid]]], fields=[cid, name])",
      ].join("\n"),
    );
  });

  it("explains every INSERT of a statement set, each under its sink", () => {
    const text = explain(
      session,
      `EXPLAIN STATEMENT SET BEGIN
         INSERT INTO totals SELECT product, COUNT(*) FROM orders GROUP BY product;
         INSERT INTO appended SELECT product, CAST(amount AS BIGINT) FROM orders;
       END`,
    );
    assert.equal(
      text,
      [
        "== Abstract Syntax Tree ==",
        "LogicalSink(table=[default_catalog.default_database.totals], fields=[product, cnt])",
        "+- LogicalProject(product=[$0], cnt=[$1])",
        "   +- LogicalAggregate(group=[{0}], EXPR$1=[COUNT()])",
        "      +- LogicalProject(product=[$1])",
        "         +- LogicalTableScan(table=[[default_catalog, default_database, orders]])",
        "",
        "LogicalSink(table=[default_catalog.default_database.appended], fields=[product, cnt])",
        "+- LogicalProject(product=[$0], cnt=[$1])",
        "   +- LogicalProject(product=[$1], EXPR$1=[CAST($2 AS BIGINT)])",
        "      +- LogicalTableScan(table=[[default_catalog, default_database, orders]])",
        "",
        "== Optimized Physical Plan ==",
        "Sink(table=[default_catalog.default_database.totals], fields=[product, cnt])",
        "+- GroupAggregate(groupBy=[product], select=[product, COUNT(*) AS cnt])",
        "   +- Exchange(distribution=[hash[product]])",
        "      +- Calc(select=[product])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product]]], fields=[id, product, amount, ts])",
        "",
        "Sink(table=[default_catalog.default_database.appended], fields=[product, cnt])",
        "+- Calc(select=[product, CAST(amount AS BIGINT) AS cnt])",
        "   +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product, amount]]], fields=[id, product, amount, ts])",
        "",
      ].join("\n"),
    );
  });

  it("splits an aggregation into local and global phases with TWO_PHASE", () => {
    const twoPhase = sessionOf(DDL, { "table.optimizer.agg-phase-strategy": "TWO_PHASE" });
    assert.equal(
      physicalPlan(twoPhase, "EXPLAIN SELECT product, SUM(amount) AS total FROM orders GROUP BY product"),
      [
        "GlobalGroupAggregate(groupBy=[product], select=[product, SUM(amount) AS total])",
        "+- Exchange(distribution=[hash[product]])",
        "   +- LocalGroupAggregate(groupBy=[product], select=[product, SUM(amount) AS total])",
        "      +- Calc(select=[product, amount])",
        "         +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product, amount]]], fields=[id, product, amount, ts])",
      ].join("\n"),
    );
  });

  it("refuses a bad configuration value naming the key", () => {
    const bad = sessionOf(DDL, { "table.exec.state.ttl": "forever" });
    assert.throws(
      () => bad.execute(parseStatement("SELECT id FROM orders")),
      /Could not parse value 'forever' for key 'table.exec.state.ttl'/,
    );
  });

  it("plans ORDER BY … LIMIT on an unbounded input as a Top-N over the whole input", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN CHANGELOG_MODE SELECT id, amount FROM orders ORDER BY amount DESC LIMIT 2",
      ),
      [
        "Rank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2], partitionBy=[], orderBy=[amount DESC], select=[id, amount], changelogMode=[I,D])",
        "+- Exchange(distribution=[single], changelogMode=[I])",
        "   +- Calc(select=[id, amount], changelogMode=[I])",
        "      +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[id, amount]]], fields=[id, product, amount, ts], changelogMode=[I])",
      ].join("\n"),
    );
  });

  it("expands each row once per grouping set for ROLLUP", () => {
    assert.equal(
      physicalPlan(
        session,
        "EXPLAIN SELECT product, amount, COUNT(*) AS n FROM orders GROUP BY ROLLUP (product, amount)",
      ),
      [
        "Calc(select=[product, amount, n])",
        "+- GroupAggregate(groupBy=[product, amount, $e], select=[product, amount, $e, COUNT(*) AS n])",
        "   +- Exchange(distribution=[hash[product, amount, $e]])",
        "      +- Expand(projects=[{product, amount, 0:BIGINT AS $e}, {product, null:INT AS amount, 1:BIGINT AS $e}, {null:STRING AS product, null:INT AS amount, 2:BIGINT AS $e}])",
        "         +- Calc(select=[product, amount])",
        "            +- TableSourceScan(table=[[default_catalog, default_database, orders, project=[product, amount]]], fields=[id, product, amount, ts])",
      ].join("\n"),
    );
  });
});
