/**
 * Tests for statements and scripts: INSERT (with hints, static partitions, column lists,
 * OVERWRITE), the three statement-set forms, EXPLAIN, SET, RESET, SHOW, DESCRIBE, USE, and
 * splitting a script on semicolons.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Statement } from "../ast/statements.ts";
import { parseStatement, parseStatements } from "../parse.ts";
import { withoutSpans } from "../testing/trees.ts";

function statement<K extends Statement["kind"]>(sql: string, kind: K): Extract<Statement, { kind: K }> {
  const s = parseStatement(sql);
  assert.equal(s.kind, kind);
  return s as Extract<Statement, { kind: K }>;
}

const str = (value: string) => ({ kind: "string-literal", value });

describe("INSERT", () => {
  test("INSERT INTO t SELECT ...", () => {
    const i = statement("INSERT INTO nexmark_q0 SELECT auction, bidder FROM bid", "insert");
    assert.deepEqual(
      [i.overwrite, i.target.parts[0]?.value, i.columns, i.partition],
      [false, "nexmark_q0", [], []],
    );
    assert.equal(i.query.body.kind, "select");
  });

  test("a column list, VALUES, and a parenthesized query", () => {
    const withColumns = statement("INSERT INTO t (a, b) VALUES (1, 2)", "insert");
    assert.deepEqual(
      withColumns.columns.map((c) => c.value),
      ["a", "b"],
    );
    assert.equal(withColumns.query.body.kind, "values");
    const parenthesized = statement("INSERT INTO t (SELECT * FROM s)", "insert");
    assert.deepEqual(parenthesized.columns, []);
    assert.equal(parenthesized.query.body.kind, "query");
  });

  test("INSERT OVERWRITE with a static partition and a hint", () => {
    const i = statement(
      "INSERT OVERWRITE fs_sink /*+ OPTIONS('sink.parallelism' = '2') */ PARTITION (dt = '2024-01-01', hm = '10:00') SELECT a FROM s",
      "insert",
    );
    assert.equal(i.overwrite, true);
    assert.equal(i.hints[0]?.name.value, "OPTIONS");
    assert.deepEqual(withoutSpans(i.partition.map((p) => [p.column.value, p.value])), [
      ["dt", str("2024-01-01")],
      ["hm", str("10:00")],
    ]);
  });

  test("WITH ... SELECT as the query of an INSERT", () => {
    const i = statement("INSERT INTO t WITH x AS (SELECT 1 AS a) SELECT a FROM x", "insert");
    assert.equal(i.query.with.length, 1);
  });
});

describe("statement sets", () => {
  test("EXECUTE STATEMENT SET BEGIN ...; ...; END", () => {
    const s = statement(
      "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT * FROM s; INSERT INTO b SELECT * FROM s; END",
      "statement-set",
    );
    assert.equal(s.form, "execute");
    assert.deepEqual(
      s.inserts.map((i) => i.target.parts[0]?.value),
      ["a", "b"],
    );
  });

  test("the SQL client's BEGIN STATEMENT SET; ... END; inside a script", () => {
    const list = parseStatements(`
      SET 'pipeline.name' = 'two sinks';
      BEGIN STATEMENT SET;
      INSERT INTO a SELECT * FROM s;
      INSERT INTO b SELECT * FROM s;
      END;
      SELECT 1;`);
    assert.deepEqual(
      list.map((s) => s.kind),
      ["set", "statement-set", "query"],
    );
    const set = list[1]!;
    assert.ok(set.kind === "statement-set" && set.form === "client" && set.inserts.length === 2);
  });

  test("EXECUTE INSERT is the insert", () => {
    assert.equal(parseStatement("EXECUTE INSERT INTO a SELECT 1").kind, "insert");
  });
});

describe("EXPLAIN", () => {
  test("EXPLAIN PLAN FOR a query", () => {
    const e = statement("EXPLAIN PLAN FOR SELECT * FROM t", "explain");
    assert.deepEqual([e.planFor, e.details, e.statement.kind], [true, [], "query"]);
  });

  test("EXPLAIN with details, of an INSERT", () => {
    const e = statement(
      "EXPLAIN CHANGELOG_MODE, ESTIMATED_COST, JSON_EXECUTION_PLAN, PLAN_ADVICE INSERT INTO t SELECT 1",
      "explain",
    );
    assert.deepEqual(
      [e.planFor, e.details, e.statement.kind],
      [false, ["CHANGELOG_MODE", "ESTIMATED_COST", "JSON_EXECUTION_PLAN", "PLAN_ADVICE"], "insert"],
    );
  });

  test("EXPLAIN of a statement set, and plain EXPLAIN of a query", () => {
    const e = statement("EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END", "explain");
    assert.ok(e.statement.kind === "statement-set" && e.statement.form === "explain");
    assert.equal(statement("EXPLAIN SELECT 1", "explain").statement.kind, "query");
  });
});

describe("client statements", () => {
  test("SET lists or sets an option", () => {
    assert.equal(statement("SET", "set").option, null);
    assert.deepEqual(withoutSpans(statement("SET 'table.local-time-zone' = 'Europe/Berlin'", "set").option), {
      kind: "key-value",
      key: str("table.local-time-zone"),
      value: str("Europe/Berlin"),
    });
  });

  test("RESET all or one option", () => {
    assert.equal(statement("RESET", "reset").key, null);
    assert.equal(statement("RESET 'parallelism.default'", "reset").key?.value, "parallelism.default");
  });

  test("SHOW objects, with FROM and [NOT] LIKE where Flink allows them", () => {
    const cases: [string, string, string | null, unknown][] = [
      ["SHOW TABLES", "TABLES", null, null],
      ["SHOW VIEWS", "VIEWS", null, null],
      ["SHOW FUNCTIONS", "FUNCTIONS", null, null],
      ["SHOW USER FUNCTIONS", "USER FUNCTIONS", null, null],
      ["SHOW CATALOGS", "CATALOGS", null, null],
      ["SHOW DATABASES", "DATABASES", null, null],
      ["SHOW CURRENT CATALOG", "CURRENT CATALOG", null, null],
      ["SHOW CURRENT DATABASE", "CURRENT DATABASE", null, null],
      ["SHOW MODULES", "MODULES", null, null],
      ["SHOW FULL MODULES", "FULL MODULES", null, null],
      ["SHOW JARS", "JARS", null, null],
      ["SHOW TABLES FROM cat.db LIKE 'a%'", "TABLES", "db", { negated: false, pattern: str("a%") }],
      ["SHOW TABLES IN db NOT LIKE 'tmp%'", "TABLES", "db", { negated: true, pattern: str("tmp%") }],
      ["SHOW COLUMNS FROM orders", "COLUMNS", "orders", null],
    ];
    for (const [sql, object, from, like] of cases) {
      const s = statement(sql, "show");
      assert.deepEqual(
        [s.object, s.from?.parts.at(-1)?.value ?? null, withoutSpans(s.like)],
        [object, from, like],
        sql,
      );
    }
  });

  test("SHOW CREATE TABLE | VIEW", () => {
    const s = statement("SHOW CREATE TABLE cat.db.t", "show-create");
    assert.deepEqual([s.object, s.name.parts.length], ["TABLE", 3]);
    assert.equal(statement("SHOW CREATE VIEW v", "show-create").object, "VIEW");
  });

  test("DESCRIBE and DESC, with EXTENDED", () => {
    assert.deepEqual(
      [
        statement("DESCRIBE orders", "describe").extended,
        statement("DESC EXTENDED db.orders", "describe").extended,
      ],
      [false, true],
    );
    assert.equal(statement("DESC extended", "describe").name.parts[0]?.value, "extended");
  });

  test("USE a database, a catalog, or modules", () => {
    const db = statement("USE cat.db", "use");
    assert.deepEqual([db.object, db.names[0]?.parts.length], ["DATABASE", 2]);
    assert.equal(statement("USE CATALOG my_cat", "use").object, "CATALOG");
    const modules = statement("USE MODULES hive, core", "use");
    assert.deepEqual([modules.object, modules.names.length], ["MODULES", 2]);
  });
});

describe("scripts", () => {
  test("statements separated by semicolons, with empty statements, comments and no final semicolon", () => {
    const list = parseStatements(`
      -- the source
      CREATE TABLE t (a INT) WITH ('connector' = 'datagen');;
      /* the query */ SELECT a FROM t;
      ;
      SHOW TABLES`);
    assert.deepEqual(
      list.map((s) => s.kind),
      ["create-table", "query", "show"],
    );
  });

  test("an empty script has no statements", () => {
    assert.deepEqual(parseStatements("  -- nothing\n ; ; "), []);
  });

  test("spans locate each statement in the script", () => {
    const sql = "SELECT 1;\n  SHOW TABLES ;";
    const [first, second] = parseStatements(sql);
    assert.equal(sql.slice(first!.span.start.offset, first!.span.end.offset), "SELECT 1");
    assert.equal(sql.slice(second!.span.start.offset, second!.span.end.offset), "SHOW TABLES");
    assert.deepEqual([second!.span.start.line, second!.span.start.column], [2, 3]);
  });
});
