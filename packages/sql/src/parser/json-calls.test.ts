/**
 * Tests for the SQL/JSON syntax (JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_OBJECT, JSON_ARRAY and
 * their aggregates), `IS [NOT] JSON` and simple CASE with several values per WHEN: the trees the
 * parser builds, and the errors, with line and column, for malformed variants.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CallExpression, Expression } from "../ast/expressions.ts";
import { SqlSyntaxError } from "../errors.ts";
import { parseExpression, parseStatements } from "../parse.ts";
import { printExpression } from "../printer/expressions.ts";
import { withoutSpans } from "../testing/trees.ts";

function tree(sql: string): unknown {
  return withoutSpans(parseExpression(sql));
}

function jsonCall(sql: string): CallExpression {
  const e = parseExpression(sql);
  assert.equal(e.kind, "call");
  assert.ok(e.json !== undefined, `no JSON clauses on ${sql}`);
  return e;
}

const ref = (name: string) => ({ kind: "reference", parts: [{ kind: "identifier", value: name }] });
const str = (value: string) => ({ kind: "string-literal", value });
const int = (text: string) => ({ kind: "number-literal", text, form: "integer" });

function clauses(e: CallExpression): unknown {
  return withoutSpans(e.json);
}

const NO_CLAUSES = {
  kind: "json-clauses",
  returning: null,
  wrapper: null,
  onEmpty: null,
  onError: null,
  onNull: null,
  orderBy: [],
};

describe("simple CASE with several values in one WHEN", () => {
  test("keeps every value of the WHEN in order", () => {
    assert.deepEqual(tree("CASE k WHEN 1, 3 THEN 'odd' WHEN 2 THEN 'two' END"), {
      kind: "case",
      operand: ref("k"),
      whens: [
        { kind: "when-clause", conditions: [int("1"), int("3")], result: str("odd") },
        { kind: "when-clause", conditions: [int("2")], result: str("two") },
      ],
      elseResult: null,
    });
  });

  test("a searched CASE takes one condition: a comma fails at the comma", () => {
    assert.throws(() => parseStatements("SELECT CASE WHEN a, b THEN 1 END FROM t"), {
      message: /^line 1, column 19: expected 'THEN' but found ','/,
    });
  });
});

describe("IS [NOT] JSON", () => {
  test("a bare IS JSON means IS JSON VALUE", () => {
    assert.deepEqual(tree("s IS JSON"), {
      kind: "is-json",
      operand: ref("s"),
      jsonType: "VALUE",
      negated: false,
    });
  });

  test("each type, negated or not", () => {
    for (const type of ["VALUE", "SCALAR", "ARRAY", "OBJECT"] as const) {
      assert.deepEqual(tree(`s IS NOT JSON ${type}`), {
        kind: "is-json",
        operand: ref("s"),
        jsonType: type,
        negated: true,
      });
    }
  });

  test("binds like IS NULL: below comparison, above AND", () => {
    const e = parseExpression("a = b IS JSON AND c");
    assert.equal(printExpression(e), "((a = b) IS JSON VALUE) AND c");
  });
});

describe("JSON_VALUE", () => {
  test("without clauses it is a two-argument call with no clauses", () => {
    const call = jsonCall("JSON_VALUE(j, '$.a')");
    assert.deepEqual(withoutSpans(call.args), [ref("j"), str("$.a")]);
    assert.deepEqual(clauses(call), NO_CLAUSES);
  });

  test("RETURNING, DEFAULT … ON EMPTY and ERROR ON ERROR", () => {
    const call = jsonCall("JSON_VALUE(j, '$.a' RETURNING INT DEFAULT -1 ON EMPTY ERROR ON ERROR)");
    assert.deepEqual(clauses(call), {
      ...NO_CLAUSES,
      returning: { kind: "simple-type", name: "INT", params: [], notNull: false },
      onEmpty: {
        kind: "json-behavior",
        behavior: "DEFAULT",
        value: { kind: "unary", operator: "-", operand: int("1") },
      },
      onError: { kind: "json-behavior", behavior: "ERROR", value: null },
    });
  });

  test("NULL after RETURNING's type starts a behavior, it is not the type's nullability", () => {
    const call = jsonCall("JSON_VALUE(j, '$' RETURNING DOUBLE NULL ON EMPTY)");
    assert.equal(call.json?.returning?.kind, "simple-type");
    assert.equal(call.json?.onEmpty?.behavior, "NULL");
  });

  test("ON ERROR alone", () => {
    assert.equal(jsonCall("JSON_VALUE(j, '$' NULL ON ERROR)").json?.onError?.behavior, "NULL");
  });

  test("the span of the call covers its clauses", () => {
    const sql = "JSON_VALUE(j, '$' NULL ON ERROR)";
    const call = jsonCall(sql);
    assert.equal(call.span.end.offset, sql.length);
    assert.equal(sql.slice(call.json!.span.start.offset, call.json!.span.end.offset), "j, '$' NULL ON ERROR");
  });
});

describe("JSON_QUERY", () => {
  test("wrappers: optional ARRAY, and WITH means unconditional", () => {
    const wrapper = (text: string) => jsonCall(`JSON_QUERY(j, '$' ${text})`).json?.wrapper;
    assert.equal(wrapper("WITHOUT WRAPPER"), "WITHOUT");
    assert.equal(wrapper("WITHOUT ARRAY WRAPPER"), "WITHOUT");
    assert.equal(wrapper("WITH WRAPPER"), "WITH UNCONDITIONAL");
    assert.equal(wrapper("WITH UNCONDITIONAL ARRAY WRAPPER"), "WITH UNCONDITIONAL");
    assert.equal(wrapper("WITH CONDITIONAL WRAPPER"), "WITH CONDITIONAL");
  });

  test("EMPTY ARRAY / EMPTY OBJECT behaviors", () => {
    const call = jsonCall("JSON_QUERY(j, '$' RETURNING STRING EMPTY ARRAY ON EMPTY EMPTY OBJECT ON ERROR)");
    assert.equal(call.json?.onEmpty?.behavior, "EMPTY ARRAY");
    assert.equal(call.json?.onError?.behavior, "EMPTY OBJECT");
  });
});

describe("JSON_EXISTS", () => {
  test("TRUE / FALSE / UNKNOWN / ERROR ON ERROR", () => {
    for (const b of ["TRUE", "FALSE", "UNKNOWN", "ERROR"]) {
      assert.equal(jsonCall(`JSON_EXISTS(j, 'strict $.b' ${b} ON ERROR)`).json?.onError?.behavior, b);
    }
  });
});

describe("JSON_OBJECT and JSON_OBJECTAGG", () => {
  test("entries with and without KEY become key, value argument pairs", () => {
    const call = jsonCall("JSON_OBJECT(KEY 'a' VALUE 1, 'b' VALUE x ABSENT ON NULL)");
    assert.deepEqual(withoutSpans(call.args), [str("a"), int("1"), str("b"), ref("x")]);
    assert.equal(call.json?.onNull, "ABSENT");
  });

  test("KEY is a column name when no key follows it", () => {
    assert.deepEqual(withoutSpans(jsonCall("JSON_OBJECT(KEY VALUE 1)").args), [ref("KEY"), int("1")]);
    assert.deepEqual(withoutSpans(jsonCall("JSON_OBJECT(KEY key VALUE 1)").args), [ref("key"), int("1")]);
  });

  test("no entries, with or without ON NULL", () => {
    assert.deepEqual(jsonCall("JSON_OBJECT()").args, []);
    assert.equal(jsonCall("JSON_OBJECT(NULL ON NULL)").json?.onNull, "NULL");
  });

  test("a value may be an IS JSON test", () => {
    const call = jsonCall("JSON_OBJECT('ok' VALUE j IS JSON)");
    assert.equal((call.args[1] as Expression).kind, "is-json");
  });

  test("JSON_OBJECTAGG takes one entry, FILTER and OVER", () => {
    const call = jsonCall("JSON_OBJECTAGG(KEY k VALUE v NULL ON NULL) FILTER (WHERE v > 0)");
    assert.deepEqual(withoutSpans(call.args), [ref("k"), ref("v")]);
    assert.equal(call.json?.onNull, "NULL");
    assert.notEqual(call.filter, null);
  });

  test("a backquoted name is an ordinary call", () => {
    const e = parseExpression("`JSON_OBJECT`('a', 1)");
    assert.ok(e.kind === "call" && e.json === undefined);
  });
});

describe("JSON_ARRAY and JSON_ARRAYAGG", () => {
  test("elements, and NULL ON NULL with no elements", () => {
    assert.equal(jsonCall("JSON_ARRAY(1, '2')").args.length, 2);
    const empty = jsonCall("JSON_ARRAY(NULL ON NULL)");
    assert.deepEqual(empty.args, []);
    assert.equal(empty.json?.onNull, "NULL");
    assert.deepEqual(withoutSpans(jsonCall("JSON_ARRAY(NULL NULL ON NULL)").args), [
      { kind: "null-literal" },
    ]);
  });

  test("JSON_ARRAYAGG with ORDER BY and ON NULL", () => {
    const call = jsonCall("JSON_ARRAYAGG(v ORDER BY ts DESC ABSENT ON NULL)");
    assert.equal(call.json?.orderBy.length, 1);
    assert.equal(call.json?.orderBy[0]?.direction, "DESC");
    assert.equal(call.json?.onNull, "ABSENT");
  });
});

describe("malformed JSON syntax fails at the offending token", () => {
  const cases: readonly (readonly [string, RegExp])[] = [
    [
      "SELECT JSON_VALUE(j, '$' EMPTY ARRAY ON EMPTY) FROM t",
      /^line 1, column 26: expected '\)', 'RETURNING', 'NULL', 'ERROR' or 'DEFAULT' but found 'EMPTY'/,
    ],
    [
      "SELECT JSON_EXISTS(j, '$' NULL ON ERROR) FROM t",
      /^line 1, column 27: expected '\)', 'TRUE', 'FALSE', 'UNKNOWN' or 'ERROR' but found 'NULL'/,
    ],
    [
      "SELECT JSON_OBJECT('a', 1) FROM t",
      /^line 1, column 23: expected 'VALUE' but found ',' \(entries are written \[KEY\] name VALUE value\)/,
    ],
    ["SELECT JSON_VALUE(j '$') FROM t", /^line 1, column 21: expected ',' but found string '\$'/],
    ["SELECT JSON_QUERY(j, '$' WITH ARRAY) FROM t", /^line 1, column 36: expected 'WRAPPER' but found '\)'/],
    [
      "SELECT JSON_VALUE(j,\n  '$' DEFAULT ON EMPTY) FROM t",
      /^line 2, column 15: expected expression but found 'ON'/,
    ],
    ["SELECT JSON_ARRAY(1 ABSENT ON EMPTY) FROM t", /^line 1, column 31: expected 'NULL' but found 'EMPTY'/],
    [
      "SELECT JSON_VALUE(j, '$' NULL ON ERROR NULL ON EMPTY) FROM t",
      /^line 1, column 40: expected '\)' but found 'NULL'/,
    ],
    [
      "SELECT JSON_QUERY(j, '$' EMPTY STRING ON EMPTY) FROM t",
      /^line 1, column 32: expected 'OBJECT' or 'ARRAY' but found 'STRING'/,
    ],
  ];
  for (const [sql, message] of cases) {
    test(sql, () => {
      assert.throws(
        () => parseStatements(sql),
        (error) => error instanceof SqlSyntaxError && message.test(error.message),
      );
    });
  }
});
