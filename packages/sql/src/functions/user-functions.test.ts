import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SqlValue } from "../data/values.ts";
import { compileScalar } from "../expressions/compile-expression.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { createFunctionCatalog } from "./builtin-catalog.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { callFunction, typed, typedCall } from "./testing/call-function.ts";
import { aggregateFunction, scalarFunction, tableFunction } from "./user-functions.ts";

describe("user-defined functions", () => {
  const catalog = createFunctionCatalog({
    slugify: scalarFunction({
      parameters: [T.string()],
      returns: T.string(),
      eval: (text) => (text as string).toLowerCase().replaceAll(/[^a-z0-9]+/g, "-"),
    }),
    plus_one: scalarFunction({
      parameters: [T.bigint()],
      returns: T.bigint(false),
      eval: (n) => (n as bigint) + 1n,
    }),
    upper: scalarFunction({ returns: T.string(), eval: () => "shadowed" }),
  });
  const context = { timeZone: "UTC", functions: catalog };

  it("runs scalar functions under their registered name, strict on NULL", () => {
    assert.equal(callFunction("SLUGIFY", [typed("Hello, World", T.string())], context).value, "hello-world");
    assert.equal(callFunction("slugify", [typed(null, T.string())], context).value, null);
    const widened = callFunction("PLUS_ONE", [typed(41, T.int(false))], context);
    assert.equal(widened.value, 42n);
    assert.equal(formatLogicalType(widened.type), "BIGINT NOT NULL");
  });

  it("shadows built-ins and checks operand types", () => {
    assert.equal(callFunction("UPPER", [typed("x", T.string())], context).value, "shadowed");
    assert.throws(
      () => callFunction("SLUGIFY", [typed(true, T.boolean())], context),
      (e: unknown) =>
        e instanceof FunctionTypeError && /SLUGIFY expects \(STRING\) but got \(BOOLEAN\)/.test(e.message),
    );
  });

  it("folds aggregate functions with retraction", () => {
    const wavg = aggregateFunction<{ sum: number; weight: number }>({
      parameters: [T.double(), T.double()],
      returns: T.double(),
      createAccumulator: () => ({ sum: 0, weight: 0 }),
      accumulate: (acc, value, weight) => {
        if (value !== null && weight !== null) {
          acc.sum += (value as number) * (weight as number);
          acc.weight += weight as number;
        }
      },
      retract: (acc, value, weight) => {
        if (value !== null && weight !== null) {
          acc.sum -= (value as number) * (weight as number);
          acc.weight -= weight as number;
        }
      },
      getValue: (acc) => (acc.weight === 0 ? null : acc.sum / acc.weight),
    });
    const impl = wavg.create([T.double(), T.double()], T.double());
    let acc = impl.createAccumulator();
    acc = impl.accumulate(acc, [10, 1]);
    acc = impl.accumulate(acc, [20, 3]);
    assert.equal(impl.getValue(acc), 17.5);
    acc = impl.retract!(acc, [20, 3]);
    assert.equal(impl.getValue(acc), 10);
    assert.equal(impl.merge, undefined);
  });

  it("yields rows from table functions", () => {
    const words = tableFunction({
      parameters: [T.string()],
      columns: [{ name: "word", type: T.string() }],
      *eval(text) {
        if (text !== null) for (const word of (text as string).split(/\s+/)) yield [word];
      },
    });
    assert.deepEqual(words.inferType([T.string()]).result, [{ name: "word", type: T.string() }]);
    assert.deepEqual([...words.implementation({ timeZone: "UTC" }, "a b c")], [["a"], ["b"], ["c"]]);
  });

  it("is compiled like a built-in", () => {
    const rex = typedCall("SLUGIFY", [{ kind: "input-ref", index: 0, type: T.string() }], catalog);
    const run = compileScalar(rex, context);
    const rows: SqlValue[][] = [["A B"], [null]];
    assert.deepEqual(
      rows.map((row) => run(row)),
      ["a-b", null],
    );
  });
});
