/**
 * Result types of DECIMAL arithmetic and of SUM / AVG over DECIMAL, as Flink derives them
 * (`LogicalTypeMerging`): SQL Server's table with Hive/Spark's way of keeping integral digits.
 *
 * Invariant: results never exceed precision 38; when they would, the scale shrinks (but not below
 * min(scale, 6)) so that the integral part keeps its digits. Worked example: DECIMAL(38, 8) +
 * DECIMAL(32, 8) needs (39, 8) and becomes DECIMAL(38, 7).
 * | Operation | Precision                            | Scale               |
 * |-----------|--------------------------------------|---------------------|
 * | e1 + e2   | max(s1, s2) + max(p1-s1, p2-s2) + 1  | max(s1, s2)         |
 * | e1 * e2   | p1 + p2 + 1                          | s1 + s2             |
 * | e1 / e2   | p1 - s1 + s2 + max(6, s1 + p2 + 1)   | max(6, s1 + p2 + 1) |
 * | e1 % e2   | min(p1-s1, p2-s2) + max(s1, s2)      | max(s1, s2)         |
 * @module
 */

import type { DecimalType, LogicalType } from "./logical-type.ts";
import { LogicalTypes, MAX_DECIMAL_PRECISION } from "./type-factory.ts";

const MINIMUM_ADJUSTED_SCALE = 6;

function adjusted(precision: number, scale: number, nullable: boolean): DecimalType {
  if (precision <= MAX_DECIMAL_PRECISION) return LogicalTypes.decimal(precision, scale, nullable);
  const integralDigits = precision - scale;
  const scaleKept = Math.max(MAX_DECIMAL_PRECISION - integralDigits, Math.min(scale, MINIMUM_ADJUSTED_SCALE));
  return LogicalTypes.decimal(MAX_DECIMAL_PRECISION, scaleKept, nullable);
}

export function decimalAdditionType(a: DecimalType, b: DecimalType, nullable: boolean): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  return adjusted(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale, nullable);
}

export function decimalMultiplicationType(a: DecimalType, b: DecimalType, nullable: boolean): DecimalType {
  return adjusted(a.precision + b.precision + 1, a.scale + b.scale, nullable);
}

export function decimalDivisionType(a: DecimalType, b: DecimalType, nullable: boolean): DecimalType {
  const scale = Math.max(MINIMUM_ADJUSTED_SCALE, a.scale + b.precision + 1);
  return adjusted(a.precision - a.scale + b.scale + scale, scale, nullable);
}

export function decimalModuloType(a: DecimalType, b: DecimalType, nullable: boolean): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  return adjusted(Math.min(a.precision - a.scale, b.precision - b.scale) + scale, scale, nullable);
}

/** ROUND(d, r) / TRUNCATE(d, r): rounding may carry into one more integral digit. */
export function decimalRoundType(a: DecimalType, round: number, nullable: boolean): DecimalType {
  if (round >= a.scale) return LogicalTypes.decimal(a.precision, a.scale, nullable);
  if (round < 0)
    return LogicalTypes.decimal(Math.min(MAX_DECIMAL_PRECISION, 1 + a.precision - a.scale), 0, nullable);
  return LogicalTypes.decimal(
    Math.min(MAX_DECIMAL_PRECISION, 1 + a.precision - a.scale + round),
    round,
    nullable,
  );
}

/** SUM over a DECIMAL(p, s) is DECIMAL(38, s); other types sum in their own type. */
export function sumResultType(arg: LogicalType): LogicalType {
  if (arg.kind === "DECIMAL") return LogicalTypes.decimal(MAX_DECIMAL_PRECISION, arg.scale, arg.nullable);
  return arg;
}

/** AVG over DECIMAL(p, s) is DECIMAL(38, max(6, s)); AVG of INT is INT (integer division), as in Flink. */
export function avgResultType(arg: LogicalType): LogicalType {
  if (arg.kind === "DECIMAL") {
    return decimalDivisionType(
      LogicalTypes.decimal(MAX_DECIMAL_PRECISION, arg.scale),
      LogicalTypes.decimal(20, 0),
      arg.nullable,
    );
  }
  return arg;
}

/** The DECIMAL an integer type widens to: TINYINT → (3, 0), SMALLINT → (5, 0), INT → (10, 0), BIGINT → (19, 0). */
export function decimalOfInteger(
  kind: "TINYINT" | "SMALLINT" | "INT" | "BIGINT",
  nullable: boolean,
): DecimalType {
  return LogicalTypes.decimal(INTEGER_DIGITS[kind], 0, nullable);
}

export const INTEGER_DIGITS = { TINYINT: 3, SMALLINT: 5, INT: 10, BIGINT: 19 } as const;
