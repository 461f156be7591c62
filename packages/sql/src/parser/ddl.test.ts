/**
 * Tests for DDL: CREATE TABLE with every column kind, watermarks, primary keys (table and column
 * level), comments, partitioning, options and CTAS; CREATE VIEW; CREATE FUNCTION; DROP.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CreateFunction, CreateView, Drop, Statement } from "../ast/statements.ts";
import { SqlSyntaxError } from "../errors.ts";
import { parseStatement } from "../parse.ts";
import { printExpression } from "../printer/expressions.ts";
import { withoutSpans } from "../testing/trees.ts";

function statement<K extends Statement["kind"]>(sql: string, kind: K): Extract<Statement, { kind: K }> {
  const s = parseStatement(sql);
  assert.equal(s.kind, kind);
  return s as Extract<Statement, { kind: K }>;
}

const ident = (value: string) => ({ kind: "identifier", value });
const str = (value: string) => ({ kind: "string-literal", value });
const simple = (name: string, params: number[] = [], notNull = false) => ({
  kind: "simple-type",
  name,
  params,
  notNull,
});

describe("CREATE TABLE", () => {
  const kafka = `
    CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (
      order_id BIGINT NOT NULL,
      price DECIMAL(10, 2) COMMENT 'unit price',
      buyer ROW<name STRING, tags ARRAY<STRING>>,
      attrs MAP<STRING, INT>,
      payload BYTES,
      ts TIMESTAMP(3),
      ltz TIMESTAMP(3) WITH LOCAL TIME ZONE,
      total AS price * 2 COMMENT 'doubled',
      proc AS PROCTIME(),
      kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
      \`partition\` BIGINT METADATA VIRTUAL,
      headers MAP<STRING, BYTES> METADATA,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
      PRIMARY KEY (order_id) NOT ENFORCED
    ) COMMENT 'orders from kafka'
    PARTITIONED BY (order_id)
    WITH (
      'connector' = 'kafka',
      'topic' = 'orders',
      'format' = 'json'
    )`;

  test("header, comment, partitioning and options", () => {
    const t = statement(kafka, "create-table");
    assert.equal(t.temporary, true);
    assert.equal(t.ifNotExists, true);
    assert.deepEqual(
      t.name.parts.map((p) => p.value),
      ["cat", "db", "orders"],
    );
    assert.equal(t.comment?.value, "orders from kafka");
    assert.deepEqual(withoutSpans(t.partitionedBy), [ident("order_id")]);
    assert.deepEqual(
      t.options.map((o) => [o.key.value, o.value.value]),
      [
        ["connector", "kafka"],
        ["topic", "orders"],
        ["format", "json"],
      ],
    );
    assert.equal(t.asQuery, null);
  });

  test("physical columns with types, NOT NULL and comments", () => {
    const t = statement(kafka, "create-table");
    assert.deepEqual(withoutSpans(t.columns.slice(0, 2)), [
      { kind: "physical-column", name: ident("order_id"), type: simple("BIGINT", [], true), comment: null },
      {
        kind: "physical-column",
        name: ident("price"),
        type: simple("DECIMAL", [10, 2]),
        comment: str("unit price"),
      },
    ]);
    assert.deepEqual(
      t.columns.slice(2, 7).map((c) => (c.kind === "physical-column" ? c.type.kind : c.kind)),
      ["row-type", "map-type", "simple-type", "simple-type", "simple-type"],
    );
    const ltz = t.columns[6];
    assert.ok(
      ltz?.kind === "physical-column" && ltz.type.kind === "simple-type" && ltz.type.name === "TIMESTAMP_LTZ",
    );
  });

  test("computed columns", () => {
    const t = statement(kafka, "create-table");
    const total = t.columns[7];
    assert.ok(total?.kind === "computed-column");
    assert.equal(printExpression(total.expression), "price * 2");
    assert.equal(total.comment?.value, "doubled");
    assert.equal(t.columns[8]?.kind, "computed-column");
  });

  test("metadata columns with FROM key, VIRTUAL, and neither", () => {
    const t = statement(kafka, "create-table");
    assert.deepEqual(withoutSpans(t.columns.slice(9)), [
      {
        kind: "metadata-column",
        name: ident("kafka_ts"),
        type: simple("TIMESTAMP_LTZ", [3]),
        key: str("timestamp"),
        virtual: false,
        comment: null,
      },
      {
        kind: "metadata-column",
        name: ident("partition"),
        type: simple("BIGINT"),
        key: null,
        virtual: true,
        comment: null,
      },
      {
        kind: "metadata-column",
        name: ident("headers"),
        type: { kind: "map-type", key: simple("STRING"), value: simple("BYTES"), notNull: false },
        key: null,
        virtual: false,
        comment: null,
      },
    ]);
  });

  test("watermark and table-level primary key", () => {
    const t = statement(kafka, "create-table");
    assert.equal(t.watermarks.length, 1);
    assert.deepEqual(withoutSpans(t.watermarks[0]?.column), [ident("ts")]);
    assert.equal(printExpression(t.watermarks[0]!.strategy), "ts - INTERVAL '5' SECOND");
    assert.deepEqual(withoutSpans(t.primaryKey), {
      kind: "primary-key",
      name: null,
      columns: [ident("order_id")],
      enforcement: "NOT ENFORCED",
    });
  });

  test("a column-level primary key and a named constraint are recorded on the table", () => {
    const column = statement(
      "CREATE TABLE t (id BIGINT PRIMARY KEY NOT ENFORCED COMMENT 'k', v STRING)",
      "create-table",
    );
    assert.deepEqual(withoutSpans(column.primaryKey), {
      kind: "primary-key",
      name: null,
      columns: [ident("id")],
      enforcement: "NOT ENFORCED",
    });
    assert.equal(column.columns[0]?.comment?.value, "k");
    const named = statement(
      "CREATE TABLE t (a INT, b INT, CONSTRAINT pk PRIMARY KEY (a, b) NOT ENFORCED)",
      "create-table",
    );
    assert.deepEqual(withoutSpans(named.primaryKey), {
      kind: "primary-key",
      name: ident("pk"),
      columns: [ident("a"), ident("b")],
      enforcement: "NOT ENFORCED",
    });
    const enforced = statement("CREATE TABLE t (a INT PRIMARY KEY)", "create-table");
    assert.equal(enforced.primaryKey?.enforcement, null);
  });

  test("a second primary key is an error at its start", () => {
    const sql = "CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)";
    assert.throws(
      () => parseStatement(sql),
      (e: unknown) => e instanceof SqlSyntaxError && e.column === 49 && /only one PRIMARY KEY/.test(e.reason),
    );
  });

  test("non-reserved keywords still name columns: key, watermark, metadata, comment", () => {
    const t = statement(
      "CREATE TABLE side_input (key BIGINT, watermark INT, metadata STRING, comment STRING)",
      "create-table",
    );
    assert.deepEqual(
      t.columns.map((c) => c.name.value),
      ["key", "watermark", "metadata", "comment"],
    );
  });

  test("a watermark on a nested field, and a table with no WITH clause", () => {
    const t = statement(
      "CREATE TABLE t (r ROW<ts TIMESTAMP(3)>, WATERMARK FOR r.ts AS r.ts)",
      "create-table",
    );
    assert.deepEqual(withoutSpans(t.watermarks[0]?.column), [ident("r"), ident("ts")]);
    assert.deepEqual(t.options, []);
  });

  test("CREATE TABLE ... WITH (...) AS SELECT", () => {
    const t = statement(
      "CREATE TABLE copy WITH ('connector' = 'blackhole') AS SELECT * FROM src",
      "create-table",
    );
    assert.deepEqual(t.columns, []);
    assert.equal(t.asQuery?.kind, "query");
  });
});

describe("CREATE VIEW, CREATE FUNCTION, DROP", () => {
  test("CREATE [TEMPORARY] VIEW with columns and comment", () => {
    const v: CreateView = statement(
      "CREATE TEMPORARY VIEW IF NOT EXISTS v (a, b) COMMENT 'c' AS SELECT x, y FROM t",
      "create-view",
    );
    assert.deepEqual(
      [v.temporary, v.ifNotExists, v.columns.map((c) => c.value), v.comment?.value],
      [true, true, ["a", "b"], "c"],
    );
    const plain = statement(
      "CREATE VIEW bid AS SELECT bid.auction, dateTime FROM datagen WHERE event_type = 2",
      "create-view",
    );
    assert.equal(plain.temporary, false);
  });

  test("CREATE FUNCTION with LANGUAGE and USING JAR", () => {
    const f: CreateFunction = statement(
      "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS count_char AS 'com.example.CountChar' LANGUAGE JAVA USING JAR '/a.jar', JAR '/b.jar'",
      "create-function",
    );
    assert.deepEqual(
      [
        f.temporary,
        f.system,
        f.ifNotExists,
        f.name.parts[0]?.value,
        f.identifier.value,
        f.language,
        f.jars.map((j) => j.value),
      ],
      [true, true, true, "count_char", "com.example.CountChar", "JAVA", ["/a.jar", "/b.jar"]],
    );
    const plain = statement("CREATE FUNCTION db.f AS 'pkg.F'", "create-function");
    assert.deepEqual([plain.temporary, plain.system, plain.language], [false, false, null]);
  });

  test("DROP TABLE | VIEW | FUNCTION with TEMPORARY and IF EXISTS", () => {
    const cases: [string, Partial<Drop>][] = [
      ["DROP TABLE t", { object: "TABLE", temporary: false, system: false, ifExists: false }],
      [
        "DROP TEMPORARY VIEW IF EXISTS db.v",
        { object: "VIEW", temporary: true, system: false, ifExists: true },
      ],
      ["DROP FUNCTION IF EXISTS f", { object: "FUNCTION", temporary: false, system: false, ifExists: true }],
      [
        "DROP TEMPORARY SYSTEM FUNCTION f",
        { object: "FUNCTION", temporary: true, system: true, ifExists: false },
      ],
    ];
    for (const [sql, expected] of cases) {
      const d = statement(sql, "drop");
      assert.deepEqual(
        { object: d.object, temporary: d.temporary, system: d.system, ifExists: d.ifExists },
        expected,
        sql,
      );
    }
  });
});
