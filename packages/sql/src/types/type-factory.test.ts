import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatLogicalType } from "./format-type.ts";
import { LogicalTypeError } from "./logical-type-error.ts";
import { LogicalTypes as T, withNullability, withoutTimeAttribute } from "./type-factory.ts";

describe("LogicalTypes", () => {
  it("builds frozen types with Flink's defaults", () => {
    assert.equal(formatLogicalType(T.timestamp()), "TIMESTAMP(6)");
    assert.equal(formatLogicalType(T.timestampLtz(3, false)), "TIMESTAMP_LTZ(3) NOT NULL");
    assert.equal(formatLogicalType(T.time()), "TIME(0)");
    assert.equal(formatLogicalType(T.string()), "STRING");
    assert.equal(formatLogicalType(T.bytes(false)), "BYTES NOT NULL");
    assert.ok(Object.isFrozen(T.decimal(10, 2)));
    assert.equal(T.null().nullable, true);
  });

  it("checks bounds with a message naming the type", () => {
    assert.throws(
      () => T.decimal(39, 0),
      (e: unknown) => e instanceof LogicalTypeError && /DECIMAL precision/.test(e.message),
    );
    assert.throws(() => T.timestamp(10), /TIMESTAMP precision must be between 0 and 9/);
    assert.throws(() => T.varchar(-1), /VARCHAR length/);
  });

  it("changes nullability and drops time attributes without touching the rest", () => {
    const rowtime = { ...T.timestamp(3, false), timeAttribute: "rowtime" as const };
    assert.equal(formatLogicalType(withNullability(rowtime, true)), "TIMESTAMP(3) *ROWTIME*");
    assert.equal(formatLogicalType(withoutTimeAttribute(rowtime)), "TIMESTAMP(3) NOT NULL");
    const type = T.int();
    assert.equal(withNullability(type, true), type);
  });
});
