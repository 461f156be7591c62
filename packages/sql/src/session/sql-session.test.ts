/**
 * The session's statements that finish without a job: DDL, SHOW, DESCRIBE, SET / RESET, USE, and
 * the outcome reported for job statements.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "../planner/sql-validation-error.ts";
import { run, sessionOf } from "../planner/testing/planner-fixtures.ts";
import { SqlSession } from "./sql-session.ts";

const DDL = `
CREATE TABLE orders (
  id BIGINT,
  product STRING,
  price DECIMAL(10, 2),
  total AS price * 2,
  ts TIMESTAMP(3),
  pt AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TEMPORARY VIEW cheap AS SELECT id, product FROM orders WHERE price < 10;
`;

function table(outcome: ReturnType<SqlSession["execute"]>): {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
} {
  assert.equal(outcome.kind, "table");
  return outcome as { columns: readonly string[]; rows: readonly (readonly string[])[] };
}

describe("SqlSession", () => {
  it("lists tables and views", () => {
    const session = sessionOf(DDL);
    assert.deepEqual(table(run(session, "SHOW TABLES")).rows, [["cheap"], ["orders"]]);
    assert.deepEqual(table(run(session, "SHOW VIEWS")).rows, [["cheap"]]);
    assert.deepEqual(table(run(session, "SHOW TABLES LIKE 'ord%'")).rows, [["orders"]]);
    assert.deepEqual(table(run(session, "SHOW CURRENT CATALOG")).rows, [["default_catalog"]]);
  });

  it("describes a table in Flink's columns", () => {
    const session = sessionOf(DDL);
    const described = table(run(session, "DESCRIBE orders"));
    assert.deepEqual(described.columns, ["name", "type", "null", "key", "extras", "watermark"]);
    assert.deepEqual(described.rows, [
      ["id", "BIGINT", "FALSE", "PRI(id)", "", ""],
      ["product", "STRING", "TRUE", "", "", ""],
      ["price", "DECIMAL(10, 2)", "TRUE", "", "", ""],
      ["total", "DECIMAL(21, 2)", "TRUE", "", "AS `price` * 2", ""],
      ["ts", "TIMESTAMP(3) *ROWTIME*", "TRUE", "", "", "`ts` - INTERVAL '5' SECOND"],
      ["pt", "TIMESTAMP_LTZ(3) *PROCTIME*", "FALSE", "", "AS PROCTIME()", ""],
    ]);
  });

  it("describes a view by its query's columns", () => {
    const session = sessionOf(DDL);
    assert.deepEqual(table(run(session, "DESC cheap")).rows, [
      ["id", "BIGINT", "FALSE", "", "", ""],
      ["product", "STRING", "TRUE", "", "", ""],
    ]);
  });

  it("sets, lists and resets configuration", () => {
    const session = new SqlSession({ config: { "table.local-time-zone": "UTC" } });
    assert.equal(run(session, "SET 'table.exec.state.ttl' = '1 h'").kind, "ok");
    assert.equal(session.config.get("table.exec.state.ttl"), "1 h");
    assert.deepEqual(table(run(session, "SET")).rows, [
      ["table.exec.state.ttl", "1 h"],
      ["table.local-time-zone", "UTC"],
    ]);
    run(session, "SET 'table.local-time-zone' = 'Europe/Berlin'");
    run(session, "RESET 'table.local-time-zone'");
    assert.equal(session.config.get("table.local-time-zone"), "UTC");
    run(session, "RESET");
    assert.deepEqual([...session.config.keys()], ["table.local-time-zone"]);
  });

  it("drops tables and views, with IF EXISTS", () => {
    const session = sessionOf(DDL);
    assert.equal(run(session, "DROP TEMPORARY VIEW cheap").kind, "ok");
    assert.throws(
      () => run(session, "DROP VIEW cheap"),
      /View with identifier 'default_catalog.default_database.cheap' does not exist./,
    );
    assert.equal(run(session, "DROP VIEW IF EXISTS cheap").kind, "ok");
    assert.equal(run(session, "DROP TABLE default_catalog.default_database.orders").kind, "ok");
    assert.deepEqual(table(run(session, "SHOW TABLES")).rows, []);
  });

  it("lets a temporary table shadow a permanent one", () => {
    const session = sessionOf(`
      CREATE TABLE t (a INT) WITH ('connector' = 'datagen');
      CREATE TEMPORARY TABLE t (b STRING) WITH ('connector' = 'datagen');`);
    assert.deepEqual(table(run(session, "DESCRIBE t")).rows[0], ["b", "STRING", "TRUE", "", "", ""]);
    assert.throws(
      () => run(session, "DROP TABLE t"),
      /Temporary table with identifier '`default_catalog`.`default_database`.`t`' exists. Drop it first/,
    );
    run(session, "DROP TEMPORARY TABLE t");
    assert.deepEqual(table(run(session, "DESCRIBE t")).rows[0], ["a", "INT", "TRUE", "", "", ""]);
  });

  it("prints SHOW CREATE TABLE as DDL", () => {
    const session = sessionOf(
      "CREATE TABLE s (a INT, b STRING, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'blackhole')",
    );
    assert.equal(
      table(run(session, "SHOW CREATE TABLE s")).rows[0]![0],
      [
        "CREATE TABLE `default_catalog`.`default_database`.`s` (",
        "  `a` INT NOT NULL,",
        "  `b` STRING,",
        "  CONSTRAINT `PK_a` PRIMARY KEY (`a`) NOT ENFORCED",
        ") WITH (",
        "  'connector' = 'blackhole'",
        ")",
        "",
      ].join("\n"),
    );
  });

  it("plans jobs and reports their schema, boundedness and name", () => {
    const session = sessionOf(
      `${DDL} CREATE TABLE sink (id BIGINT, product STRING) WITH ('connector' = 'blackhole');`,
    );
    const select = run(session, "SELECT id, product FROM cheap");
    assert.equal(select.kind, "job");
    if (select.kind !== "job") return;
    assert.deepEqual(
      select.schema?.fields.map((f) => f.name),
      ["id", "product"],
    );
    assert.equal(select.bounded, true);
    const insert = run(session, "INSERT INTO sink SELECT id, product FROM orders");
    assert.deepEqual(insert, {
      kind: "job",
      schema: null,
      bounded: true,
      jobName: "insert-into_default_catalog.default_database.sink",
    });
  });

  it("accepts USE of the default catalog and database only", () => {
    const session = new SqlSession();
    assert.equal(run(session, "USE default_database").kind, "ok");
    assert.equal(run(session, "USE CATALOG default_catalog").kind, "ok");
    assert.throws(() => run(session, "USE other"), SqlValidationError);
  });

  it("checks views when they are created", () => {
    const session = sessionOf(DDL);
    assert.throws(
      () => session.execute(parseStatement("CREATE VIEW broken AS SELECT nope FROM orders")),
      /Column 'nope' not found in any table/,
    );
  });

  it("creates a table from a query with CREATE TABLE AS and plans the insert", () => {
    const session = sessionOf(DDL);
    const outcome = run(
      session,
      "CREATE TABLE copy WITH ('connector' = 'blackhole') AS SELECT id, product, ts FROM orders",
    );
    assert.deepEqual(outcome, {
      kind: "job",
      schema: null,
      bounded: true,
      jobName: "insert-into_default_catalog.default_database.copy",
    });
    assert.deepEqual(table(run(session, "DESCRIBE copy")).rows, [
      ["id", "BIGINT", "FALSE", "", "", ""],
      ["product", "STRING", "TRUE", "", "", ""],
      ["ts", "TIMESTAMP(3)", "TRUE", "", "", ""],
    ]);
    assert.throws(
      () => run(session, "CREATE TABLE copy WITH ('connector' = 'blackhole') AS SELECT 1"),
      /already exists/,
    );
  });

  it("lists built-in and user functions", () => {
    const session = new SqlSession({
      functions: {
        twice: {
          kind: "scalar",
          name: "TWICE",
          strict: true,
          deterministic: true,
          inferType: (operands) => ({ result: operands[0]! }),
          implementation: (_ctx, x) => (x as number) * 2,
        },
      },
    });
    const all = table(run(session, "SHOW FUNCTIONS")).rows.map((r) => r[0]);
    assert.ok(all.includes("UPPER") && all.includes("COUNT") && all.includes("twice"));
    assert.ok(!all.includes("+"));
    assert.deepEqual(table(run(session, "SHOW USER FUNCTIONS")).rows, [["twice"]]);
    assert.equal(run(session, "SELECT twice(1)").kind, "job");
  });
});
