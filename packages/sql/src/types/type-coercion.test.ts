import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  avgResultType,
  decimalAdditionType,
  decimalDivisionType,
  decimalModuloType,
  decimalMultiplicationType,
  sumResultType,
} from "./decimal-rules.ts";
import { formatLogicalType } from "./format-type.ts";
import type { LogicalType } from "./logical-type.ts";
import {
  canCast,
  canImplicitlyCast,
  commonType,
  comparisonType,
  sameTypeIgnoringNullability,
} from "./type-coercion.ts";
import { LogicalTypes as T } from "./type-factory.ts";

function common(...types: LogicalType[]): string | null {
  const found = commonType(types);
  return found === null ? null : formatLogicalType(found);
}

describe("commonType (Flink's findCommonType)", () => {
  it("widens numerics", () => {
    assert.equal(common(T.int(), T.bigint(), T.decimal(2, 2)), "DECIMAL(21, 2)");
    assert.equal(common(T.int(false), T.bigint(false)), "BIGINT NOT NULL");
    assert.equal(common(T.tinyint(), T.smallint()), "SMALLINT");
    assert.equal(common(T.int(), T.double()), "DOUBLE");
    assert.equal(common(T.int(), T.float()), "FLOAT");
    assert.equal(common(T.decimal(10, 2), T.float()), "DOUBLE");
    assert.equal(common(T.decimal(10, 2), T.decimal(5, 4)), "DECIMAL(12, 4)");
    assert.equal(common(T.decimal(38, 0), T.decimal(38, 38)), "DECIMAL(38, 0)");
  });

  it("joins strings without padding", () => {
    assert.equal(common(T.char(1, false), T.char(3, false)), "VARCHAR(3) NOT NULL");
    assert.equal(common(T.char(3), T.char(3)), "CHAR(3)");
    assert.equal(common(T.char(3), T.varchar(2)), "VARCHAR(3)");
    assert.equal(common(T.varchar(5), T.string()), "STRING");
    assert.equal(common(T.binary(2), T.binary(4)), "VARBINARY(4)");
  });

  it("treats NULL as adding nullability only", () => {
    assert.equal(common(T.null(), T.int(false)), "INT");
    assert.equal(common(T.null(), T.null()), "NULL");
    assert.equal(common(T.int(false), T.int(false)), "INT NOT NULL");
  });

  it("merges temporal and nested types", () => {
    assert.equal(common(T.timestamp(3), T.timestamp(6)), "TIMESTAMP(6)");
    assert.equal(common(T.timestamp(3), T.timestampLtz(3)), "TIMESTAMP_LTZ(3)");
    assert.equal(common(T.date(), T.timestamp(3)), "TIMESTAMP(3)");
    assert.equal(common(T.array(T.int()), T.array(T.bigint())), "ARRAY<BIGINT>");
    assert.equal(
      common(T.map(T.string(), T.int()), T.map(T.string(), T.decimal(5, 1))),
      "MAP<STRING, DECIMAL(11, 1)>",
    );
    assert.equal(
      common(T.row([{ name: "a", type: T.int() }]), T.row([{ name: "b", type: T.double() }])),
      "ROW<`a` DOUBLE>",
    );
  });

  it("has no common type across families", () => {
    assert.equal(common(T.int(), T.string()), null);
    assert.equal(common(T.boolean(), T.int()), null);
    assert.equal(common(T.date(), T.time()), null);
    assert.equal(common(T.array(T.int()), T.int()), null);
  });
});

describe("comparisonType", () => {
  it("compares strings with numbers and temporals as the non-string side", () => {
    assert.equal(formatLogicalType(comparisonType(T.string(false), T.int(false))!), "INT NOT NULL");
    assert.equal(formatLogicalType(comparisonType(T.timestamp(3), T.string())!), "TIMESTAMP(3)");
    assert.equal(comparisonType(T.boolean(), T.date()), null);
  });
});

describe("casts", () => {
  it("allows Flink's implicit widening only", () => {
    assert.ok(canImplicitlyCast(T.int(), T.bigint()));
    assert.ok(canImplicitlyCast(T.int(), T.decimal(3, 0)));
    assert.ok(canImplicitlyCast(T.bigint(), T.double()));
    assert.ok(!canImplicitlyCast(T.double(), T.int()));
    assert.ok(canImplicitlyCast(T.char(3), T.string()));
    assert.ok(canImplicitlyCast(T.date(), T.timestamp(3)));
    assert.ok(!canImplicitlyCast(T.string(), T.int()));
    assert.ok(canImplicitlyCast(T.null(), T.array(T.int())));
  });

  it("allows explicit casts between scalar families", () => {
    assert.ok(canCast(T.string(), T.int()));
    assert.ok(canCast(T.double(), T.int()));
    assert.ok(canCast(T.timestamp(3), T.date()));
    assert.ok(canCast(T.int(), T.string()));
    assert.ok(canCast(T.string(), T.bytes()));
    assert.ok(canCast(T.array(T.string()), T.array(T.int())));
    assert.ok(!canCast(T.date(), T.int()));
    assert.ok(!canCast(T.boolean(), T.date()));
    assert.ok(!canCast(T.array(T.int()), T.map(T.int(), T.int())));
  });

  it("compares types ignoring top-level nullability", () => {
    assert.ok(sameTypeIgnoringNullability(T.int(false), T.int(true)));
    assert.ok(!sameTypeIgnoringNullability(T.array(T.int(false)), T.array(T.int(true))));
    assert.ok(!sameTypeIgnoringNullability(T.decimal(10, 2), T.decimal(10, 3)));
  });
});

describe("decimal result types", () => {
  const d = (p: number, s: number) => T.decimal(p, s, false);
  const show = (t: LogicalType) => formatLogicalType(t);
  it("follows Flink's table and keeps integral digits past precision 38", () => {
    assert.equal(show(decimalAdditionType(d(5, 2), d(3, 1), false)), "DECIMAL(6, 2) NOT NULL");
    assert.equal(show(decimalAdditionType(d(38, 8), d(32, 8), false)), "DECIMAL(38, 7) NOT NULL");
    assert.equal(show(decimalMultiplicationType(d(5, 2), d(3, 1), false)), "DECIMAL(9, 3) NOT NULL");
    assert.equal(show(decimalDivisionType(d(10, 2), d(5, 0), false)), "DECIMAL(16, 8) NOT NULL");
    assert.equal(show(decimalDivisionType(d(38, 10), d(10, 2), false)), "DECIMAL(38, 8) NOT NULL");
    assert.equal(show(decimalModuloType(d(10, 2), d(5, 3), false)), "DECIMAL(5, 3) NOT NULL");
    assert.equal(show(sumResultType(d(10, 2))), "DECIMAL(38, 2) NOT NULL");
    assert.equal(show(avgResultType(d(10, 2))), "DECIMAL(38, 6) NOT NULL");
    assert.equal(show(avgResultType(d(20, 8))), "DECIMAL(38, 8) NOT NULL");
    assert.equal(show(avgResultType(T.int())), "INT");
  });
});
