import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IntervalLiteral } from "../ast/expressions.ts";
import { parseExpression } from "../parse.ts";
import { formatLogicalType } from "../types/format-type.ts";
import { LogicalTypeError } from "../types/logical-type-error.ts";
import {
  literalFractionDigits,
  parseDateLiteral,
  parseIntervalLiteral,
  parseNumberLiteral,
  parseTimestampLiteral,
} from "./literal-values.ts";

describe("number literals", () => {
  it("types them as Flink does", () => {
    const show = (text: string, form: "integer" | "decimal" | "approximate") => {
      const { value, type } = parseNumberLiteral(text, form);
      return [value, formatLogicalType(type)];
    };
    assert.deepEqual(show("42", "integer"), [42, "INT NOT NULL"]);
    assert.deepEqual(show("2147483648", "integer"), [2147483648n, "BIGINT NOT NULL"]);
    assert.deepEqual(show("99999999999999999999", "integer"), [
      99999999999999999999n,
      "DECIMAL(20, 0) NOT NULL",
    ]);
    assert.deepEqual(show("1.50", "decimal"), [150n, "DECIMAL(3, 2) NOT NULL"]);
    assert.deepEqual(show("0.908", "decimal"), [908n, "DECIMAL(3, 3) NOT NULL"]);
    assert.deepEqual(show(".5", "decimal"), [5n, "DECIMAL(1, 1) NOT NULL"]);
    assert.deepEqual(show("100.0", "decimal"), [1000n, "DECIMAL(4, 1) NOT NULL"]);
    assert.deepEqual(show("1.5E3", "approximate"), [1500, "DOUBLE NOT NULL"]);
    assert.throws(() => parseNumberLiteral("1".repeat(40), "integer"), LogicalTypeError);
  });
});

describe("date, time and interval literals", () => {
  it("parses them into their value representation", () => {
    assert.equal(parseDateLiteral("1970-01-02"), 1);
    assert.equal(parseTimestampLiteral("2020-04-15 08:05:00.123"), Date.UTC(2020, 3, 15, 8, 5, 0, 123));
    assert.equal(literalFractionDigits("2020-04-15 08:05:00.12"), 2);
    assert.throws(() => parseDateLiteral("2020-13-01"), /'2020-13-01' is not a valid DATE literal/);
  });

  it("parses intervals by their qualifier", () => {
    const interval = (sql: string) => {
      const literal = parseExpression(sql) as IntervalLiteral;
      const { value, type } = parseIntervalLiteral(literal.value, literal.qualifier, literal.negative);
      return [value, formatLogicalType(type)];
    };
    assert.deepEqual(interval("INTERVAL '5' SECOND"), [5000, "INTERVAL SECOND(3) NOT NULL"]);
    assert.deepEqual(interval("INTERVAL '1.5' SECOND"), [1500, "INTERVAL SECOND(3) NOT NULL"]);
    assert.deepEqual(interval("INTERVAL '1 02:03' DAY TO MINUTE"), [
      93_780_000,
      "INTERVAL SECOND(3) NOT NULL",
    ]);
    assert.deepEqual(interval("INTERVAL '1-6' YEAR TO MONTH"), [18, "INTERVAL MONTH NOT NULL"]);
    assert.deepEqual(interval("INTERVAL -'2' HOUR"), [-7_200_000, "INTERVAL SECOND(3) NOT NULL"]);
    assert.deepEqual(interval("INTERVAL '-3' DAY"), [-259_200_000, "INTERVAL SECOND(3) NOT NULL"]);
    assert.throws(
      () => interval("INTERVAL '1:99' HOUR TO MINUTE"),
      /not a valid INTERVAL HOUR TO MINUTE literal/,
    );
  });
});
