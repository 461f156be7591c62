import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { castValue } from "./cast-value.ts";
import { comparatorFor, groupKeyOf } from "./compare-values.ts";
import { fromJsonValue, toJsonValue } from "./json-value.ts";
import { parseTimestampLiteral } from "./literal-values.ts";
import { parseTimestampText } from "./temporal-text.ts";
import {
  formatTimestampNanosText,
  millisFromNanos,
  nanosFromMillis,
  parseTimestampNanosText,
  splitTimestampNanos,
  timestampValueFromMillis,
  truncateNanos,
} from "./timestamp-nanos.ts";

const utc = { timeZone: "UTC" };
const kolkata = { timeZone: "+05:30" };
const STRING = T.string();

/** `YYYY-MM-DD HH:mm:ss` of epoch seconds, built with Date (independent of the code under test). */
function secondsText(seconds: number): string {
  const date = new Date(seconds * 1000);
  const ymd = `${String(date.getUTCFullYear()).padStart(4, "0")}-${String(date.getUTCMonth() + 1).padStart(2, "0")}-${String(date.getUTCDate()).padStart(2, "0")}`;
  return `${ymd} ${date.toISOString().slice(11, 19)}`;
}

const YEAR_1 = new Date(0).setUTCFullYear(1, 0, 1) / 1000;
const YEAR_9999_END = new Date(0).setUTCFullYear(9999, 11, 31) / 1000 + 86_399;

describe("TIMESTAMP(9) as epoch nanos", () => {
  it("follows the module's worked sequence", () => {
    const nanos = parseTimestampNanosText("2020-01-01 00:00:00.123456789");
    assert.equal(nanos, 1577836800123456789n);
    assert.equal(millisFromNanos(1577836800123456789n, 6), 1577836800123.456);
    assert.equal(millisFromNanos(1577836800123456789n, 3), 1577836800123);
    assert.equal(nanosFromMillis(1577836800123.456), 1577836800123456000n);
    assert.equal(formatTimestampNanosText(1577836800123456789n, 8), "2020-01-01 00:00:00.12345678");
  });

  it("truncates toward negative infinity before 1970", () => {
    // 1969-12-31 23:59:59.999999999 is -1 ns.
    assert.equal(formatTimestampNanosText(-1n, 9), "1969-12-31 23:59:59.999999999");
    assert.equal(truncateNanos(-1n, 6), -1000n);
    assert.equal(millisFromNanos(-1n, 6), -0.001);
    assert.equal(millisFromNanos(-1n, 3), -1);
    assert.deepEqual(splitTimestampNanos(-1n), { days: -1, millisOfDay: 86_399_999, nanosOfMilli: 999_999 });
    assert.equal(parseTimestampNanosText("1969-12-31 23:59:59.999999999"), -1n);
  });

  it("parses the forms Flink accepts and rejects the rest", () => {
    assert.equal(
      parseTimestampNanosText("2020-4-5T1:02:03.0000015"),
      parseTimestampNanosText("2020-04-05 01:02:03.000001500"),
    );
    assert.equal(parseTimestampNanosText("2020-04-05"), BigInt(Date.UTC(2020, 3, 5)) * 1_000_000n);
    assert.equal(parseTimestampNanosText("2020-02-30 00:00:00"), undefined);
    assert.equal(parseTimestampNanosText("2020-04-05 25:00:00"), undefined);
    assert.equal(parseTimestampNanosText("2020-04-05 00:00:00.1234567890"), undefined);
  });

  it("keeps every nanosecond through text, casts and JSON for the years 0001 to 9999", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: YEAR_1, max: YEAR_9999_END }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nano) => {
          const nanos = BigInt(seconds) * 1_000_000_000n + BigInt(nano);
          const text = `${secondsText(seconds)}.${String(nano).padStart(9, "0")}`;
          assert.equal(parseTimestampNanosText(text), nanos, text);
          assert.equal(formatTimestampNanosText(nanos, 9), text);
          assert.equal(formatTimestampNanosText(nanos, 7), text.slice(0, -2));
          assert.equal(formatTimestampNanosText(nanos, 0), text.slice(0, 19));
          // CAST both ways, and through TIMESTAMP_LTZ(9) in a fixed-offset zone (no DST gaps).
          assert.equal(castValue(text, STRING, T.timestamp(9), utc), nanos);
          assert.equal(castValue(nanos, T.timestamp(9), STRING, utc), text);
          // Toward negative infinity: 1969-12-31 23:59:59.999999999 at TIMESTAMP(8) is …59.99999999.
          assert.equal(
            castValue(nanos, T.timestamp(9), T.timestamp(8), utc),
            nanos - (((nanos % 10n) + 10n) % 10n),
          );
          const instant = castValue(nanos, T.timestamp(9), T.timestampLtz(9), kolkata) as bigint;
          assert.equal(instant, nanos - 19_800_000_000_000n);
          assert.equal(castValue(instant, T.timestampLtz(9), T.timestamp(9), kolkata), nanos);
          assert.equal(castValue(instant, T.timestampLtz(9), STRING, kolkata), text);
          assert.equal(castValue(nanos, T.timestamp(9), T.date(), utc), Math.floor(seconds / 86_400));
          assert.equal(castValue(nanos, T.timestamp(9), T.bigint(), utc), BigInt(seconds));
          const json = toJsonValue(nanos, T.timestamp(9), "UTC");
          assert.equal(json, text);
          assert.equal(fromJsonValue(json, T.timestamp(9), "UTC"), nanos);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("converts to and from TIMESTAMP(6) exactly where that representation is exact (1692–2247)", () => {
    const lowest = Date.UTC(1692, 0, 1) / 1000;
    const highest = Date.UTC(2247, 11, 31) / 1000;
    fc.assert(
      fc.property(
        fc.integer({ min: lowest, max: highest }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nano) => {
          const nanos = BigInt(seconds) * 1_000_000_000n + BigInt(nano);
          const text = `${secondsText(seconds)}.${String(nano).padStart(9, "0")}`;
          const micros6 = castValue(nanos, T.timestamp(9), T.timestamp(6), utc) as number;
          // The same number the TIMESTAMP(6) parser gives for the text: equal values group together.
          assert.equal(micros6, parseTimestampText(text));
          assert.equal(castValue(micros6, T.timestamp(6), T.timestamp(9), utc), truncateNanos(nanos, 6));
          assert.equal(
            castValue(nanos, T.timestamp(9), T.timestamp(3), utc),
            seconds * 1000 + Math.floor(nano / 1e6),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("types a literal by its digits: more than six are epoch nanos", () => {
    assert.equal(parseTimestampLiteral("2020-01-01 00:00:00.1234567"), 1577836800123456700n);
    assert.equal(parseTimestampLiteral("2020-01-01 00:00:00.123456"), 1577836800123.456);
  });

  it("reads JSON numbers as epoch millis and zoned text to the nanosecond", () => {
    assert.equal(fromJsonValue(1577836800123, T.timestamp(9), "UTC"), 1577836800123000000n);
    assert.equal(
      fromJsonValue("2020-01-01T02:00:00.123456789+02:00", T.timestampLtz(9), "UTC"),
      1577836800123456789n,
    );
    assert.equal(
      fromJsonValue("2020-01-01T00:00:00.123456789Z", T.timestamp(9), "+01:00"),
      1577840400123456789n,
    );
  });

  it("orders and groups values one nanosecond apart", () => {
    const compare = comparatorFor(T.timestamp(9));
    assert.equal(compare(1n, 2n), -1);
    assert.equal(compare(2n, 1n), 1);
    assert.equal(compare(-5n, -5n), 0);
    assert.notEqual(groupKeyOf(1n, T.timestamp(9)), groupKeyOf(2n, T.timestamp(9)));
    assert.equal(groupKeyOf(7n, T.timestampLtz(9)), groupKeyOf(7n, T.timestampLtz(9)));
  });
});

it("a system's epoch millis become a value of the declared TIMESTAMP_LTZ(p)", () => {
  const ltz = (precision: number) => T.timestampLtz(precision);
  assert.equal(timestampValueFromMillis(1500, ltz(3)), 1500);
  assert.equal(timestampValueFromMillis(1500, ltz(0)), 1000);
  assert.equal(timestampValueFromMillis(-1, ltz(0)), -1000, "truncated toward the past, as Flink");
  assert.equal(timestampValueFromMillis(1500, ltz(6)), 1500);
  assert.equal(timestampValueFromMillis(1500, ltz(9)), 1_500_000_000n);
  assert.equal(timestampValueFromMillis(-1, ltz(9)), -1_000_000n);
});
