/**
 * Validation errors: each refusal names what is wrong in Flink's words and points at the
 * offending syntax node (line:column).
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStatement } from "../parse.ts";
import { SqlValidationError } from "./sql-validation-error.ts";
import { sessionOf } from "./testing/planner-fixtures.ts";

const DDL = `
CREATE TABLE orders (id BIGINT, product STRING, amount INT, flag BOOLEAN) WITH ('connector' = 'datagen');
CREATE TABLE customers (id BIGINT, name STRING) WITH ('connector' = 'datagen');
`;

/** Executes `sql` and returns the validation error it throws. */
function errorOf(sql: string, script = DDL): SqlValidationError {
  const session = sessionOf(script);
  try {
    session.execute(parseStatement(sql));
  } catch (error) {
    assert.ok(error instanceof SqlValidationError, `expected SqlValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${sql} to fail`);
}

describe("validation errors", () => {
  it("names an unknown column with its position", () => {
    const error = errorOf("SELECT id,\n  nope FROM orders");
    assert.equal(error.reason, "Column 'nope' not found in any table");
    assert.equal(error.line, 2);
    assert.equal(error.column, 3);
    assert.match(error.message, /^line 2, column 3: /);
  });

  it("names an unknown column of a qualified table", () => {
    assert.equal(errorOf("SELECT o.nope FROM orders o").reason, "Column 'nope' not found in table 'o'");
  });

  it("refuses an ambiguous column", () => {
    assert.equal(
      errorOf("SELECT id FROM orders JOIN customers ON orders.id = customers.id").reason,
      "Column 'id' is ambiguous",
    );
  });

  it("names an unknown table", () => {
    const error = errorOf("SELECT * FROM nowhere");
    assert.equal(error.reason, "Object 'nowhere' not found");
    assert.equal(error.column, 15);
  });

  it("refuses a column that is not grouped", () => {
    const error = errorOf("SELECT product, amount, COUNT(*) FROM orders GROUP BY product");
    assert.equal(error.reason, "Expression 'amount' is not being grouped");
    assert.equal(error.column, 17);
  });

  it("refuses operands an operator cannot take", () => {
    const error = errorOf("SELECT flag + amount FROM orders");
    assert.match(error.reason, /^Cannot apply '\+' to arguments of type '<BOOLEAN> \+ <INTEGER>'/);
    assert.equal(error.column, 8);
  });

  it("refuses an aggregate in WHERE", () => {
    assert.equal(
      errorOf("SELECT id FROM orders WHERE COUNT(*) > 1").reason,
      "Aggregate expression is illegal in WHERE clause",
    );
  });

  it("refuses an unknown function", () => {
    assert.match(
      errorOf("SELECT no_such_fn(id) FROM orders").reason,
      /^No match found for function signature no_such_fn\(<BIGINT>\)/,
    );
  });

  it("refuses a set operation with different column counts", () => {
    assert.equal(
      errorOf("SELECT id FROM orders UNION ALL SELECT id, name FROM customers").reason,
      "Column count mismatch in UNION",
    );
  });

  it("refuses an INSERT whose columns do not match the sink", () => {
    const script = `${DDL} CREATE TABLE sink1 (a BIGINT) WITH ('connector' = 'blackhole');`;
    const error = errorOf("INSERT INTO sink1 SELECT id, product FROM orders", script);
    assert.match(
      error.reason,
      /^Column types of query result and sink for 'default_catalog.default_database.sink1' do not match.\nCause: Different number of columns./,
    );
  });

  it("refuses a duplicate table and accepts IF NOT EXISTS", () => {
    const error = errorOf("CREATE TABLE orders (x INT) WITH ('connector' = 'datagen')");
    assert.equal(
      error.reason,
      "Table (or view) default_database.orders already exists in Catalog default_catalog.",
    );
    const session = sessionOf(DDL);
    const outcome = session.execute(
      parseStatement("CREATE TABLE IF NOT EXISTS orders (x INT) WITH ('connector' = 'datagen')"),
    );
    assert.equal(outcome.kind, "ok");
  });

  it("refuses a watermark on a column that is not a timestamp", () => {
    const error = errorOf(
      "CREATE TABLE w (ts BIGINT, WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen')",
    );
    assert.match(
      error.reason,
      /^Invalid data type of time field for watermark definition.*but the time field type is BIGINT$/,
    );
  });

  it("refuses ENFORCED primary keys as Flink does", () => {
    const error = errorOf(
      "CREATE TABLE k (id INT, PRIMARY KEY (id) ENFORCED) WITH ('connector' = 'datagen')",
    );
    assert.match(error.reason, /^Flink doesn't support ENFORCED mode for PRIMARY KEY constraint/);
  });

  it("refuses a table without a connector when it is used", () => {
    const script = "CREATE TABLE bare (a INT) WITH ('format' = 'json')";
    assert.match(
      errorOf("SELECT * FROM bare", script).reason,
      /Table options do not contain an option key 'connector'/,
    );
  });

  it("says which features are not supported yet", () => {
    assert.match(
      errorOf("SELECT SUM(amount) OVER (ORDER BY id) FROM orders").reason,
      /OVER windows' ordering in stream mode must be defined on a time attribute\./,
    );
    assert.match(
      errorOf("SELECT * FROM orders o JOIN customers FOR SYSTEM_TIME AS OF o.id AS c ON o.id = c.id").reason,
      /Temporal table join currently only supports 'FOR SYSTEM_TIME AS OF' left table's time attribute field/,
    );
    assert.match(
      errorOf("SELECT * FROM orders, LATERAL (SELECT 1 AS x) AS u").reason,
      /LATERAL subqueries are not supported yet/,
    );
  });

  it("refuses ORDER BY on an unbounded input as Flink does", () => {
    assert.equal(
      errorOf("SELECT id FROM orders ORDER BY amount").reason,
      "Sort on a non-time-attribute field is not supported.",
    );
  });

  it("resolves USING and NATURAL join columns once, and qualified names to their side", () => {
    const session = sessionOf(DDL);
    const outcome = session.execute(parseStatement("SELECT * FROM orders NATURAL JOIN customers"));
    assert.equal(outcome.kind, "job");
    if (outcome.kind !== "job") return;
    assert.deepEqual(
      outcome.schema?.fields.map((f) => f.name),
      ["id", "product", "amount", "flag", "name"],
    );
    const qualified = session.execute(
      parseStatement("SELECT id, orders.id, customers.id FROM orders JOIN customers USING (id)"),
    );
    assert.equal(qualified.kind, "job");
  });

  it("says when a function gets the wrong number of arguments", () => {
    assert.equal(
      errorOf("SELECT UPPER(product, product) FROM orders").reason,
      "Invalid number of arguments to function 'UPPER'. Was expecting 1 arguments",
    );
    assert.match(
      errorOf("SELECT UPPER(amount) FROM orders").reason,
      /^Cannot apply 'UPPER' to arguments of type 'UPPER\(<INTEGER>\)'/,
    );
  });
});
