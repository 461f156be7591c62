/**
 * SQL/JSON path modes as Flink has them (strict by default), checked on hand-made documents.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateJsonPath, selectedItem } from "./json-path.ts";

describe("SQL/JSON path modes", () => {
  it("reads a path without a mode as strict: a missing member is an error", () => {
    assert.deepEqual(evaluateJsonPath("{}", "$.b"), { ok: false, reason: "strict path $.b: no member 'b'" });
    assert.deepEqual(evaluateJsonPath("{}", "lax $.b"), {
      ok: true,
      found: [],
      strict: false,
      definite: true,
    });
  });
  it("unwraps arrays for key steps only in lax mode", () => {
    const doc = '{"a": [{"c": 1}, {"c": 2}]}';
    assert.deepEqual(evaluateJsonPath(doc, "lax $.a.c"), {
      ok: true,
      found: [1, 2],
      strict: false,
      definite: true,
    });
    assert.equal(evaluateJsonPath(doc, "strict $.a.c").ok, false);
  });
  it("skips items without the member after a wildcard, even in strict mode", () => {
    const outcome = evaluateJsonPath('{"a": [{"c": 1}, {"d": 2}]}', "$.a[*].c");
    assert.deepEqual(outcome, { ok: true, found: [1], strict: true, definite: false });
    assert.deepEqual(selectedItem({ found: [1], definite: false }), [1]);
    assert.equal(selectedItem({ found: [1], definite: true }), 1);
    assert.equal(selectedItem({ found: [], definite: false }), undefined);
  });
  it("reports documents and paths that do not parse", () => {
    assert.equal(evaluateJsonPath("{", "$").ok, false);
    assert.equal(evaluateJsonPath("{}", "a.b").ok, false);
    assert.equal(evaluateJsonPath("[5]", "strict $[1]").ok, false);
    assert.deepEqual(evaluateJsonPath("[5]", "lax $[1]"), {
      ok: true,
      found: [],
      strict: false,
      definite: true,
    });
  });
});
