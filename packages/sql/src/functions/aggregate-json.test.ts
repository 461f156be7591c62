/**
 * JSON_ARRAYAGG / JSON_OBJECTAGG with their non-default ON NULL choice (the trailing operand the
 * planner adds), checked against values worked out by hand from Flink's documented semantics.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { JSON_ARRAYAGG, JSON_OBJECTAGG } from "./aggregate-json.ts";
import type { AggregateFunctionDefinition, AggregateImplementation } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";

function fold(
  definition: AggregateFunctionDefinition<unknown>,
  operands: readonly LogicalType[],
  rows: readonly (readonly SqlValue[])[],
  retracted: readonly (readonly SqlValue[])[] = [],
): SqlValue {
  const inferred = definition.inferType(operands);
  const impl = definition.create(
    inferred.operands ?? operands,
    inferred.result,
  ) as AggregateImplementation<unknown>;
  let acc = impl.createAccumulator();
  for (const row of rows) acc = impl.accumulate(acc, [...row]);
  acc = structuredClone(acc);
  for (const row of retracted) acc = impl.retract!(acc, [...row]);
  return impl.getValue(acc);
}

const arrayagg = JSON_ARRAYAGG as AggregateFunctionDefinition<unknown>;
const objectagg = JSON_OBJECTAGG as AggregateFunctionDefinition<unknown>;
const FLAG = T.string(false);

describe("JSON_ARRAYAGG … NULL ON NULL", () => {
  it("keeps NULLs as JSON null, in arrival order", () => {
    const rows = [
      [1, "NULL"],
      [null, "NULL"],
      [3, "NULL"],
    ];
    assert.equal(fold(arrayagg, [T.int(), FLAG], rows), "[1,null,3]");
  });
  it("retracts a NULL element", () => {
    const rows = [
      [null, "NULL"],
      [2, "NULL"],
      [null, "NULL"],
    ];
    assert.equal(fold(arrayagg, [T.int(), FLAG], rows, [[null, "NULL"]]), "[null,2]");
  });
  it("skips NULLs without the flag (ABSENT ON NULL, the default)", () => {
    assert.equal(fold(arrayagg, [T.int()], [[1], [null]], [[null]]), "[1]");
  });
  it("rejects a second operand that is not the flag", () => {
    assert.throws(() => arrayagg.inferType([T.int(), T.int()]), FunctionTypeError);
  });
});

describe("JSON_OBJECTAGG … ABSENT ON NULL", () => {
  it("ignores rows whose value is NULL", () => {
    const rows = [
      ["a", 1, "ABSENT"],
      ["b", null, "ABSENT"],
    ];
    assert.equal(fold(objectagg, [T.string(), T.int(), FLAG], rows), '{"a":1}');
  });
  it("retracting an ignored row changes nothing", () => {
    const rows = [
      ["a", 1, "ABSENT"],
      ["a", null, "ABSENT"],
    ];
    assert.equal(fold(objectagg, [T.string(), T.int(), FLAG], rows, [["a", null, "ABSENT"]]), '{"a":1}');
  });
  it("keeps NULL values without the flag (NULL ON NULL, the default)", () => {
    assert.equal(fold(objectagg, [T.string(), T.int()], [["b", null]]), '{"b":null}');
  });
});
