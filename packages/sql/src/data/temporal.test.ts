import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  addMonthsToDays,
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  instantToWallClock,
  MILLIS_PER_DAY,
  timestampMicros,
  wallClockToInstant,
  zoneOffsetAt,
} from "./temporal.ts";
import {
  formatTimestampText,
  parseDateText,
  parseTimestampText,
  parseTimeText,
  truncateToPrecision,
} from "./temporal-text.ts";

describe("calendar arithmetic", () => {
  it("agrees with Date.UTC for years 1..9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        const date = new Date(days * MILLIS_PER_DAY);
        const civil = civilFromDays(days);
        assert.deepEqual(civil, {
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        });
        assert.equal(daysFromCivil(civil.year, civil.month, civil.day), days);
        assert.equal(dayOfWeek(days), date.getUTCDay() + 1);
      }),
    );
  });

  it("clamps the day when adding months", () => {
    assert.equal(addMonthsToDays(daysFromCivil(2020, 1, 31), 1), daysFromCivil(2020, 2, 29));
    assert.equal(addMonthsToDays(daysFromCivil(2021, 1, 31), 1), daysFromCivil(2021, 2, 28));
    assert.equal(addMonthsToDays(daysFromCivil(2020, 3, 15), -14), daysFromCivil(2019, 1, 15));
  });
});

describe("time zones", () => {
  it("converts between instants and wall clocks", () => {
    const instant = Date.UTC(2020, 3, 15, 0, 0, 0);
    assert.equal(instantToWallClock(instant, "Asia/Shanghai"), instant + 8 * 3_600_000);
    assert.equal(instantToWallClock(instant, "UTC"), instant);
    assert.equal(instantToWallClock(instant, "+05:30"), instant + 5.5 * 3_600_000);
    assert.equal(zoneOffsetAt(Date.UTC(2020, 0, 1), "America/New_York"), -5 * 3_600_000);
    assert.equal(zoneOffsetAt(Date.UTC(2020, 6, 1), "America/New_York"), -4 * 3_600_000);
  });

  it("round-trips wall clocks outside DST transitions", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.constantFrom("Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "UTC"),
        (instant, zone) => {
          const wall = instantToWallClock(instant, zone);
          const back = wallClockToInstant(wall, zone);
          // In a DST overlap two instants share a wall clock; both map to the same wall clock again.
          assert.equal(instantToWallClock(back, zone), wall);
        },
      ),
    );
  });

  it("moves wall clocks in a DST gap forward, as java.time", () => {
    // 2020-03-08 02:30 does not exist in New York; java.time gives 03:30 EDT = 07:30 UTC.
    const wall = Date.UTC(2020, 2, 8, 2, 30);
    assert.equal(wallClockToInstant(wall, "America/New_York"), Date.UTC(2020, 2, 8, 7, 30));
  });

  it("rejects unknown zones", () => {
    assert.throws(() => zoneOffsetAt(0, "Mars/Olympus"), /unknown time zone 'Mars\/Olympus'/);
  });
});

describe("date/time text", () => {
  it("parses Flink's accepted forms and rejects invalid dates", () => {
    assert.equal(parseDateText("2020-02-29"), daysFromCivil(2020, 2, 29));
    assert.equal(parseDateText("2020-2-3"), daysFromCivil(2020, 2, 3));
    assert.equal(parseDateText("2021-02-29"), undefined);
    assert.equal(parseDateText("2020-13-01"), undefined);
    assert.equal(parseTimeText("12:34:56.789"), (12 * 3600 + 34 * 60 + 56) * 1000 + 789);
    assert.equal(parseTimeText("12:34"), (12 * 3600 + 34 * 60) * 1000);
    assert.equal(parseTimeText("24:00:00"), undefined);
    // Microseconds are the fraction of the millisecond; the nanoseconds of 9 digits are dropped.
    assert.equal(
      parseTimestampText("2020-04-15T08:05:00.123456"),
      Date.UTC(2020, 3, 15, 8, 5, 0, 123) + 0.456,
    );
    assert.equal(
      parseTimestampText("2020-04-15 08:05:00.123456789"),
      Date.UTC(2020, 3, 15, 8, 5, 0, 123) + 0.456,
    );
    assert.equal(parseTimestampText("2020-04-15 08:05:00.123000"), Date.UTC(2020, 3, 15, 8, 5, 0, 123));
    assert.equal(parseTimeText("12:34:56.789999"), (12 * 3600 + 34 * 60 + 56) * 1000 + 789);
    assert.equal(parseTimestampText("2020-04-15"), Date.UTC(2020, 3, 15));
    assert.equal(parseTimestampText("2020-04-15 x"), undefined);
  });

  it("prints timestamps with exactly the precision's fraction digits", () => {
    const ts = Date.UTC(2020, 3, 15, 8, 5, 0, 120);
    assert.equal(formatTimestampText(ts, 3), "2020-04-15 08:05:00.120");
    assert.equal(formatTimestampText(ts, 0), "2020-04-15 08:05:00");
    assert.equal(formatTimestampText(ts, 6), "2020-04-15 08:05:00.120000");
    assert.equal(formatTimestampText(-1, 3), "1969-12-31 23:59:59.999");
    assert.equal(formatTimestampText(-0.001, 6), "1969-12-31 23:59:59.999999");
    assert.equal(formatTimestampText(ts + 0.5, 9), "2020-04-15 08:05:00.120500000");
  });

  it("keeps every microsecond through text and back, from year 1692 to 2247", () => {
    // Micros as exact integers; the text is built independently of the formatter under test.
    // |millis| < 2^43: the double's spacing is at most 2^-10 ms (0.98 µs), so rounding is exact.
    const lowest = Date.UTC(1692, 0, 1) / 1000;
    const highest = Date.UTC(2247, 11, 31) / 1000;
    fc.assert(
      fc.property(
        fc.integer({ min: lowest, max: highest }),
        fc.integer({ min: 0, max: 999_999 }),
        (seconds, micro) => {
          const micros = seconds * 1_000_000 + micro;
          const date = new Date(seconds * 1000);
          const text = `${String(date.getUTCFullYear()).padStart(4, "0")}-${String(date.getUTCMonth() + 1).padStart(2, "0")}-${String(date.getUTCDate()).padStart(2, "0")} ${date.toISOString().slice(11, 19)}.${String(micro).padStart(6, "0")}`;
          const millis = parseTimestampText(text)!;
          assert.equal(timestampMicros(millis), micros, text);
          assert.equal(formatTimestampText(millis, 6), text);
          assert.equal(formatTimestampText(truncateToPrecision(millis, 3), 6), `${text.slice(0, -3)}000`);
          assert.equal(formatTimestampText(truncateToPrecision(millis, 4), 6), `${text.slice(0, -2)}00`);
          assert.equal(truncateToPrecision(millis, 3), Math.floor(micros / 1000));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
