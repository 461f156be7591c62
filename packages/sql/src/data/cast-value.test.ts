import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { castValue, tryCastValue } from "./cast-value.ts";
import { SqlRuntimeError } from "./sql-runtime-error.ts";
import type { SqlValue } from "./values.ts";

const ctx = { timeZone: "UTC" };
const cast = (value: SqlValue, from: LogicalType, to: LogicalType) => castValue(value, from, to, ctx);

describe("castValue", () => {
  it("narrows integers like Java", () => {
    assert.equal(cast(300, T.int(), T.tinyint()), 44);
    assert.equal(cast(-129, T.int(), T.tinyint()), 127);
    assert.equal(cast(70000, T.int(), T.smallint()), 4464);
    assert.equal(cast(2n ** 32n + 5n, T.bigint(), T.int()), 5);
    assert.equal(cast(3.99, T.double(), T.int()), 3);
    assert.equal(cast(-3.99, T.double(), T.int()), -3);
    assert.equal(cast(1e20, T.double(), T.int()), 2147483647);
    assert.equal(cast(Number.NaN, T.double(), T.bigint()), 0n);
    assert.equal(cast(1e30, T.double(), T.bigint()), 2n ** 63n - 1n);
    assert.equal(cast(1299n, T.decimal(5, 2), T.int()), 12);
    assert.equal(cast(-1299n, T.decimal(5, 2), T.bigint()), -12n);
  });

  it("wraps like Java for every int → tinyint", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const expected = Number(BigInt.asIntN(8, BigInt(v)));
        assert.equal(cast(v, T.int(), T.tinyint()), expected);
      }),
    );
  });

  it("rounds DECIMAL HALF_UP and gives NULL on overflow", () => {
    assert.equal(cast("12.345", T.string(), T.decimal(4, 2)), 1235n);
    assert.equal(cast("-12.345", T.string(), T.decimal(4, 2)), -1235n);
    assert.equal(cast("123.45", T.string(), T.decimal(4, 2)), null);
    assert.equal(cast(0.1, T.double(), T.decimal(3, 2)), 10n);
    assert.equal(cast(99999, T.int(), T.decimal(4, 0)), null);
    assert.equal(cast(1255n, T.decimal(4, 2), T.decimal(3, 1)), 126n);
    assert.equal(cast(true, T.boolean(), T.decimal(3, 1)), 10n);
  });

  it("parses strings and throws for text that is not a value", () => {
    assert.equal(cast(" 42 ", T.string(), T.int()), 42);
    assert.equal(cast("1.9", T.string(), T.int()), 1);
    assert.equal(cast("-7", T.string(), T.bigint()), -7n);
    assert.equal(cast("1e3", T.string(), T.double()), 1000);
    assert.equal(cast("yes", T.string(), T.boolean()), true);
    assert.equal(cast("FALSE", T.string(), T.boolean()), false);
    assert.equal(cast("2020-04-15", T.string(), T.date()), 18367);
    assert.equal(
      cast("2020-04-15 08:05:00.5", T.string(), T.timestamp(3)),
      Date.UTC(2020, 3, 15, 8, 5, 0, 500),
    );
    assert.equal(cast("08:05:01", T.string(), T.time(0)), (8 * 3600 + 5 * 60 + 1) * 1000);
    assert.throws(
      () => cast("abc", T.string(), T.int()),
      (e: unknown) => e instanceof SqlRuntimeError && /Cannot cast 'abc' to INT/.test(e.message),
    );
    assert.throws(() => cast("99999999999", T.string(), T.int()), /out of range/);
    assert.throws(() => cast("maybe", T.string(), T.boolean()), SqlRuntimeError);
    assert.throws(() => cast("2020-02-30", T.string(), T.date()), SqlRuntimeError);
    assert.equal(tryCastValue("abc", T.string(), T.int(), ctx), null);
  });

  it("prints values as strings and fits CHAR / VARCHAR lengths", () => {
    assert.equal(cast(1250n, T.decimal(10, 2), T.string()), "12.50");
    assert.equal(cast(1.0, T.double(), T.string()), "1.0");
    assert.equal(cast(true, T.boolean(), T.string()), "TRUE");
    assert.equal(cast(Date.UTC(2020, 3, 15, 8, 5), T.timestamp(3), T.string()), "2020-04-15 08:05:00.000");
    assert.equal(cast("abcdef", T.string(), T.varchar(3)), "abc");
    assert.equal(cast("ab", T.string(), T.char(4)), "ab  ");
    assert.equal(cast(new Uint8Array([104, 105]), T.bytes(), T.string()), "hi");
    assert.deepEqual(cast("hi", T.string(), T.binary(3)), new Uint8Array([104, 105, 0]));
  });

  it("converts between date, time, timestamp and TIMESTAMP_LTZ in the session zone", () => {
    const shanghai = { timeZone: "Asia/Shanghai" };
    const wall = Date.UTC(2020, 3, 15, 8, 5);
    assert.equal(castValue(wall, T.timestamp(3), T.timestampLtz(3), shanghai), wall - 8 * 3_600_000);
    assert.equal(castValue(wall - 8 * 3_600_000, T.timestampLtz(3), T.timestamp(3), shanghai), wall);
    assert.equal(cast(wall, T.timestamp(3), T.date()), 18367);
    assert.equal(cast(wall, T.timestamp(3), T.time(0)), (8 * 60 + 5) * 60_000);
    assert.equal(cast(18367, T.date(), T.timestamp(3)), Date.UTC(2020, 3, 15));
    assert.equal(cast(wall + 789, T.timestamp(3), T.timestamp(0)), wall);
    assert.equal(cast(-1, T.timestamp(3), T.date()), -1);
  });

  it("casts nested values element by element", () => {
    assert.deepEqual(cast(["1", "2", null], T.array(T.string()), T.array(T.int())), [1, 2, null]);
    assert.deepEqual(
      cast(new Map([["a", 1]]), T.map(T.string(), T.int()), T.map(T.string(), T.bigint())),
      new Map([["a", 1n]]),
    );
    assert.deepEqual(
      cast(
        [1, "2"],
        T.row([
          { name: "a", type: T.int() },
          { name: "b", type: T.string() },
        ]),
        T.row([
          { name: "a", type: T.string() },
          { name: "b", type: T.int() },
        ]),
      ),
      ["1", 2],
    );
  });

  it("round-trips every BIGINT and DECIMAL through STRING", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        assert.equal(cast(cast(v, T.bigint(), T.string()), T.string(), T.bigint()), v);
        const d = v % 10n ** 18n;
        assert.equal(cast(cast(d, T.decimal(18, 4), T.string()), T.string(), T.decimal(18, 4)), d);
      }),
    );
  });
});
