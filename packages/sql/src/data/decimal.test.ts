import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { divideHalfUp, fitsPrecision, formatDecimal, parseDecimal, rescale } from "./decimal.ts";

/** Reference HALF_UP rounding on decimal text, independent of bigint division. */
function roundText(text: string, scale: number): string {
  const negative = text.startsWith("-");
  const [int, frac = ""] = (negative ? text.slice(1) : text).split(".") as [string, string?];
  const kept = (frac + "0".repeat(scale)).slice(0, scale);
  const nextDigit = Number((frac + "0".repeat(scale + 1))[scale]);
  let digits = BigInt(int + kept);
  if (nextDigit >= 5) digits += 1n;
  return formatDecimal(negative ? -digits : digits, scale);
}

describe("decimal arithmetic", () => {
  it("rescales HALF_UP like the textual reference", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (unscaled, from, to) => {
          const expected = roundText(formatDecimal(unscaled, from), to);
          assert.equal(
            formatDecimal(rescale(unscaled, from, to), to),
            expected.startsWith("-0") && /^-0(\.0*)?$/.test(expected) ? expected.slice(1) : expected,
          );
        },
      ),
    );
  });

  it("rounds halves away from zero", () => {
    assert.equal(rescale(1255n, 2, 1), 126n);
    assert.equal(rescale(-1255n, 2, 1), -126n);
    assert.equal(rescale(1254n, 2, 1), 125n);
    assert.equal(divideHalfUp(5n, 2n), 3n);
    assert.equal(divideHalfUp(-5n, 2n), -3n);
    assert.equal(divideHalfUp(5n, -2n), -3n);
    assert.equal(divideHalfUp(7n, 3n), 2n);
  });

  it("parses and formats decimal text", () => {
    assert.equal(parseDecimal("12.345", 2), 1235n);
    assert.equal(parseDecimal(" -0.5 ", 0), -1n);
    assert.equal(parseDecimal(".5", 1), 5n);
    assert.equal(parseDecimal("1e3", 0), 1000n);
    assert.equal(parseDecimal("1.5E-1", 2), 15n);
    assert.equal(parseDecimal("abc", 2), undefined);
    assert.equal(parseDecimal("", 2), undefined);
    assert.equal(formatDecimal(1250n, 2), "12.50");
    assert.equal(formatDecimal(-5n, 2), "-0.05");
    assert.equal(formatDecimal(7n, 0), "7");
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 10 }),
        (v, s) => {
          assert.equal(parseDecimal(formatDecimal(v, s), s), v);
        },
      ),
    );
  });

  it("checks precision", () => {
    assert.ok(fitsPrecision(99999n, 5));
    assert.ok(!fitsPrecision(100000n, 5));
    assert.ok(!fitsPrecision(-100000n, 5));
  });
});
