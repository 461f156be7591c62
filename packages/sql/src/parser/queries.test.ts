/**
 * Tests for queries: SELECT lists, FROM clauses (joins, derived tables, table functions, UNNEST,
 * temporal joins, hints), WHERE/GROUP BY/HAVING/WINDOW/QUALIFY, ORDER BY/LIMIT/OFFSET/FETCH,
 * WITH, VALUES, and set operations with their precedence.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Query, QueryBody, Select, TableReference } from "../ast/queries.ts";
import { parseQuery } from "../parse.ts";
import { printExpression } from "../printer/expressions.ts";
import { printQuery, printTableReference } from "../printer/queries.ts";
import { withoutSpans } from "../testing/trees.ts";

function select(sql: string): Select {
  const body = parseQuery(sql).body;
  assert.equal(body.kind, "select");
  return body as Select;
}

function from(sql: string): TableReference {
  const ref = select(sql).from;
  assert.ok(ref !== null);
  return ref;
}

/** A compact rendering of set-operation nesting: `(a UNION (b INTERSECT c))`. */
function setShape(body: QueryBody): string {
  switch (body.kind) {
    case "set-operation":
      return `(${setShape(body.left)} ${body.operator}${body.all ? " ALL" : ""} ${setShape(body.right)})`;
    case "select": {
      const item = body.items[0];
      return item?.kind === "select-expression" ? printExpression(item.expression) : "*";
    }
    case "values":
      return "values";
    case "query":
      return `[${setShape(body.body)}]`;
  }
}

const ident = (value: string) => ({ kind: "identifier", value });
const ref = (...parts: string[]) => ({ kind: "reference", parts: parts.map(ident) });

describe("select list", () => {
  test("expressions with and without AS, *, and qualified stars", () => {
    const s = select("SELECT a, b AS x, c y, *, t.*, cat.db.t.* FROM t");
    assert.deepEqual(withoutSpans(s.items), [
      { kind: "select-expression", expression: ref("a"), alias: null },
      { kind: "select-expression", expression: ref("b"), alias: ident("x") },
      { kind: "select-expression", expression: ref("c"), alias: ident("y") },
      { kind: "select-star", qualifier: [] },
      { kind: "select-star", qualifier: [ident("t")] },
      { kind: "select-star", qualifier: [ident("cat"), ident("db"), ident("t")] },
    ]);
  });

  test("DISTINCT and ALL", () => {
    assert.equal(select("SELECT DISTINCT a FROM t").distinct, true);
    assert.equal(select("SELECT ALL a FROM t").distinct, false);
  });

  test("a SELECT without FROM", () => {
    const s = select("SELECT 1, 'a'");
    assert.equal(s.from, null);
    assert.equal(s.items.length, 2);
  });

  test("a query hint after SELECT", () => {
    const s = select("SELECT /*+ BROADCAST(dim), STATE_TTL('a' = '1d') */ * FROM a JOIN dim ON a.k = dim.k");
    assert.deepEqual(withoutSpans(s.hints), [
      { kind: "hint", name: ident("BROADCAST"), args: [ident("dim")] },
      {
        kind: "hint",
        name: ident("STATE_TTL"),
        args: [
          {
            kind: "key-value",
            key: { kind: "string-literal", value: "a" },
            value: { kind: "string-literal", value: "1d" },
          },
        ],
      },
    ]);
  });
});

describe("FROM", () => {
  test("a qualified table name with an alias and column aliases", () => {
    assert.deepEqual(withoutSpans(from("SELECT * FROM cat.db.orders AS o (a, b)")), {
      kind: "table-name",
      name: { kind: "qualified-name", parts: [ident("cat"), ident("db"), ident("orders")] },
      hints: [],
      systemTime: null,
      alias: { kind: "table-alias", name: ident("o"), columns: [ident("a"), ident("b")] },
    });
  });

  test("a table hint with options", () => {
    const ref = from("SELECT * FROM kafka_t /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */ k");
    assert.ok(ref.kind === "table-name");
    assert.equal(ref.hints[0]?.name.value, "OPTIONS");
    assert.equal(ref.alias?.name.value, "k");
  });

  test("join types, OUTER, NATURAL, USING and CROSS", () => {
    const cases: [string, string][] = [
      ["a JOIN b ON a.x = b.x", "a INNER JOIN b ON a.x = b.x"],
      ["a INNER JOIN b ON TRUE", "a INNER JOIN b ON TRUE"],
      ["a LEFT JOIN b ON p", "a LEFT JOIN b ON p"],
      ["a LEFT OUTER JOIN b ON p", "a LEFT JOIN b ON p"],
      ["a RIGHT OUTER JOIN b USING (k, j)", "a RIGHT JOIN b USING (k, j)"],
      ["a FULL JOIN b ON p", "a FULL JOIN b ON p"],
      ["a CROSS JOIN b", "a CROSS JOIN b"],
      ["a NATURAL JOIN b", "a NATURAL INNER JOIN b"],
      ["a, b", "a, b"],
    ];
    for (const [sql, expected] of cases) {
      assert.equal(printTableReference(from(`SELECT * FROM ${sql}`)), expected, sql);
    }
  });

  test("comma and explicit joins form one left-deep chain in the order written", () => {
    const ref = from("SELECT * FROM a, b JOIN c ON p LEFT JOIN d ON q");
    assert.ok(ref.kind === "join" && ref.type === "LEFT");
    assert.ok(ref.left.kind === "join" && ref.left.type === "INNER");
    assert.ok(ref.left.left.kind === "join" && ref.left.left.type === "COMMA");
  });

  test("a parenthesized join nests on the right", () => {
    const ref = from("SELECT * FROM a JOIN (b JOIN c ON p) ON q");
    assert.ok(ref.kind === "join" && ref.right.kind === "join");
    assert.equal(printTableReference(ref), "a INNER JOIN (b INNER JOIN c ON p) ON q");
  });

  test("derived tables with and without alias, and LATERAL subqueries", () => {
    const ref = from("SELECT * FROM (SELECT a FROM t) AS s, (SELECT b FROM u), LATERAL (SELECT c FROM v) w");
    assert.ok(ref.kind === "join" && ref.left.kind === "join");
    const [first, second, third] = [ref.left.left, ref.left.right, ref.right];
    assert.ok(first.kind === "derived-table" && first.alias?.name.value === "s" && !first.lateral);
    assert.ok(second.kind === "derived-table" && second.alias === null);
    assert.ok(third.kind === "derived-table" && third.lateral && third.alias?.name.value === "w");
  });

  test("window table functions: TUMBLE, HOP, CUMULATE, SESSION", () => {
    for (const fn of [
      "TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)",
      "HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)",
      "CUMULATE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES)",
      "SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '5' MINUTES)",
      "HOP(DATA => TABLE bid, TIMECOL => DESCRIPTOR(dateTime), SLIDE => INTERVAL '1' MINUTE, SIZE => INTERVAL '5' MINUTE)",
    ]) {
      const ref = from(`SELECT * FROM TABLE(${fn})`);
      assert.ok(ref.kind === "table-function" && !ref.lateral, fn);
      assert.equal(ref.call.name.parts[0]?.value, fn.slice(0, fn.indexOf("(")));
    }
  });

  test("LATERAL TABLE with an alias and column list, joined LEFT ... ON TRUE", () => {
    const ref = from("SELECT * FROM t LEFT JOIN LATERAL TABLE(split(s)) AS T(word, len) ON TRUE");
    assert.ok(ref.kind === "join" && ref.right.kind === "table-function");
    assert.ok(ref.right.lateral);
    assert.deepEqual(withoutSpans(ref.right.alias), {
      kind: "table-alias",
      name: ident("T"),
      columns: [ident("word"), ident("len")],
    });
  });

  test("UNNEST with ordinality", () => {
    const ref = from("SELECT * FROM t CROSS JOIN UNNEST(tags) WITH ORDINALITY AS x(tag, pos)");
    assert.ok(ref.kind === "join" && ref.right.kind === "unnest" && ref.right.withOrdinality);
  });

  test("temporal join: FOR SYSTEM_TIME AS OF before the alias", () => {
    const join = from(
      "SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.proctime AS r ON o.c = r.c",
    );
    assert.ok(join.kind === "join" && join.right.kind === "table-name");
    assert.deepEqual(withoutSpans(join.right.systemTime), ref("o", "proctime"));
    assert.equal(join.right.alias?.name.value, "r");
  });
});

describe("clauses", () => {
  test("WHERE, GROUP BY, HAVING", () => {
    const s = select("SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2");
    assert.ok(s.where !== null && s.having !== null);
    assert.deepEqual(withoutSpans(s.groupBy), [ref("a")]);
  });

  test("GROUPING SETS, ROLLUP, CUBE and the empty grouping set", () => {
    const s = select("SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), a, ()), ROLLUP (a, b), CUBE (c)");
    assert.deepEqual(withoutSpans(s.groupBy), [
      {
        kind: "grouping-sets",
        sets: [
          { kind: "row", values: [ref("a"), ref("b")], keyword: false },
          ref("a"),
          { kind: "empty-grouping-set" },
        ],
      },
      { kind: "rollup", items: [ref("a"), ref("b")] },
      { kind: "cube", items: [ref("c")] },
    ]);
  });

  test("GROUPING(a) is still a function call", () => {
    const s = select("SELECT GROUPING(a) FROM t GROUP BY a");
    assert.equal(s.items[0]?.kind === "select-expression" && s.items[0].expression.kind, "call");
  });

  test("legacy group windows are calls in GROUP BY", () => {
    const s = select("SELECT 1 FROM bid B GROUP BY B.bidder, SESSION(B.dateTime, INTERVAL '10' SECOND)");
    assert.equal(s.groupBy[1]?.kind, "call");
  });

  test("WINDOW clause with OVER w, and QUALIFY", () => {
    const s = select(
      "SELECT SUM(x) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY ts ROWS 2 PRECEDING) QUALIFY ROW_NUMBER() OVER w = 1",
    );
    assert.equal(s.windows.length, 1);
    assert.equal(s.windows[0]?.name.value, "w");
    assert.equal(s.windows[0]?.spec.frame?.unit, "ROWS");
    assert.ok(s.qualify !== null);
  });

  test("ORDER BY with directions and null ordering, LIMIT and OFFSET", () => {
    const q = parseQuery("SELECT * FROM t ORDER BY a DESC NULLS FIRST, b LIMIT 10 OFFSET 5");
    assert.deepEqual(withoutSpans(q.orderBy), [
      { kind: "order-item", expression: ref("a"), direction: "DESC", nulls: "FIRST" },
      { kind: "order-item", expression: ref("b"), direction: null, nulls: null },
    ]);
    assert.equal(q.limit?.kind === "number-literal" && q.limit.text, "10");
    assert.equal(q.offset?.kind === "number-literal" && q.offset.text, "5");
  });

  test("OFFSET ... ROWS FETCH FIRST ... ROWS ONLY, and FETCH NEXT 1 ROW ONLY", () => {
    const q = parseQuery("SELECT * FROM t ORDER BY a OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY");
    assert.equal(q.offset?.kind === "number-literal" && q.offset.text, "2");
    assert.equal(q.limit?.kind === "number-literal" && q.limit.text, "3");
    assert.equal(parseQuery("SELECT * FROM t FETCH NEXT 1 ROW ONLY").limit?.kind, "number-literal");
  });
});

describe("query expressions", () => {
  test("WITH with column lists", () => {
    const q = parseQuery("WITH a (x) AS (SELECT 1), b AS (SELECT x FROM a) SELECT * FROM b");
    assert.deepEqual(
      q.with.map((cte) => [cte.name.value, cte.columns.map((c) => c.value)]),
      [
        ["a", ["x"]],
        ["b", []],
      ],
    );
  });

  test("VALUES rows: parenthesized lists, ROW(...) and single values", () => {
    const q = parseQuery("VALUES (1, 'a'), ROW(2, 'b'), (3)");
    assert.ok(q.body.kind === "values");
    assert.deepEqual(
      q.body.rows.map((row) => row.length),
      [2, 2, 1],
    );
  });

  test("INTERSECT binds tighter than UNION and EXCEPT; all are left-associative", () => {
    const cases: [string, string][] = [
      ["SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", "(1 UNION (2 INTERSECT 3))"],
      ["SELECT 1 INTERSECT SELECT 2 UNION SELECT 3", "((1 INTERSECT 2) UNION 3)"],
      ["SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3", "((1 UNION ALL 2) EXCEPT 3)"],
      ["SELECT 1 EXCEPT SELECT 2 MINUS SELECT 3", "((1 EXCEPT 2) EXCEPT 3)"],
      ["SELECT 1 UNION DISTINCT (SELECT 2 UNION SELECT 3)", "(1 UNION [(2 UNION 3)])"],
      ["SELECT 1 INTERSECT ALL SELECT 2 INTERSECT SELECT 3", "((1 INTERSECT ALL 2) INTERSECT 3)"],
    ];
    for (const [sql, expected] of cases) assert.equal(setShape(parseQuery(sql).body), expected, sql);
  });

  test("ORDER BY and LIMIT after a set operation belong to the whole query", () => {
    const q = parseQuery("SELECT a FROM t UNION SELECT a FROM u ORDER BY a LIMIT 3");
    assert.equal(q.body.kind, "set-operation");
    assert.equal(q.orderBy.length, 1);
    assert.ok(q.limit !== null);
  });

  test("a parenthesized operand keeps its own ORDER BY and LIMIT", () => {
    const q = parseQuery("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u)");
    assert.ok(q.body.kind === "set-operation" && q.body.left.kind === "query");
    assert.equal((q.body.left as Query).limit?.kind, "number-literal");
  });

  test("subqueries in WHERE: IN, EXISTS, scalar", () => {
    const s = select(
      "SELECT * FROM a WHERE a.id IN (SELECT auction FROM bid GROUP BY auction HAVING COUNT(*) >= 20) " +
        "AND EXISTS (SELECT 1 FROM b WHERE b.k = a.k) AND a.x > (SELECT AVG(x) FROM a)",
    );
    const where = s.where!;
    assert.ok(where.kind === "binary" && where.operator === "AND");
    assert.ok(where.left.kind === "binary" && where.left.operator === "AND");
    assert.equal(where.left.left.kind, "in-query");
    assert.equal(where.left.right.kind, "exists");
    assert.ok(where.right.kind === "binary" && where.right.right.kind === "scalar-subquery");
  });

  test("Top-N over a ROW_NUMBER subquery", () => {
    const q = parseQuery(
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid) WHERE rn <= 10",
    );
    assert.equal(
      printQuery(q),
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid) WHERE rn <= 10",
    );
  });
});
