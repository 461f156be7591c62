import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { formatJavaDouble, formatJavaFloat } from "./format-number.ts";
import { formatValue } from "./format-value.ts";

describe("Java number text", () => {
  it("prints doubles as Double.toString", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [-2.5, "-2.5"],
      [1234567, "1234567.0"],
      [12345678, "1.2345678E7"],
      [0.001, "0.001"],
      [0.0001, "1.0E-4"],
      [1e21, "1.0E21"],
      [123.456, "123.456"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [-0, "-0.0"],
      [0, "0.0"],
    ];
    for (const [value, text] of cases) assert.equal(formatJavaDouble(value), text, `for ${value}`);
  });

  it("prints floats with the shortest digits that identify the float", () => {
    assert.equal(formatJavaFloat(Math.fround(1.1)), "1.1");
    assert.equal(formatJavaFloat(Math.fround(0.3)), "0.3");
    assert.equal(formatJavaFloat(Math.fround(16777217)), "1.6777216E7");
  });

  it("reads back to the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        assert.ok(Object.is(Number(formatJavaDouble(value)), value));
      }),
    );
  });
});

describe("formatValue", () => {
  it("prints values as Flink's client does", () => {
    const ts = Date.UTC(2020, 3, 15, 8, 5, 0);
    assert.equal(formatValue(null, T.int(), "UTC"), "NULL");
    assert.equal(formatValue(true, T.boolean(), "UTC"), "TRUE");
    assert.equal(formatValue(1250n, T.decimal(10, 2), "UTC"), "12.50");
    assert.equal(formatValue(12n, T.bigint(), "UTC"), "12");
    assert.equal(formatValue(ts, T.timestamp(3), "UTC"), "2020-04-15 08:05:00.000");
    assert.equal(formatValue(ts, T.timestampLtz(3), "Asia/Shanghai"), "2020-04-15 16:05:00.000");
    assert.equal(formatValue(18367, T.date(), "UTC"), "2020-04-15");
    assert.equal(formatValue(3_723_000, T.time(0), "UTC"), "01:02:03");
    assert.equal(formatValue(2 * 86_400_000, T.intervalDayTime(), "UTC"), "+2 00:00:00.000");
    assert.equal(formatValue(-14, T.intervalYearMonth(), "UTC"), "-1-02");
    assert.equal(formatValue(new Uint8Array([10, 255]), T.bytes(), "UTC"), "x'0aff'");
    assert.equal(formatValue([1, null, 3], T.array(T.int()), "UTC"), "[1, NULL, 3]");
    assert.equal(formatValue(new Map([["a", 1]]), T.map(T.string(), T.int()), "UTC"), "{a=1}");
    assert.equal(
      formatValue(
        [1, "x"],
        T.row([
          { name: "a", type: T.int() },
          { name: "b", type: T.string() },
        ]),
        "UTC",
      ),
      "(1, x)",
    );
  });
});
