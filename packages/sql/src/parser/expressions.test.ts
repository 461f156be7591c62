/**
 * Tests for expressions: operator precedence and associativity (checked through the fully
 * parenthesizing printer), and the exact tree of every literal and special construct.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseExpression } from "../parse.ts";
import { printExpression } from "../printer/expressions.ts";
import { withoutSpans } from "../testing/trees.ts";

/** Asserts that `sql` parses to the same tree as `explicit`: parentheses leave no node. */
function sameTree(sql: string, explicit: string): void {
  assert.deepEqual(withoutSpans(parseExpression(sql)), withoutSpans(parseExpression(explicit)));
}

/** The canonical printed form, for constructs whose tree is easier to read as SQL. */
function shape(sql: string): string {
  return printExpression(parseExpression(sql));
}

function tree(sql: string): unknown {
  return withoutSpans(parseExpression(sql));
}

const ref = (...parts: string[]) => ({
  kind: "reference",
  parts: parts.map((value) => ({ kind: "identifier", value })),
});
const int = (text: string) => ({ kind: "number-literal", text, form: "integer" });
const str = (value: string) => ({ kind: "string-literal", value });
const name = (...parts: string[]) => ({
  kind: "qualified-name",
  parts: parts.map((value) => ({ kind: "identifier", value })),
});
const call = (fn: string, args: unknown[], extra: Record<string, unknown> = {}) => ({
  kind: "call",
  name: name(fn),
  quantifier: null,
  args,
  filter: null,
  over: null,
  parenthesized: true,
  ...extra,
});

describe("precedence and associativity", () => {
  const cases: [string, string][] = [
    ["a OR b AND c", "a OR (b AND c)"],
    ["a AND b OR c", "(a AND b) OR c"],
    ["a OR b OR c", "(a OR b) OR c"],
    ["NOT a = b", "NOT (a = b)"],
    ["NOT a AND b", "(NOT a) AND b"],
    ["NOT NOT a", "NOT (NOT a)"],
    ["a = b OR c < d", "(a = b) OR (c < d)"],
    ["a + b * c", "a + (b * c)"],
    ["a * b + c", "(a * b) + c"],
    ["a - b - c", "(a - b) - c"],
    ["a / b % c", "(a / b) % c"],
    ["a || b + c", "(a || b) + c"],
    ["a + b || c", "a + (b || c)"],
    ["-a * b", "(-a) * b"],
    ["- - a", "-(-a)"],
    ["-a.b", "-(a.b)"],
    ["-f(x).b", "-(f(x).b)"],
    ["+a - -b", "(+a) - (-b)"],
    ["a = b = c", "(a = b) = c"],
    ["a = b IS NULL", "(a = b) IS NULL"],
    ["NOT a IS NULL", "NOT (a IS NULL)"],
    ["a IS NOT NULL AND b IS TRUE", "(a IS NOT NULL) AND (b IS TRUE)"],
    ["a IS NOT FALSE OR b IS UNKNOWN", "(a IS NOT FALSE) OR (b IS UNKNOWN)"],
    ["a IS DISTINCT FROM b + 1", "a IS DISTINCT FROM (b + 1)"],
    ["a IS NOT DISTINCT FROM b = c", "(a IS NOT DISTINCT FROM b) = c"],
    ["x BETWEEN 1 AND 2 AND y", "(x BETWEEN 1 AND 2) AND y"],
    ["x NOT BETWEEN a + 1 AND b * 2", "x NOT BETWEEN (a + 1) AND (b * 2)"],
    ["x BETWEEN ASYMMETRIC 1 AND 2", "x BETWEEN 1 AND 2"],
    ["a = b BETWEEN 1 AND 2", "a = (b BETWEEN 1 AND 2)"],
    ["a LIKE 'x%' ESCAPE '!' AND b", "(a LIKE 'x%' ESCAPE '!') AND b"],
    ["a NOT LIKE b || '%'", "a NOT LIKE (b || '%')"],
    ["a SIMILAR TO 'a|b' OR a NOT SIMILAR TO 'c'", "(a SIMILAR TO 'a|b') OR (a NOT SIMILAR TO 'c')"],
    ["x IN (1, 2) OR y NOT IN (3)", "(x IN (1, 2)) OR (y NOT IN (3))"],
    ["a + 1 IN (b, c)", "(a + 1) IN (b, c)"],
    ["((a))", "a"],
    ["a <> b AND a != c", "(a <> b) AND (a <> c)"],
    ["a <= b AND a >= c AND a < d AND a > e", "(((a <= b) AND (a >= c)) AND (a < d)) AND (a > e)"],
    ["f(x)[1].name", "((f(x))[1]).name"],
    ["m['k'][2]", "((m)['k'])[2]"],
  ];
  for (const [sql, explicit] of cases) {
    test(`${sql}  reads as  ${explicit}`, () => sameTree(sql, explicit));
  }

  test("parentheses override precedence", () => {
    const e = parseExpression("(a OR b) AND c");
    assert.ok(
      e.kind === "binary" && e.operator === "AND" && e.left.kind === "binary" && e.left.operator === "OR",
    );
    const f = parseExpression("a - (b - c)");
    assert.ok(f.kind === "binary" && f.left.kind === "reference" && f.right.kind === "binary");
    assert.notDeepEqual(
      withoutSpans(parseExpression("a OR b AND c")),
      withoutSpans(parseExpression("(a OR b) AND c")),
    );
  });

  test("a field access on a negated value differs from negating a field", () => {
    assert.notDeepEqual(withoutSpans(parseExpression("-a.b")), withoutSpans(parseExpression("(-a).b")));
    assert.equal(parseExpression("(-a).b").kind, "field-access");
  });
});

describe("literals", () => {
  test("numbers keep their exact text and say whether they are exact", () => {
    assert.deepEqual(tree("12345678901234567890123"), int("12345678901234567890123"));
    assert.deepEqual(tree("0.908"), { kind: "number-literal", text: "0.908", form: "decimal" });
    assert.deepEqual(tree("1.5E-3"), { kind: "number-literal", text: "1.5E-3", form: "approximate" });
  });

  test("a negative number is unary minus on the number", () => {
    assert.deepEqual(tree("-5"), { kind: "unary", operator: "-", operand: int("5") });
  });

  test("strings, binary strings, booleans and NULL", () => {
    assert.deepEqual(tree("'it''s'"), str("it's"));
    assert.deepEqual(tree("X'CAFE'"), { kind: "binary-literal", hex: "CAFE" });
    assert.deepEqual(tree("true"), { kind: "boolean-literal", value: true });
    assert.deepEqual(tree("FALSE"), { kind: "boolean-literal", value: false });
    assert.deepEqual(tree("null"), { kind: "null-literal" });
  });

  test("DATE, TIME and TIMESTAMP literals", () => {
    assert.deepEqual(tree("DATE '2020-01-31'"), {
      kind: "datetime-literal",
      type: "DATE",
      value: "2020-01-31",
    });
    assert.deepEqual(tree("time '12:30:00'"), { kind: "datetime-literal", type: "TIME", value: "12:30:00" });
    assert.deepEqual(tree("TIMESTAMP '2020-01-31 12:30:00.123'"), {
      kind: "datetime-literal",
      type: "TIMESTAMP",
      value: "2020-01-31 12:30:00.123",
    });
  });

  const interval = (value: string, start: string, extra: Record<string, unknown> = {}, negative = false) => ({
    kind: "interval-literal",
    negative,
    value,
    qualifier: {
      kind: "interval-qualifier",
      start,
      startPrecision: null,
      end: null,
      fractionalPrecision: null,
      ...extra,
    },
  });

  test("INTERVAL with one unit, plural units folded to singular", () => {
    assert.deepEqual(tree("INTERVAL '5' SECOND"), interval("5", "SECOND"));
    assert.deepEqual(tree("INTERVAL '10' MINUTES"), interval("10", "MINUTE"));
    assert.deepEqual(tree("interval '2' days"), interval("2", "DAY"));
  });

  test("INTERVAL ranges and precisions", () => {
    assert.deepEqual(tree("INTERVAL '1:30' HOUR TO MINUTE"), interval("1:30", "HOUR", { end: "MINUTE" }));
    assert.deepEqual(tree("INTERVAL '2-10' YEAR TO MONTH"), interval("2-10", "YEAR", { end: "MONTH" }));
    assert.deepEqual(
      tree("INTERVAL '10 00:00:00.004' DAY(2) TO SECOND(3)"),
      interval("10 00:00:00.004", "DAY", { startPrecision: 2, end: "SECOND", fractionalPrecision: 3 }),
    );
    assert.deepEqual(
      tree("INTERVAL '1.5' SECOND(2, 3)"),
      interval("1.5", "SECOND", { startPrecision: 2, fractionalPrecision: 3 }),
    );
  });

  test("INTERVAL with a sign before the string", () => {
    assert.deepEqual(tree("INTERVAL -'1' DAY"), interval("1", "DAY", {}, true));
    assert.deepEqual(tree("INTERVAL +'1' DAY"), interval("1", "DAY"));
  });

  test("an interval subtracted from a column, as in WATERMARK strategies", () => {
    assert.equal(shape("ts - INTERVAL '5' SECOND"), "ts - INTERVAL '5' SECOND");
  });
});

describe("names and calls", () => {
  test("dotted references and backquoted parts", () => {
    assert.deepEqual(tree("B.dateTime"), ref("B", "dateTime"));
    assert.deepEqual(tree("S.`value`"), ref("S", "value"));
    assert.deepEqual(tree("t.person.name"), ref("t", "person", "name"));
  });

  test("COUNT(*), COUNT(DISTINCT x), and a qualified function name", () => {
    assert.deepEqual(tree("count(*)"), call("count", [{ kind: "star-argument" }]));
    assert.deepEqual(
      tree("COUNT(DISTINCT bidder)"),
      call("COUNT", [ref("bidder")], { quantifier: "DISTINCT" }),
    );
    assert.deepEqual(tree("SUM(ALL x)"), call("SUM", [ref("x")], { quantifier: "ALL" }));
    assert.deepEqual(tree("db.my_fn(1)"), { ...call("my_fn", [int("1")]), name: name("db", "my_fn") });
    assert.deepEqual(tree("PROCTIME()"), call("PROCTIME", []));
  });

  test("reserved words that name functions are callable", () => {
    assert.deepEqual(tree("HOUR(dateTime)"), call("HOUR", [ref("dateTime")]));
    assert.deepEqual(tree("MOD(auction, 123)"), call("MOD", [ref("auction"), int("123")]));
    assert.deepEqual(tree("LEFT(s, 2)"), call("LEFT", [ref("s"), int("2")]));
  });

  test("niladic CURRENT_TIMESTAMP has no parentheses", () => {
    assert.deepEqual(tree("CURRENT_TIMESTAMP"), { ...call("CURRENT_TIMESTAMP", []), parenthesized: false });
  });

  test("aggregate FILTER (WHERE ...)", () => {
    assert.deepEqual(
      tree("count(distinct bidder) filter (where price < 10000)"),
      call("count", [ref("bidder")], {
        quantifier: "DISTINCT",
        filter: { kind: "binary", operator: "<", left: ref("price"), right: int("10000") },
      }),
    );
  });

  test("OVER with PARTITION BY, ORDER BY and a ROWS frame", () => {
    const e = tree(
      "AVG(price) OVER (PARTITION BY seller ORDER BY dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)",
    );
    assert.deepEqual(
      e,
      call("AVG", [ref("price")], {
        over: {
          kind: "window-spec",
          base: null,
          partitionBy: [ref("seller")],
          orderBy: [{ kind: "order-item", expression: ref("dateTime"), direction: null, nulls: null }],
          frame: {
            kind: "window-frame",
            unit: "ROWS",
            start: { kind: "preceding", offset: int("10") },
            end: { kind: "current-row" },
          },
        },
      }),
    );
  });

  test("OVER with a RANGE interval frame, a single bound, and unbounded bounds", () => {
    assert.equal(
      shape("SUM(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)"),
      "SUM(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)",
    );
    assert.equal(
      shape("SUM(x) OVER (ORDER BY ts ROWS 5 PRECEDING)"),
      "SUM(x) OVER (ORDER BY ts ROWS 5 PRECEDING)",
    );
    assert.equal(
      shape("SUM(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"),
      "SUM(x) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)",
    );
    assert.equal(
      shape("ROW_NUMBER() OVER (ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST)"),
      "ROW_NUMBER() OVER (ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST)",
    );
  });

  test("OVER a named window, and a named window refined inside OVER (...)", () => {
    assert.deepEqual(
      tree("SUM(x) OVER w"),
      call("SUM", [ref("x")], { over: { kind: "identifier", value: "w" } }),
    );
    const refined = parseExpression("SUM(x) OVER (w ROWS 2 PRECEDING)");
    assert.equal(
      refined.kind === "call" && refined.over?.kind === "window-spec" && refined.over.base?.value,
      "w",
    );
  });

  test("named arguments, TABLE arguments and DESCRIPTOR", () => {
    assert.deepEqual(
      tree("HOP(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '1' MINUTE)"),
      {
        ...call("HOP", [
          {
            kind: "named-argument",
            name: { kind: "identifier", value: "DATA" },
            value: { kind: "table-argument", name: name("bid"), partitionBy: [], orderBy: [] },
          },
          {
            kind: "named-argument",
            name: { kind: "identifier", value: "TIMECOL" },
            value: { kind: "descriptor-argument", columns: [{ kind: "identifier", value: "ts" }] },
          },
          {
            kind: "named-argument",
            name: { kind: "identifier", value: "SLIDE" },
            value: tree("INTERVAL '1' MINUTE") as object,
          },
        ]),
      },
    );
  });

  test("a reserved word may name an argument (OFFSET =>)", () => {
    assert.equal(
      shape("TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR, OFFSET => INTERVAL '5' MINUTE)"),
      "TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR, OFFSET => INTERVAL '5' MINUTE)",
    );
  });

  test("a TABLE argument with PARTITION BY, as in the SESSION window function", () => {
    const session = parseExpression(
      "SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '5' MINUTE)",
    );
    assert.ok(session.kind === "call");
    assert.deepEqual(withoutSpans(session.args[0]), {
      kind: "table-argument",
      name: name("bid"),
      partitionBy: [{ kind: "identifier", value: "bidder" }],
      orderBy: [],
    });
    assert.equal(
      shape("SESSION(TABLE bid PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTE)"),
      "SESSION(TABLE bid PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTE)",
    );
  });
});

describe("special syntax", () => {
  test("BETWEEN SYMMETRIC and NOT BETWEEN", () => {
    const e = parseExpression("x NOT BETWEEN SYMMETRIC 2 AND 1");
    assert.ok(e.kind === "between" && e.negated && e.symmetric);
    const f = parseExpression("x BETWEEN 1 AND 2");
    assert.ok(f.kind === "between" && !f.negated && !f.symmetric);
  });

  test("searched and simple CASE", () => {
    assert.deepEqual(tree("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"), {
      kind: "case",
      operand: null,
      whens: [
        { kind: "when-clause", conditions: [ref("a")], result: int("1") },
        { kind: "when-clause", conditions: [ref("b")], result: int("2") },
      ],
      elseResult: int("3"),
    });
    assert.deepEqual(tree("CASE event_type WHEN 0 THEN 'p' END"), {
      kind: "case",
      operand: ref("event_type"),
      whens: [{ kind: "when-clause", conditions: [int("0")], result: str("p") }],
      elseResult: null,
    });
  });

  test("CAST and TRY_CAST", () => {
    assert.deepEqual(tree("CAST(price AS DECIMAL(10, 2))"), {
      kind: "cast",
      operand: ref("price"),
      type: { kind: "simple-type", name: "DECIMAL", params: [10, 2], notNull: false },
      safe: false,
    });
    assert.deepEqual(tree("TRY_CAST(s AS INT)"), {
      kind: "cast",
      operand: ref("s"),
      type: { kind: "simple-type", name: "INT", params: [], notNull: false },
      safe: true,
    });
  });

  test("EXTRACT(unit FROM x)", () => {
    assert.deepEqual(tree("EXTRACT(HOUR FROM ts)"), { kind: "extract", unit: "HOUR", operand: ref("ts") });
    assert.deepEqual(tree("extract(dow from ts)"), { kind: "extract", unit: "DOW", operand: ref("ts") });
  });

  test("TRIM in all its forms", () => {
    const trim = (side: string | null, characters: unknown, operand: unknown) => ({
      kind: "trim",
      side,
      characters,
      operand,
    });
    assert.deepEqual(tree("TRIM(s)"), trim(null, null, ref("s")));
    assert.deepEqual(tree("TRIM(BOTH ' ' FROM s)"), trim("BOTH", str(" "), ref("s")));
    assert.deepEqual(tree("TRIM(LEADING FROM s)"), trim("LEADING", null, ref("s")));
    assert.deepEqual(tree("TRIM('x' FROM s)"), trim(null, str("x"), ref("s")));
  });

  test("POSITION, SUBSTRING and OVERLAY fold into plain calls", () => {
    assert.deepEqual(tree("POSITION('a' IN s)"), call("POSITION", [str("a"), ref("s")]));
    assert.deepEqual(tree("SUBSTRING(s FROM 2 FOR 3)"), call("SUBSTRING", [ref("s"), int("2"), int("3")]));
    assert.deepEqual(tree("SUBSTRING(s, 2, 3)"), call("SUBSTRING", [ref("s"), int("2"), int("3")]));
    assert.deepEqual(
      tree("OVERLAY(s PLACING 'x' FROM 2 FOR 1)"),
      call("OVERLAY", [ref("s"), str("x"), int("2"), int("1")]),
    );
  });

  test("FLOOR/CEIL ... TO unit and TIMESTAMPADD/TIMESTAMPDIFF take a time unit argument", () => {
    assert.deepEqual(
      tree("FLOOR(ts TO HOUR)"),
      call("FLOOR", [ref("ts"), { kind: "time-unit-argument", unit: "HOUR" }]),
    );
    assert.deepEqual(
      tree("CEIL(ts TO DAY)"),
      call("CEIL", [ref("ts"), { kind: "time-unit-argument", unit: "DAY" }]),
    );
    assert.deepEqual(tree("FLOOR(x)"), call("FLOOR", [ref("x")]));
    assert.deepEqual(
      tree("TIMESTAMPADD(WEEK, 1, ts)"),
      call("TIMESTAMPADD", [{ kind: "time-unit-argument", unit: "WEEK" }, int("1"), ref("ts")]),
    );
    assert.deepEqual(
      tree("TIMESTAMPDIFF(SECOND, a, b)"),
      call("TIMESTAMPDIFF", [{ kind: "time-unit-argument", unit: "SECOND" }, ref("a"), ref("b")]),
    );
  });

  test("a column named like a unit stays a column outside those functions", () => {
    assert.deepEqual(tree("f(week)"), call("f", [ref("week")]));
  });

  test("ROW(...), (a, b), ARRAY[...] and MAP[...] constructors", () => {
    assert.deepEqual(tree("ROW(1, 'a')"), { kind: "row", values: [int("1"), str("a")], keyword: true });
    assert.deepEqual(tree("ROW()"), { kind: "row", values: [], keyword: true });
    assert.deepEqual(tree("(a, b)"), { kind: "row", values: [ref("a"), ref("b")], keyword: false });
    assert.deepEqual(tree("ARRAY[1, 2]"), { kind: "array", elements: [int("1"), int("2")] });
    assert.deepEqual(tree("ARRAY[]"), { kind: "array", elements: [] });
    assert.deepEqual(tree("MAP['a', 1, 'b', 2]"), {
      kind: "map",
      entries: [
        { kind: "map-entry", key: str("a"), value: int("1") },
        { kind: "map-entry", key: str("b"), value: int("2") },
      ],
    });
  });

  test("EXISTS, IN (query) and scalar subqueries hold a query", () => {
    const exists = parseExpression("EXISTS (SELECT 1 FROM t)");
    assert.equal(exists.kind, "exists");
    const inQuery = parseExpression("a NOT IN (SELECT b FROM t)");
    assert.ok(inQuery.kind === "in-query" && inQuery.negated);
    const scalar = parseExpression("(SELECT max(x) FROM t) + 1");
    assert.ok(scalar.kind === "binary" && scalar.left.kind === "scalar-subquery");
    const nested = parseExpression("x IN ((SELECT b FROM t))");
    assert.equal(nested.kind, "in-query");
  });
});

describe("spans", () => {
  test("a binary node spans from its left operand's first token to its right operand's last", () => {
    const sql = "  (a + b) * c  ";
    const e = parseExpression(sql);
    assert.equal(sql.slice(e.span.start.offset, e.span.end.offset), "(a + b) * c");
    assert.ok(e.kind === "binary");
    assert.equal(sql.slice(e.left.span.start.offset, e.left.span.end.offset), "a + b");
  });

  test("a call's span covers its FILTER and OVER clauses", () => {
    const sql = "count(*) FILTER (WHERE a) OVER w";
    const e = parseExpression(sql);
    assert.deepEqual([e.span.start.offset, e.span.end.offset], [0, sql.length]);
  });
});
