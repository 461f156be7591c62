/**
 * The text codecs of SQL values: every value of every supported type survives encode → decode
 * (property), decoding reads Postgres' text output forms exactly, and bad text is refused with the
 * text and the type named.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogicalType, SqlValue } from "@weir/sql";
import fc from "fast-check";
import { parseDecimal, textDecoderFor } from "./text-value-decoder.ts";
import { formatDecimal, textEncoderFor } from "./text-value-encoder.ts";

const MS_PER_DAY = 86_400_000;
// Years 1..9999, the range both Postgres and MariaDB write as four-digit ISO text.
const MIN_MS = new Date(0).setUTCFullYear(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const cases: [LogicalType, fc.Arbitrary<SqlValue>][] = [
  [{ kind: "BOOLEAN", nullable: true }, fc.boolean()],
  [{ kind: "SMALLINT", nullable: true }, fc.integer({ min: -32768, max: 32767 })],
  [{ kind: "INT", nullable: true }, fc.integer()],
  [{ kind: "BIGINT", nullable: true }, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [{ kind: "DOUBLE", nullable: true }, fc.double({ noNaN: true })],
  [{ kind: "FLOAT", nullable: true }, fc.float({ noNaN: true }).map((v) => Math.fround(v))],
  [
    { kind: "DECIMAL", precision: 20, scale: 4, nullable: true },
    fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }),
  ],
  [{ kind: "DECIMAL", precision: 5, scale: 0, nullable: true }, fc.bigInt({ min: -99999n, max: 99999n })],
  [{ kind: "VARCHAR", length: 2_147_483_647, nullable: true }, fc.string({ unit: "grapheme" })],
  [{ kind: "VARBINARY", length: 2_147_483_647, nullable: true }, fc.uint8Array()],
  [
    { kind: "DATE", nullable: true },
    fc.integer({ min: Math.ceil(MIN_MS / MS_PER_DAY), max: Math.floor(MAX_MS / MS_PER_DAY) }),
  ],
  [{ kind: "TIME", precision: 3, nullable: true }, fc.integer({ min: 0, max: MS_PER_DAY - 1 })],
  [
    { kind: "TIMESTAMP", precision: 3, nullable: true, timeAttribute: null },
    fc.integer({ min: MIN_MS, max: MAX_MS }),
  ],
  [
    { kind: "TIMESTAMP_LTZ", precision: 6, nullable: true, timeAttribute: null },
    fc.integer({ min: MIN_MS, max: MAX_MS }),
  ],
  // Microseconds as the fraction of the millisecond (@weir/sql values.ts), years 1692 to 2247.
  [
    { kind: "TIMESTAMP", precision: 6, nullable: true, timeAttribute: null },
    fc
      .tuple(
        fc.integer({ min: Date.UTC(1692, 0, 1), max: Date.UTC(2247, 11, 31) }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([millis, micros]) => (millis * 1000 + micros) / 1000),
  ],
];

test("every value survives encoding to text and decoding back", () => {
  for (const [type, values] of cases) {
    const encode = textEncoderFor(type);
    const decode = textDecoderFor(type);
    fc.assert(
      fc.property(values, (value) => {
        assert.deepEqual(decode(encode(value)), value, `${type.kind}: ${encode(value)}`);
      }),
      { numRuns: 300 },
    );
  }
});

test("decoders read Postgres' text output", () => {
  const d = (type: LogicalType, text: string) => textDecoderFor(type)(text);
  assert.equal(d({ kind: "DECIMAL", precision: 10, scale: 2, nullable: true }, "-12.345"), -1235n, "half up");
  assert.equal(d({ kind: "DECIMAL", precision: 10, scale: 2, nullable: true }, "7"), 700n);
  assert.equal(d({ kind: "DATE", nullable: true }, "1969-12-31"), -1);
  assert.equal(d({ kind: "TIME", precision: 6, nullable: true }, "23:59:59.999999"), MS_PER_DAY - 1);
  assert.equal(
    d(
      { kind: "TIMESTAMP_LTZ", precision: 6, nullable: true, timeAttribute: null },
      "2024-02-29 23:30:00.25-05:30",
    ),
    Date.UTC(2024, 2, 1, 5, 0, 0, 250),
  );
  assert.equal(
    d({ kind: "TIMESTAMP", precision: 6, nullable: true, timeAttribute: null }, "2020-01-01 00:00:00.123456"),
    (Date.UTC(2020, 0, 1, 0, 0, 0, 123) * 1000 + 456) / 1000,
  );
  assert.equal(
    d({ kind: "TIMESTAMP", precision: 3, nullable: true, timeAttribute: null }, "2020-01-01 00:00:00.123456"),
    Date.UTC(2020, 0, 1, 0, 0, 0, 123),
    "a TIMESTAMP(3) column keeps whole milliseconds",
  );
  const year99 = new Date(0);
  year99.setUTCFullYear(99, 0, 1);
  assert.equal(
    d({ kind: "TIMESTAMP", precision: 0, nullable: true, timeAttribute: null }, "0099-01-01 00:00:00"),
    year99.getTime(),
    "years below 100 are not read as 19xx",
  );
  assert.equal(d({ kind: "BOOLEAN", nullable: true }, "f"), false);
  assert.deepEqual(
    d({ kind: "VARBINARY", length: 10, nullable: true }, "\\xdeadBEEF"),
    Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
  );
  assert.ok(Number.isNaN(d({ kind: "DOUBLE", nullable: true }, "NaN") as number));
  assert.equal(d({ kind: "DOUBLE", nullable: true }, "-Infinity"), Number.NEGATIVE_INFINITY);
});

test("bad text is refused, naming the text and the type", () => {
  const bad = (type: LogicalType, text: string, message: RegExp) =>
    assert.throws(() => textDecoderFor(type)(text), message);
  bad({ kind: "INT", nullable: true }, "2147483648", /cannot read "2147483648" as INT/);
  bad({ kind: "SMALLINT", nullable: true }, "1.5", /cannot read "1.5" as SMALLINT/);
  bad({ kind: "BIGINT", nullable: true }, "", /cannot read "" as BIGINT/);
  bad(
    { kind: "DECIMAL", precision: 4, scale: 2, nullable: true },
    "123.45",
    /as DECIMAL\(4, 2\): too many digits/,
  );
  bad(
    { kind: "DECIMAL", precision: 4, scale: 2, nullable: true },
    "NaN",
    /cannot read "NaN" as DECIMAL\(4, 2\)/,
  );
  bad({ kind: "DATE", nullable: true }, "infinity", /cannot read "infinity" as DATE/);
  bad({ kind: "BOOLEAN", nullable: true }, "yes", /cannot read "yes" as BOOLEAN/);
  assert.throws(
    () => textDecoderFor({ kind: "INTERVAL_DAY_TIME", nullable: true }),
    /INTERVAL_DAY_TIME cannot be read/,
  );
  assert.throws(
    () => textEncoderFor({ kind: "INT", nullable: true })("1"),
    /expected an integer number, got "1" \(string\)/,
  );
});

test("decimal text helpers", () => {
  assert.equal(formatDecimal(-5n, 3), "-0.005");
  assert.equal(formatDecimal(123n, 0), "123");
  assert.equal(parseDecimal("0.005", 5, 2), 1n);
  assert.equal(parseDecimal("-.5", 3, 0), -1n);
});

test("TIMESTAMP(9) (epoch nanos) is written to the microsecond and read back as nanos", () => {
  const t9: LogicalType = { kind: "TIMESTAMP", precision: 9, nullable: true, timeAttribute: null };
  const ltz9: LogicalType = { kind: "TIMESTAMP_LTZ", precision: 9, nullable: true, timeAttribute: null };
  const nanos = BigInt(Date.UTC(2020, 0, 1, 0, 0, 0, 123)) * 1_000_000n + 456_789n;
  // Postgres keeps microseconds: the 789 ns are cut, not rounded.
  assert.equal(textEncoderFor(t9)(nanos), "2020-01-01 00:00:00.123456");
  assert.equal(textEncoderFor(ltz9)(nanos), "2020-01-01 00:00:00.123456+00:00");
  // 1 ns before the epoch is 1969-12-31 23:59:59.999999 once cut to microseconds.
  assert.equal(textEncoderFor(t9)(-1n), "1969-12-31 23:59:59.999999");
  assert.equal(textDecoderFor(t9)("2020-01-01 00:00:00.123456"), nanos - 789n);
  assert.equal(textDecoderFor(ltz9)("2020-01-01 02:00:00.123456+02"), nanos - 789n);
  assert.throws(() => textEncoderFor(t9)(1.5), /epoch nanoseconds/);
});
