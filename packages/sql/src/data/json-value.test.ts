import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { fromJsonValue, toJsonValue } from "./json-value.ts";
import { SqlRuntimeError } from "./sql-runtime-error.ts";
import type { SqlValue } from "./values.ts";

describe("toJsonValue", () => {
  it("maps each type as the jsonl output contract says", () => {
    const ts = Date.UTC(2020, 3, 15, 8, 5);
    assert.equal(toJsonValue(null, T.int(), "UTC"), null);
    assert.equal(toJsonValue(5, T.int(), "UTC"), 5);
    assert.equal(toJsonValue(5n, T.bigint(), "UTC"), 5);
    assert.equal(toJsonValue(2n ** 60n, T.bigint(), "UTC"), "1152921504606846976");
    assert.equal(toJsonValue(1250n, T.decimal(10, 2), "UTC"), "12.50");
    assert.equal(toJsonValue(Math.fround(1.1), T.float(), "UTC"), 1.1);
    assert.equal(toJsonValue(new Uint8Array([1, 171]), T.bytes(), "UTC"), "01ab");
    assert.equal(toJsonValue(18367, T.date(), "UTC"), "2020-04-15");
    assert.equal(toJsonValue(ts, T.timestamp(3), "UTC"), "2020-04-15 08:05:00.000");
    assert.equal(toJsonValue(ts, T.timestamp(0), "UTC"), "2020-04-15 08:05:00");
    assert.equal(toJsonValue(ts, T.timestampLtz(3), "Asia/Shanghai"), "2020-04-15 16:05:00.000");
    assert.equal(toJsonValue(3_600_000, T.time(3), "UTC"), "01:00:00.000");
    assert.equal(toJsonValue(172_800_000, T.intervalDayTime(), "UTC"), "+2 00:00:00.000");
    assert.deepEqual(toJsonValue([1, null], T.array(T.int()), "UTC"), [1, null]);
    assert.deepEqual(
      toJsonValue(new Map<SqlValue, SqlValue>([[1, "x"]]), T.map(T.int(), T.string()), "UTC"),
      { "1": "x" },
    );
    assert.deepEqual(
      toJsonValue(
        [1n, "x"],
        T.row([
          { name: "a", type: T.bigint() },
          { name: "b", type: T.string() },
        ]),
        "UTC",
      ),
      { a: 1, b: "x" },
    );
  });
});

describe("fromJsonValue", () => {
  it("accepts numbers or strings for numerics and several timestamp forms", () => {
    assert.equal(fromJsonValue("12", T.int(), "UTC"), 12);
    assert.equal(fromJsonValue(12, T.bigint(), "UTC"), 12n);
    assert.equal(fromJsonValue("9007199254740993", T.bigint(), "UTC"), 9007199254740993n);
    assert.equal(fromJsonValue(12.5, T.decimal(5, 2), "UTC"), 1250n);
    assert.equal(fromJsonValue("12.5", T.decimal(5, 2), "UTC"), 1250n);
    const ts = Date.UTC(2020, 3, 15, 8, 5);
    assert.equal(fromJsonValue("2020-04-15 08:05:00", T.timestamp(3), "UTC"), ts);
    assert.equal(fromJsonValue("2020-04-15T08:05:00Z", T.timestamp(3), "UTC"), ts);
    assert.equal(fromJsonValue("2020-04-15T16:05:00+08:00", T.timestampLtz(3), "UTC"), ts);
    assert.equal(fromJsonValue(ts, T.timestampLtz(3), "UTC"), ts);
    assert.deepEqual(
      fromJsonValue(
        { b: "x", a: 1 },
        T.row([
          { name: "a", type: T.int() },
          { name: "b", type: T.string() },
        ]),
        "UTC",
      ),
      [1, "x"],
    );
    assert.throws(() => fromJsonValue("abc", T.int(), "UTC"), SqlRuntimeError);
    assert.throws(() => fromJsonValue(1.5, T.int(), "UTC"), /does not fit type INT/);
    assert.throws(() => fromJsonValue([1], T.int(), "UTC"), SqlRuntimeError);
  });

  it("inverts toJsonValue (in a zone without DST, where wall clocks are unambiguous)", () => {
    const cases: [fc.Arbitrary<SqlValue>, LogicalType][] = [
      [fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), T.int()],
      [fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), T.bigint()],
      [fc.bigInt({ min: -(10n ** 12n) + 1n, max: 10n ** 12n - 1n }), T.decimal(12, 3)],
      [fc.double({ noNaN: true, noDefaultInfinity: true }), T.double()],
      [fc.string(), T.string()],
      [fc.boolean(), T.boolean()],
      [fc.uint8Array(), T.bytes()],
      [fc.integer({ min: -100000, max: 2_000_000 }), T.date()],
      [fc.integer({ min: 0, max: 86_399_999 }), T.time(3)],
      [fc.integer({ min: -(10 ** 12), max: 10 ** 13 }), T.timestamp(3)],
      [fc.integer({ min: 0, max: 10 ** 13 }), T.timestampLtz(3)],
      [fc.array(fc.option(fc.integer(), { nil: null })), T.array(T.int())],
    ];
    for (const [arbitrary, type] of cases) {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const back = fromJsonValue(
            JSON.parse(JSON.stringify(toJsonValue(value, type, "Asia/Kolkata"))),
            type,
            "Asia/Kolkata",
          );
          if (type.kind === "DOUBLE") assert.ok(Object.is(back, value) || (back === 0 && value === 0));
          else assert.deepEqual(back, value);
        }),
        { numRuns: 200 },
      );
    }
  });
});
