import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SqlValue } from "../data/values.ts";
import { compileScalar } from "../expressions/compile-expression.ts";
import type { RexNode } from "../plan/rex.ts";
import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { callFunction, typed, typedCall } from "./testing/call-function.ts";

const lit = (value: SqlValue, type: LogicalType): RexNode => ({ kind: "literal", value, type });

const i = (value: SqlValue) => typed(value, T.int());
const d = (value: SqlValue) => typed(value, T.double());
const s = (value: SqlValue) => typed(value, T.string());
const call = (name: string, ...operands: ReturnType<typeof typed>[]) => callFunction(name, operands).value;

describe("math functions", () => {
  it("keeps exact types exact", () => {
    assert.equal(call("ABS", i(-3)), 3);
    assert.equal(call("ABS", typed(-5n, T.bigint())), 5n);
    assert.equal(call("ABS", typed(-150n, T.decimal(5, 2))), 150n);
    assert.equal(call("SIGN", typed(-150n, T.decimal(5, 2))), -100n);
    const round = callFunction("ROUND", [typed(12345n, T.decimal(5, 3)), typed(1, T.int(false), true)]);
    assert.equal(round.value, 123n);
    assert.equal(formatLogicalType(round.type), "DECIMAL(4, 1)");
    assert.equal(
      callFunction("ROUND", [typed(-12350n, T.decimal(5, 3)), typed(1, T.int(false), true)]).value,
      -124n,
    );
    assert.equal(
      callFunction("ROUND", [typed(1250n, T.decimal(5, 0)), typed(-2, T.int(false), true)]).value,
      1300n,
    );
    assert.equal(
      callFunction("TRUNCATE", [typed(12399n, T.decimal(5, 3)), typed(1, T.int(false), true)]).value,
      123n,
    );
    assert.equal(call("ROUND", d(2.5)), 3);
    assert.equal(call("ROUND", d(-2.5)), -3);
    assert.equal(callFunction("ROUND", [d(1.005), typed(2, T.int(false), true)]).value, 1.01);
    assert.equal(callFunction("ROUND", [i(1234), typed(-2, T.int(false), true)]).value, 1200);
  });

  it("computes in doubles for transcendental functions", () => {
    assert.equal(call("POWER", i(2), i(10)), 1024);
    assert.equal(call("SQRT", d(16)), 4);
    assert.equal(call("LN", d(Math.E)), 1);
    assert.equal(call("LOG10", d(1000)), 3);
    assert.equal(call("LOG2", d(8)), 3);
    assert.equal(call("LOG", d(2), d(8)), 3);
    assert.equal(call("MOD", i(7), i(-3)), 1);
    assert.equal(call("MOD", i(-7), i(3)), -1);
    assert.equal(call("DEGREES", d(Math.PI)), 180);
    assert.equal(call("PI"), Math.PI);
    const r = call("RAND") as number;
    assert.ok(r >= 0 && r < 1);
    assert.equal(call("RAND", i(42)), call("RAND", i(42)), "each call site starts its seeded sequence anew");
    const n = call("RAND_INTEGER", i(10)) as number;
    assert.ok(Number.isInteger(n) && n >= 0 && n < 10);
    assert.equal(call("BIN", typed(5n, T.bigint())), "101");
    assert.equal(call("HEX", typed(255n, T.bigint())), "FF");
  });

  it("rejects operands of the wrong family with the accepted signature", () => {
    assert.throws(
      () => callFunction("SUBSTRING", [s("x"), typed(true, T.boolean())]),
      (e: unknown) =>
        e instanceof FunctionTypeError &&
        e.message === "SUBSTRING expects (STRING, INT[, INT]) but got (STRING, BOOLEAN)",
    );
    assert.throws(() => callFunction("+", [s("x"), i(1)]), /operator '\+' does not apply to \(STRING, INT\)/);
    assert.throws(
      () => callFunction("UPPER", [s("a"), s("b")]),
      /^FunctionTypeError: Invalid number of arguments to function 'UPPER'. Was expecting 1 arguments$/,
    );
    assert.throws(() => callFunction("SUBSTRING", [s("a")]), /Was expecting 2 to 3 arguments/);
  });
});

describe("conditional functions", () => {
  it("types branches with their common type", () => {
    const { value, type } = callFunction("COALESCE", [i(null), typed(25n, T.decimal(2, 1))]);
    assert.equal(value, 25n);
    assert.equal(formatLogicalType(type), "DECIMAL(11, 1)");
    assert.equal(callFunction("COALESCE", [i(null), i(2)]).value, 2);
  });

  it("evaluates IF, IFNULL, NULLIF, GREATEST, LEAST", () => {
    assert.equal(call("IF", typed(true, T.boolean()), i(1), i(2)), 1);
    assert.equal(call("IF", typed(null, T.boolean()), i(1), i(2)), 2);
    assert.equal(call("IFNULL", i(null), i(7)), 7);
    assert.equal(call("NULLIF", i(3), i(3)), null);
    assert.equal(call("NULLIF", i(3), i(4)), 3);
    assert.equal(call("GREATEST", i(3), i(9), i(4)), 9);
    assert.equal(call("LEAST", s("b"), s("a"), s("c")), "a");
    assert.equal(call("GREATEST", i(3), i(null)), null);
    assert.equal(call("GREATEST", i(3), typed(4n, T.bigint())), 4n);
  });

  it("evaluates IN, BETWEEN and the IS predicates with SQL's NULL rules", () => {
    assert.equal(call("IN", i(2), i(1), i(2)), true);
    assert.equal(call("IN", i(3), i(1), i(2)), false);
    assert.equal(call("IN", i(3), i(1), i(null)), null);
    assert.equal(call("IN", i(null), i(1)), null);
    assert.equal(call("IN", i(1), typed(1n, T.bigint())), true);
    assert.equal(call("BETWEEN", i(2), i(1), i(3)), true);
    assert.equal(call("BETWEEN", i(0), i(1), i(null)), false);
    assert.equal(call("BETWEEN", i(2), i(1), i(null)), null);
    assert.equal(call("IS DISTINCT FROM", i(null), i(null)), false);
    assert.equal(call("IS DISTINCT FROM", i(1), i(null)), true);
    assert.equal(call("IS NOT DISTINCT FROM", i(null), i(null)), true);
    assert.equal(call("IS TRUE", typed(null, T.boolean())), false);
    assert.equal(call("IS NOT FALSE", typed(null, T.boolean())), true);
    assert.equal(call("IS UNKNOWN", typed(null, T.boolean())), true);
  });
});

describe("JSON functions", () => {
  const doc = s('{"a": {"b": [1, 2, {"c": "x"}]}, "n": null, "s": "text"}');
  it("queries JSON with lax paths", () => {
    assert.equal(call("JSON_VALUE", doc, s("$.a.b[1]")), "2");
    assert.equal(call("JSON_VALUE", doc, s("$.s")), "text");
    assert.equal(call("JSON_VALUE", doc, s("$.a")), null);
    assert.equal(call("JSON_VALUE", doc, s("$.missing")), null);
    assert.equal(call("JSON_VALUE", s("not json"), s("$.a")), null);
    assert.equal(call("JSON_VALUE", doc, s("$.a.b[2].c")), "x");
    assert.equal(call("JSON_VALUE", s('{"a.b": [0.998, 0.996]}'), s('$.["a.b"][0]')), "0.998");
    assert.equal(call("JSON_QUERY", doc, s("$.a.b")), '[1,2,{"c":"x"}]');
    assert.equal(call("JSON_QUERY", doc, s("$.s")), null);
    assert.equal(call("JSON_EXISTS", doc, s("$.a.b")), true);
    assert.equal(call("JSON_EXISTS", doc, s("$.z")), false);
    assert.equal(call("IS JSON", s("[1]")), true);
    assert.equal(call("IS JSON", s("{")), false);
    assert.equal(call("IS JSON OBJECT", s("[1]")), false);
  });

  it("builds JSON text from SQL values", () => {
    assert.equal(call("JSON_STRING", typed(1250n, T.decimal(5, 2))), "12.50");
    assert.equal(call("JSON_STRING", s('a"b')), '"a\\"b"');
    assert.equal(call("JSON_OBJECT", s("k"), i(1), s("v"), s(null)), '{"k":1,"v":null}');
    assert.equal(call("JSON_ARRAY", i(1), s(null), s("x")), '[1,"x"]');
    assert.equal(
      call(
        "JSON_STRING",
        typed(
          [150n, "a"],
          T.row([
            { name: "d", type: T.decimal(5, 2) },
            { name: "s", type: T.string() },
          ]),
        ),
      ),
      '{"d":1.50,"s":"a"}',
    );
  });
});

describe("nested JSON constructors", () => {
  it("insert JSON made by JSON functions as JSON, not as strings", () => {
    const inner = typedCall("JSON_OBJECT", [lit("K2", T.string(false)), lit("V", T.string(false))]);
    const outer = typedCall("JSON_OBJECT", [lit("K1", T.string(false)), inner]);
    assert.equal(compileScalar(outer, { timeZone: "UTC" })([]), '{"K1":{"K2":"V"}}');
    const array = typedCall("JSON_ARRAY", [
      typedCall("JSON_ARRAY", [lit(1, T.int(false))]),
      lit('{"not":"json"}', T.string(false)),
    ]);
    assert.equal(compileScalar(array, { timeZone: "UTC" })([]), '[[1],"{\\"not\\":\\"json\\"}"]');
  });
});

describe("collection functions", () => {
  const array = typed([10, 20, null], T.array(T.int()));
  const map = typed(
    new Map<SqlValue, SqlValue>([
      ["a", 1],
      ["b", 2],
    ]),
    T.map(T.string(), T.int()),
  );
  it("accesses elements 1-based and keys by value", () => {
    assert.equal(call("ITEM", array, i(2)), 20);
    assert.equal(call("ITEM", array, i(4)), null);
    assert.equal(call("ITEM", array, i(0)), null);
    assert.equal(call("ITEM", map, s("b")), 2);
    assert.equal(call("ITEM", map, s("z")), null);
    assert.equal(call("CARDINALITY", array), 3);
    assert.equal(call("CARDINALITY", map), 2);
    assert.equal(call("ARRAY_CONTAINS", array, i(20)), true);
    assert.equal(call("ARRAY_CONTAINS", array, i(30)), false);
    assert.equal(call("ARRAY_POSITION", array, i(20)), 2);
    assert.deepEqual(call("MAP_KEYS", map), ["a", "b"]);
    assert.deepEqual(call("MAP_VALUES", map), [1, 2]);
    assert.equal(call("ELEMENT", typed([5], T.array(T.int()))), 5);
    assert.equal(call("ELEMENT", typed([], T.array(T.int()))), null);
    assert.deepEqual(call("ARRAY_DISTINCT", typed([1, 2, 1], T.array(T.int()))), [1, 2]);
    assert.equal(call("ARRAY_JOIN", typed(["a", null, "b"], T.array(T.string())), s(",")), "a,b");
  });

  it("constructs arrays, maps and rows with common element types", () => {
    const built = callFunction("ARRAY", [i(1), typed(2n, T.bigint())]);
    assert.deepEqual(built.value, [1n, 2n]);
    assert.equal(formatLogicalType(built.type), "ARRAY<BIGINT> NOT NULL");
    const row = callFunction("ROW", [i(1), s("x")]);
    assert.deepEqual(row.value, [1, "x"]);
    assert.equal(formatLogicalType(row.type), "ROW<`EXPR$0` INT, `EXPR$1` STRING> NOT NULL");
    assert.deepEqual(callFunction("MAP", [s("k"), i(1)]).value, new Map([["k", 1]]));
    const rowType = T.row([
      { name: "a", type: T.int() },
      { name: "b", type: T.string() },
    ]);
    assert.equal(
      callFunction("FIELD", [typed([1, "x"], rowType), typed("b", T.string(false), true)]).value,
      "x",
    );
  });

  it("types the operand and result of TYPEOF statically", () => {
    assert.equal(call("TYPEOF", typed(1, T.decimal(5, 2, false))), "DECIMAL(5, 2) NOT NULL");
  });
});

describe("ROUND on doubles with negative digits", () => {
  it("rounds once, not twice", () => {
    assert.equal(
      callFunction("ROUND", [typed(1249.5, T.double()), typed(-2, T.int(false), true)]).value,
      1200,
    );
    assert.equal(
      callFunction("ROUND", [typed(-1250, T.double()), typed(-2, T.int(false), true)]).value,
      -1300,
    );
  });
});

describe("ROUND and TRUNCATE on DECIMAL with negative digits", () => {
  it("round once, HALF_UP", () => {
    const round = (unscaled: bigint, digits: number) =>
      callFunction("ROUND", [typed(unscaled, T.decimal(7, 2)), typed(digits, T.int(false), true)]).value;
    assert.equal(round(124950n, -2), 1200n);
    assert.equal(round(125000n, -2), 1300n);
    assert.equal(round(-125000n, -2), -1300n);
    assert.equal(
      callFunction("TRUNCATE", [typed(129999n, T.decimal(7, 2)), typed(-2, T.int(false), true)]).value,
      1200n,
    );
  });
});
