/**
 * Reading any numeric SQL value as a JavaScript number, for functions that compute in doubles
 * (math functions, interval scaling) whatever the operand's exact type.
 *
 * Invariant: the conversion depends only on the static type, never on the value's JS type guess:
 * `numberOf(1250n, DECIMAL(10, 2))` is 12.5, `numberOf(7n, BIGINT)` is 7.
 * @module
 */

import { decimalToNumber } from "../data/decimal.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType } from "../types/logical-type.ts";

export function numberOf(value: SqlValue, type: LogicalType): number {
  if (type.kind === "DECIMAL") return decimalToNumber(value as bigint, type.scale);
  return typeof value === "bigint" ? Number(value) : (value as number);
}

/** A reader specialized for `type`, so hot loops do not re-dispatch. */
export function numberReader(type: LogicalType): (value: SqlValue) => number {
  if (type.kind === "DECIMAL") {
    const scale = type.scale;
    return (value) => decimalToNumber(value as bigint, scale);
  }
  if (type.kind === "BIGINT") return (value) => Number(value as bigint);
  return (value) => value as number;
}
