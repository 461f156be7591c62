/**
 * The SQL/JSON clauses as the JSON functions receive them (trailing behavior operands, the
 * ON NULL variants by name). Expected values are worked out by hand from Flink's documented
 * semantics: a path without `lax` is strict, a strict step that finds nothing is an error, a lax
 * path that finds nothing is empty, and each situation gives its ON EMPTY / ON ERROR behavior.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { SqlValue } from "../data/values.ts";
import { compileScalar } from "../expressions/compile-expression.ts";
import type { RexNode } from "../plan/rex.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { JSON_ARRAY_NULL_ON_NULL, JSON_OBJECT_ABSENT_ON_NULL } from "./json-functions.ts";
import { callFunction, type TypedOperand, typed, typedCall } from "./testing/call-function.ts";

const s = (value: SqlValue): TypedOperand => typed(value, T.string());
/** A behavior word, passed as the planner passes it: a STRING literal. */
const word = (value: string): TypedOperand => typed(value, T.string(false), true);
const NONE = typed(null, T.null(), true);
const call = (name: string, ...operands: TypedOperand[]) => callFunction(name, operands).value;

function throwsRuntimeError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof SqlRuntimeError && pattern.test(error.message));
}

describe("JSON_EXISTS … ON ERROR", () => {
  const doc = s('{"a": true}');
  it("gives the ON ERROR value when a strict path finds nothing", () => {
    assert.equal(call("JSON_EXISTS", doc, s("strict $.b"), word("TRUE")), true);
    assert.equal(call("JSON_EXISTS", doc, s("strict $.b"), word("FALSE")), false);
    assert.equal(call("JSON_EXISTS", doc, s("strict $.b"), word("UNKNOWN")), null);
    throwsRuntimeError(() => call("JSON_EXISTS", doc, s("strict $.b"), word("ERROR")), /no member 'b'/);
  });
  it("treats a path without a mode as strict, and a lax miss as no error", () => {
    assert.equal(call("JSON_EXISTS", doc, s("$.b"), word("TRUE")), true);
    assert.equal(call("JSON_EXISTS", doc, s("lax $.b"), word("TRUE")), false);
    assert.equal(call("JSON_EXISTS", doc, s("lax $.a"), word("ERROR")), true);
  });
  it("counts a document that is not JSON as an error", () => {
    assert.equal(call("JSON_EXISTS", s("not json"), s("lax $.a"), word("TRUE")), true);
    throwsRuntimeError(() => call("JSON_EXISTS", s("{"), s("$"), word("ERROR")), /not valid JSON/);
  });
  it("keeps NULL input NULL", () => {
    assert.equal(call("JSON_EXISTS", s(null), s("$.a"), word("TRUE")), null);
  });
});

describe("JSON_VALUE … ON EMPTY / ON ERROR", () => {
  const value = (text: string, path: string, ...clauses: TypedOperand[]) =>
    call("JSON_VALUE", s(text), s(path), ...clauses);
  it("gives the DEFAULT on empty as text", () => {
    const onEmpty = [word("DEFAULT"), typed(false, T.boolean(false), true), word("NULL"), NONE];
    assert.equal(value('{"a": true}', "lax $.b", ...onEmpty), "false");
    assert.equal(value('{"a": true}', "lax $.a", ...onEmpty), "true");
    assert.equal(
      value("{}", "lax $.b", word("DEFAULT"), typed(7, T.int(false), true), word("NULL"), NONE),
      "7",
    );
    // JSON null and, in lax mode, an object or array are empty too.
    assert.equal(value('{"b": null}', "lax $.b", word("DEFAULT"), s("d"), word("NULL"), NONE), "d");
    assert.equal(value('{"b": [1]}', "lax $.b", word("DEFAULT"), s("d"), word("NULL"), NONE), "d");
  });
  it("takes the DEFAULT from a column", () => {
    assert.equal(
      value("{}", "lax $.b", word("DEFAULT"), s("from column"), word("NULL"), NONE),
      "from column",
    );
    assert.equal(value("{}", "lax $.b", word("DEFAULT"), s(null), word("NULL"), NONE), null);
  });
  it("raises ERROR ON EMPTY only for an empty result", () => {
    throwsRuntimeError(
      () => value("{}", "lax $.a", word("ERROR"), NONE, word("NULL"), NONE),
      /ERROR ON EMPTY/,
    );
    // Without `lax` the path is strict, so the missing member is an error, NULL by default.
    assert.equal(value("{}", "$.a", word("ERROR"), NONE, word("NULL"), NONE), null);
  });
  it("gives the ON ERROR behavior for errors", () => {
    assert.equal(value("{}", "$.a", word("NULL"), NONE, word("DEFAULT"), s("none")), "none");
    assert.equal(value('{"a": [1]}', "$.a", word("DEFAULT"), s("e"), word("DEFAULT"), s("x")), "x");
    throwsRuntimeError(
      () => value("not json", "$.a", word("NULL"), NONE, word("ERROR"), NONE),
      /not valid JSON/,
    );
    throwsRuntimeError(
      () => value('{"a": {"b": 1}}', "strict $.a", word("NULL"), NONE, word("ERROR"), NONE),
      /requires a scalar/,
    );
  });
  it("still finds values whatever the clauses say", () => {
    assert.equal(value('{"a": {"b": 2}}', "$.a.b", word("ERROR"), NONE, word("ERROR"), NONE), "2");
  });
});

describe("JSON_QUERY wrappers and ON EMPTY / ON ERROR", () => {
  const query = (text: string, path: string, wrapper: string, onEmpty = "NULL", onError = "NULL") =>
    call("JSON_QUERY", s(text), s(path), word(wrapper), word(onEmpty), word(onError));
  it("wraps conditionally everything but arrays, unconditionally everything", () => {
    assert.equal(query("{}", "$", "WITH CONDITIONAL"), "[{}]");
    assert.equal(query("[1, 2]", "$", "WITH CONDITIONAL"), "[1,2]");
    assert.equal(query('{"a": 1}', "$.a", "WITH CONDITIONAL"), "[1]");
    assert.equal(query("[1, 2]", "$", "WITH UNCONDITIONAL"), "[[1,2]]");
    assert.equal(query('{"a": "x"}', "$.a", "WITH UNCONDITIONAL"), '["x"]');
    assert.equal(query("[1, 2]", "$", "WITHOUT"), "[1,2]");
  });
  it("selects the array of a wildcard's matches", () => {
    assert.equal(query('{"a":[{"c":"c1"},{"c":"c2"}]}', "lax $.a[*].c", "WITHOUT"), '["c1","c2"]');
    assert.equal(query('{"a":[{"c":"c1"},{"d":1}]}', "$.a[*].c", "WITHOUT"), '["c1"]');
    assert.equal(query('{"a":[{"c":"c1"}]}', "$.a[*].c", "WITH CONDITIONAL"), '["c1"]');
  });
  it("gives the ON EMPTY behavior when nothing (or, lax, a scalar) is found", () => {
    assert.equal(query('{"a": 1}', "lax $.a", "WITHOUT", "EMPTY ARRAY"), "[]");
    assert.equal(query("{}", "lax $.x", "WITHOUT", "EMPTY OBJECT"), "{}");
    assert.equal(query('{"x": null}', "lax $.x", "WITH UNCONDITIONAL", "EMPTY ARRAY"), "[]");
    assert.equal(query("{}", "lax $.x", "WITHOUT"), null);
    throwsRuntimeError(() => query("{}", "lax $.x", "WITHOUT", "ERROR"), /ERROR ON EMPTY/);
  });
  it("gives the ON ERROR behavior for errors, a strict scalar being one", () => {
    assert.equal(query('{"a": 1}', "$.a", "WITHOUT", "EMPTY ARRAY", "EMPTY OBJECT"), "{}");
    assert.equal(query("{}", "strict $.x", "WITHOUT", "EMPTY OBJECT", "EMPTY ARRAY"), "[]");
    assert.equal(query("bad", "$", "WITHOUT"), null);
    throwsRuntimeError(() => query("bad", "$", "WITHOUT", "NULL", "ERROR"), /not valid JSON/);
  });
  it("keeps its two-operand form", () => {
    assert.equal(call("JSON_QUERY", s('{"a": {"b": 1}}'), s("$.a")), '{"b":1}');
    assert.equal(call("JSON_QUERY", s(null), s("$")), null);
  });
});

describe("ON NULL variants of JSON_OBJECT and JSON_ARRAY", () => {
  it("leaves NULL members out (ABSENT ON NULL) and keeps NULL elements (NULL ON NULL)", () => {
    const absent = call(JSON_OBJECT_ABSENT_ON_NULL, s("a"), s(null), s("b"), typed(1, T.int()));
    assert.equal(absent, '{"b":1}');
    assert.equal(call(JSON_OBJECT_ABSENT_ON_NULL, s("a"), s(null)), "{}");
    assert.equal(call(JSON_ARRAY_NULL_ON_NULL, s(null), typed(1, T.int()), s("x")), '[null,1,"x"]');
    assert.equal(call(JSON_ARRAY_NULL_ON_NULL), "[]");
  });
  it("insert nested JSON as JSON", () => {
    const lit = (value: SqlValue): RexNode => ({ kind: "literal", value, type: T.string(false) });
    const inner = typedCall(JSON_ARRAY_NULL_ON_NULL, [{ kind: "literal", value: null, type: T.string() }]);
    const outer = typedCall(JSON_OBJECT_ABSENT_ON_NULL, [
      lit("k"),
      inner,
      lit("n"),
      { kind: "literal", value: null, type: T.string() },
    ]);
    assert.equal(compileScalar(outer, { timeZone: "UTC" })([]), '{"k":[null]}');
    const array = typedCall(JSON_ARRAY_NULL_ON_NULL, [typedCall("JSON_OBJECT", [lit("a"), lit("b")])]);
    assert.equal(compileScalar(array, { timeZone: "UTC" })([]), '[{"a":"b"}]');
  });
});
