import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDataType } from "../parse.ts";
import { formatLogicalType } from "./format-type.ts";
import { logicalTypeFromAst } from "./from-ast.ts";
import { LogicalTypeError } from "./logical-type-error.ts";

function typeOf(sql: string): string {
  return formatLogicalType(logicalTypeFromAst(parseDataType(sql)));
}

describe("logicalTypeFromAst + formatLogicalType", () => {
  it("applies Flink's defaults", () => {
    assert.equal(typeOf("DECIMAL"), "DECIMAL(10, 0)");
    assert.equal(typeOf("NUMERIC(5)"), "DECIMAL(5, 0)");
    assert.equal(typeOf("VARCHAR"), "VARCHAR(1)");
    assert.equal(typeOf("CHAR"), "CHAR(1)");
    assert.equal(typeOf("TIMESTAMP"), "TIMESTAMP(6)");
    assert.equal(typeOf("TIMESTAMP_LTZ"), "TIMESTAMP_LTZ(6)");
    assert.equal(typeOf("TIMESTAMP(3) WITH LOCAL TIME ZONE"), "TIMESTAMP_LTZ(3)");
    assert.equal(typeOf("TIME"), "TIME(0)");
    assert.equal(typeOf("BINARY"), "BINARY(1)");
  });

  it("prints the way Flink prints types", () => {
    assert.equal(typeOf("INT NOT NULL"), "INT NOT NULL");
    assert.equal(typeOf("INTEGER"), "INT");
    assert.equal(typeOf("STRING"), "STRING");
    assert.equal(typeOf("VARCHAR(2147483647)"), "STRING");
    assert.equal(typeOf("BYTES"), "BYTES");
    assert.equal(typeOf("DECIMAL(10, 2)"), "DECIMAL(10, 2)");
    assert.equal(typeOf("ARRAY<INT NOT NULL>"), "ARRAY<INT NOT NULL>");
    assert.equal(typeOf("INT ARRAY"), "ARRAY<INT>");
    assert.equal(typeOf("MAP<STRING, BIGINT>"), "MAP<STRING, BIGINT>");
    assert.equal(typeOf("MULTISET<DOUBLE>"), "MULTISET<DOUBLE>");
    assert.equal(typeOf("ROW<a INT, b STRING>"), "ROW<`a` INT, `b` STRING>");
    assert.equal(typeOf("ROW<a INT 'the a'>"), "ROW<`a` INT 'the a'>");
    assert.equal(typeOf("INTERVAL DAY TO SECOND(3)"), "INTERVAL SECOND(3)");
    assert.equal(typeOf("INTERVAL YEAR TO MONTH"), "INTERVAL MONTH");
    assert.equal(
      formatLogicalType({ kind: "TIMESTAMP", precision: 3, nullable: true, timeAttribute: "rowtime" }),
      "TIMESTAMP(3) *ROWTIME*",
    );
    assert.equal(
      formatLogicalType({ kind: "TIMESTAMP_LTZ", precision: 3, nullable: false, timeAttribute: "proctime" }),
      "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*",
    );
  });

  it("rejects out-of-range parameters with a message naming the bound", () => {
    const rejects = (sql: string, message: RegExp) =>
      assert.throws(
        () => logicalTypeFromAst(parseDataType(sql)),
        (e: unknown) => e instanceof LogicalTypeError && message.test(e.message),
      );
    rejects("DECIMAL(40, 2)", /DECIMAL precision must be between 1 and 38 .* but was 40/);
    rejects("DECIMAL(5, 6)", /DECIMAL scale must be between 0 and 5 .* but was 6/);
    rejects("DECIMAL(0)", /DECIMAL precision must be between 1 and 38/);
    rejects("TIMESTAMP(10)", /TIMESTAMP precision must be between 0 and 9 .* but was 10/);
    rejects("TIME(12)", /TIME precision must be between 0 and 9/);
    rejects("VARCHAR(0)", /VARCHAR length must be between 1 and 2147483647/);
    rejects("ROW<a INT, a STRING>", /field names must be unique, but `a` repeats/);
    rejects("INTERVAL DAY(7)", /precision of DAY .* between 1 and 6/);
    const span = parseDataType("INT").span;
    assert.throws(
      () => logicalTypeFromAst({ kind: "simple-type", name: "INT", params: [3], notNull: false, span }),
      /INT takes no parameters, but got \(3\)/,
    );
  });
});
