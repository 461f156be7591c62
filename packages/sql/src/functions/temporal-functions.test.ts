import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daysFromCivil } from "../data/temporal.ts";
import type { SqlValue } from "../data/values.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { callFunction, typed } from "./testing/call-function.ts";

const TS = Date.UTC(2020, 3, 15, 8, 5, 30, 123); // Wednesday 2020-04-15 08:05:30.123
const ts = (value: SqlValue = TS) => typed(value, T.timestamp(3));
const unit = (name: string) => typed(name, T.char(name.length, false), true);
const s = (value: SqlValue) => typed(value, T.string());
const call = (name: string, ...operands: ReturnType<typeof typed>[]) => callFunction(name, operands).value;

describe("EXTRACT and the unit functions", () => {
  it("extracts fields from timestamps, dates and intervals", () => {
    assert.equal(call("EXTRACT", unit("YEAR"), ts()), 2020n);
    assert.equal(call("EXTRACT", unit("QUARTER"), ts()), 2n);
    assert.equal(call("EXTRACT", unit("MONTH"), ts()), 4n);
    assert.equal(call("EXTRACT", unit("DAY"), ts()), 15n);
    assert.equal(call("EXTRACT", unit("HOUR"), ts()), 8n);
    assert.equal(call("EXTRACT", unit("MINUTE"), ts()), 5n);
    assert.equal(call("EXTRACT", unit("SECOND"), ts()), 30n);
    assert.equal(call("EXTRACT", unit("MILLISECOND"), ts()), 30123n);
    assert.equal(call("EXTRACT", unit("DOW"), ts()), 4n);
    assert.equal(call("EXTRACT", unit("ISODOW"), ts()), 3n);
    assert.equal(call("EXTRACT", unit("DOY"), ts()), 106n);
    assert.equal(call("EXTRACT", unit("WEEK"), ts()), 16n);
    assert.equal(call("EXTRACT", unit("EPOCH"), ts()), BigInt(Math.floor(TS / 1000)));
    assert.equal(call("EXTRACT", unit("WEEK"), typed(daysFromCivil(2021, 1, 3), T.date())), 53n);
    assert.equal(call("EXTRACT", unit("DAY"), typed(3 * 86_400_000 + 5_000, T.intervalDayTime())), 3n);
    assert.equal(call("EXTRACT", unit("MONTH"), typed(14, T.intervalYearMonth())), 2n);
    assert.equal(call("EXTRACT", unit("YEAR"), ts(null)), null);
    assert.equal(call("YEAR", typed(daysFromCivil(1999, 12, 31), T.date())), 1999n);
    assert.equal(call("DAYOFWEEK", ts()), 4n);
  });

  it("reads TIMESTAMP_LTZ in the session time zone", () => {
    const ltz = typed(Date.UTC(2020, 3, 15, 20, 0), T.timestampLtz(3));
    assert.equal(callFunction("HOUR", [ltz], { timeZone: "Asia/Shanghai" }).value, 4n);
    assert.equal(callFunction("EXTRACT", [unit("DAY"), ltz], { timeZone: "Asia/Shanghai" }).value, 16n);
  });
});

describe("FLOOR / CEIL to a unit, TIMESTAMPADD, TIMESTAMPDIFF", () => {
  it("rounds timestamps and dates", () => {
    assert.equal(call("FLOOR", ts(), unit("HOUR")), Date.UTC(2020, 3, 15, 8));
    assert.equal(call("CEIL", ts(), unit("HOUR")), Date.UTC(2020, 3, 15, 9));
    assert.equal(call("FLOOR", ts(), unit("DAY")), Date.UTC(2020, 3, 15));
    assert.equal(call("FLOOR", ts(), unit("MONTH")), Date.UTC(2020, 3, 1));
    assert.equal(call("CEIL", ts(), unit("MONTH")), Date.UTC(2020, 4, 1));
    assert.equal(call("FLOOR", ts(), unit("QUARTER")), Date.UTC(2020, 3, 1));
    assert.equal(call("FLOOR", ts(), unit("YEAR")), Date.UTC(2020, 0, 1));
    assert.equal(call("CEIL", ts(Date.UTC(2020, 3, 15, 8)), unit("HOUR")), Date.UTC(2020, 3, 15, 8));
    assert.equal(
      call("FLOOR", typed(daysFromCivil(2020, 4, 15), T.date()), unit("MONTH")),
      daysFromCivil(2020, 4, 1),
    );
    const ltz = typed(Date.UTC(2020, 3, 15, 20, 30), T.timestampLtz(3));
    assert.equal(
      callFunction("FLOOR", [ltz, unit("DAY")], { timeZone: "Asia/Shanghai" }).value,
      Date.UTC(2020, 3, 15, 16),
    );
  });

  it("still floors and ceils numbers", () => {
    assert.equal(call("FLOOR", typed(-2.5, T.double())), -3);
    assert.equal(call("CEIL", typed(2.1, T.double())), 3);
    const { value, type } = callFunction("CEIL", [typed(1201n, T.decimal(5, 2))]);
    assert.equal(value, 13n);
    assert.equal(formatLogicalType(type), "DECIMAL(4, 0)");
    assert.equal(call("FLOOR", typed(-1201n, T.decimal(5, 2))), -13n);
  });

  it("adds units and measures differences", () => {
    assert.equal(call("TIMESTAMPADD", unit("MINUTE"), typed(5, T.int()), ts()), TS + 5 * 60_000);
    assert.equal(
      call("TIMESTAMPADD", unit("MONTH"), typed(1, T.int()), ts(Date.UTC(2020, 0, 31))),
      Date.UTC(2020, 1, 29),
    );
    assert.equal(
      call("TIMESTAMPADD", unit("DAY"), typed(-1, T.int()), typed(daysFromCivil(2020, 3, 1), T.date())),
      daysFromCivil(2020, 2, 29),
    );
    assert.equal(
      call("TIMESTAMPDIFF", unit("DAY"), ts(Date.UTC(2020, 0, 1)), ts(Date.UTC(2020, 0, 3, 12))),
      2,
    );
    assert.equal(
      call("TIMESTAMPDIFF", unit("HOUR"), ts(Date.UTC(2020, 0, 3)), ts(Date.UTC(2020, 0, 1))),
      -48,
    );
    assert.equal(
      call("TIMESTAMPDIFF", unit("MONTH"), ts(Date.UTC(2020, 0, 31)), ts(Date.UTC(2020, 1, 29))),
      0,
    );
    assert.equal(
      call("TIMESTAMPDIFF", unit("MONTH"), ts(Date.UTC(2020, 0, 15)), ts(Date.UTC(2020, 2, 15))),
      2,
    );
    assert.equal(call("TIMESTAMPDIFF", unit("YEAR"), ts(Date.UTC(2019, 5, 1)), ts(Date.UTC(2021, 4, 31))), 1);
  });

  it("adds intervals with + and -", () => {
    assert.equal(call("+", ts(), typed(3_600_000, T.intervalDayTime())), TS + 3_600_000);
    assert.equal(
      call("-", ts(Date.UTC(2020, 2, 31)), typed(1, T.intervalYearMonth())),
      Date.UTC(2020, 1, 29),
    );
    assert.equal(
      call("+", typed(daysFromCivil(2020, 1, 1), T.date()), typed(86_400_000 * 2, T.intervalDayTime())),
      daysFromCivil(2020, 1, 3),
    );
    assert.equal(call("+", typed(1000, T.intervalDayTime()), typed(500, T.intervalDayTime())), 1500);
  });
});

describe("formatting and parsing", () => {
  it("formats with Java patterns", () => {
    assert.equal(call("DATE_FORMAT", ts(), s("yyyy-MM-dd HH:mm:ss")), "2020-04-15 08:05:30");
    assert.equal(call("DATE_FORMAT", ts(), s("yyyy/MM/dd HH:mm:ss.SSS")), "2020/04/15 08:05:30.123");
    assert.equal(call("DATE_FORMAT", ts(), s("EEE, d MMM yy h:mm a")), "Wed, 15 Apr 20 8:05 AM");
    assert.equal(call("DATE_FORMAT", ts(), s("yyyyMMdd'T'HH")), "20200415T08");
    assert.equal(call("DATE_FORMAT", s("2020-04-15 08:05:30"), s("MMMM")), "April");
    const ltz = typed(Date.UTC(2020, 3, 15, 20, 0), T.timestampLtz(3));
    assert.equal(
      callFunction("DATE_FORMAT", [ltz, s("yyyy-MM-dd HH:mm")], { timeZone: "Asia/Shanghai" }).value,
      "2020-04-16 04:00",
    );
  });

  it("parses timestamps and dates, NULL on mismatch", () => {
    assert.equal(call("TO_TIMESTAMP", s("2020-04-15 08:05:30")), Date.UTC(2020, 3, 15, 8, 5, 30));
    assert.equal(call("TO_TIMESTAMP", s("2020-04-15 08:05:30.5")), Date.UTC(2020, 3, 15, 8, 5, 30, 500));
    assert.equal(
      call("TO_TIMESTAMP", s("15/04/2020 08:05"), s("dd/MM/yyyy HH:mm")),
      Date.UTC(2020, 3, 15, 8, 5),
    );
    assert.equal(call("TO_TIMESTAMP", s("nonsense")), null);
    assert.equal(call("TO_TIMESTAMP", s("2020-02-30 00:00:00")), null);
    assert.equal(call("TO_DATE", s("2020-04-15")), daysFromCivil(2020, 4, 15));
    assert.equal(call("TO_DATE", s("20200415"), s("yyyyMMdd")), daysFromCivil(2020, 4, 15));
    assert.equal(call("TO_TIMESTAMP_LTZ", typed(1586937930n, T.bigint()), typed(0, T.int())), 1586937930000);
    assert.equal(
      call("TO_TIMESTAMP_LTZ", typed(1586937930123n, T.bigint()), typed(3, T.int())),
      1586937930123,
    );
    assert.equal(
      callFunction("UNIX_TIMESTAMP", [s("2020-04-15 16:05:30")], { timeZone: "Asia/Shanghai" }).value,
      1586937930n,
    );
    assert.equal(
      callFunction("FROM_UNIXTIME", [typed(1586937930n, T.bigint())], { timeZone: "Asia/Shanghai" }).value,
      "2020-04-15 16:05:30",
    );
    assert.equal(call("FROM_UNIXTIME", typed(0n, T.bigint()), s("yyyy")), "1970");
    const berlin = { timeZone: "Europe/Berlin" };
    assert.equal(
      callFunction(
        "UNIX_TIMESTAMP",
        [s("1970-01-01 08:00:01.001 +0800"), s("yyyy-MM-dd HH:mm:ss.SSS X")],
        berlin,
      ).value,
      1n,
    );
    assert.equal(callFunction("UNIX_TIMESTAMP", [s("1970-01-01 08:00:01")], berlin).value, 25201n);
    assert.equal(
      call("CONVERT_TZ", s("1970-01-01 00:00:00"), s("UTC"), s("America/Los_Angeles")),
      "1969-12-31 16:00:00",
    );
  });

  it("returns the query time for CURRENT_* in the session zone", () => {
    const context = { timeZone: "Asia/Shanghai", queryStartMillis: Date.UTC(2020, 3, 15, 20, 0) };
    assert.equal(callFunction("CURRENT_TIMESTAMP", [], context).value, Date.UTC(2020, 3, 15, 20, 0));
    assert.equal(callFunction("LOCALTIMESTAMP", [], context).value, Date.UTC(2020, 3, 16, 4, 0));
    assert.equal(callFunction("CURRENT_DATE", [], context).value, daysFromCivil(2020, 4, 16));
    assert.equal(callFunction("CURRENT_TIME", [], context).value, 4 * 3_600_000);
    assert.equal(
      formatLogicalType(callFunction("PROCTIME", []).type),
      "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*",
    );
    const now = callFunction("NOW", []).value as number;
    assert.ok(Math.abs(now - Date.now()) < 5000);
  });
});

describe("time units", () => {
  it("are checked when the call is typed, not per row", () => {
    assert.throws(
      () => callFunction("FLOOR", [ts(), unit("FORTNIGHT")]),
      /FLOOR does not support the time unit FORTNIGHT/,
    );
    assert.throws(
      () => callFunction("TIMESTAMPADD", [unit("DOW"), typed(1, T.int()), ts()]),
      /TIMESTAMPADD does not support the time unit DOW/,
    );
    assert.throws(
      () => callFunction("EXTRACT", [unit("DOW"), typed(5, T.intervalDayTime())]),
      /EXTRACT does not support the time unit DOW/,
    );
    assert.throws(
      () => callFunction("EXTRACT", [typed("DAY", T.string()), ts()]),
      /EXTRACT expects its time unit as a literal/,
    );
  });
});
