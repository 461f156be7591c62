/**
 * Type families, Flink's least-restrictive common type, and which casts exist (implicitly, as the
 * validator inserts them, and explicitly with CAST).
 *
 * Invariants: {@link commonType} follows Flink's `LogicalTypeMerging.findCommonType` — e.g.
 * `[INT, BIGINT, DECIMAL(2, 2)]` → `DECIMAL(21, 2)`, `[CHAR(1), CHAR(3)]` → `VARCHAR(3)` (no
 * padding), `[INT, DOUBLE]` → `DOUBLE`, `[DECIMAL(10, 2), FLOAT]` → `DOUBLE`, NULL types only add
 * nullability; the result is nullable when any input is. Casting checks ignore nullability (Flink
 * checks NOT NULL targets at run time, not in the type system).
 * @module
 */

import { INTEGER_DIGITS } from "./decimal-rules.ts";
import type { LogicalType } from "./logical-type.ts";
import {
  LogicalTypes,
  MAX_DECIMAL_PRECISION,
  withNullability,
  withoutTimeAttribute,
} from "./type-factory.ts";

export type IntegerKind = "TINYINT" | "SMALLINT" | "INT" | "BIGINT";

export function isInteger(type: LogicalType): boolean {
  return type.kind === "TINYINT" || type.kind === "SMALLINT" || type.kind === "INT" || type.kind === "BIGINT";
}
export function isExactNumeric(type: LogicalType): boolean {
  return isInteger(type) || type.kind === "DECIMAL";
}
export function isApproximateNumeric(type: LogicalType): boolean {
  return type.kind === "FLOAT" || type.kind === "DOUBLE";
}
export function isNumeric(type: LogicalType): boolean {
  return isExactNumeric(type) || isApproximateNumeric(type);
}
export function isCharacterString(type: LogicalType): boolean {
  return type.kind === "CHAR" || type.kind === "VARCHAR";
}
export function isBinaryString(type: LogicalType): boolean {
  return type.kind === "BINARY" || type.kind === "VARBINARY";
}
/** DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ (Flink's DATETIME family). */
export function isTemporal(type: LogicalType): boolean {
  return type.kind === "DATE" || type.kind === "TIME" || isTimestamp(type);
}
export function isTimestamp(type: LogicalType): boolean {
  return type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ";
}
export function isInterval(type: LogicalType): boolean {
  return type.kind === "INTERVAL_YEAR_MONTH" || type.kind === "INTERVAL_DAY_TIME";
}

/** Structural equality that ignores the nullability of `a` and `b` themselves (not of nested types) and time attributes. */
export function sameTypeIgnoringNullability(a: LogicalType, b: LogicalType): boolean {
  return sameType(
    withoutTimeAttribute(withNullability(a, true)),
    withoutTimeAttribute(withNullability(b, true)),
  );
}

/** Full structural equality, nullability included. */
export function sameType(a: LogicalType, b: LogicalType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.nullable !== b.nullable) return false;
  switch (a.kind) {
    case "DECIMAL":
      return b.kind === "DECIMAL" && a.precision === b.precision && a.scale === b.scale;
    case "CHAR":
    case "VARCHAR":
    case "BINARY":
    case "VARBINARY":
      return a.length === (b as typeof a).length;
    case "TIME":
      return a.precision === (b as typeof a).precision;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return a.precision === (b as typeof a).precision && a.timeAttribute === (b as typeof a).timeAttribute;
    case "ARRAY":
    case "MULTISET":
      return sameType(a.element, (b as typeof a).element);
    case "MAP":
      return sameType(a.key, (b as typeof a).key) && sameType(a.value, (b as typeof a).value);
    case "ROW": {
      const other = b as typeof a;
      return (
        a.fields.length === other.fields.length &&
        a.fields.every((f, i) => f.name === other.fields[i]!.name && sameType(f.type, other.fields[i]!.type))
      );
    }
    default:
      return true;
  }
}

/** Decimal precision of an exact numeric type (integers count their maximal digits). */
function precisionOf(type: LogicalType): number {
  if (type.kind === "DECIMAL") return type.precision;
  return INTEGER_DIGITS[type.kind as IntegerKind];
}
function scaleOf(type: LogicalType): number {
  return type.kind === "DECIMAL" ? type.scale : 0;
}

/**
 * The least restrictive type all `types` can be cast to implicitly, or null when there is none
 * (e.g. `[INT, STRING]`). Used for UNION, CASE, COALESCE, IN, VALUES rows and comparisons.
 */
export function commonType(types: readonly LogicalType[]): LogicalType | null {
  if (types.length === 0) return null;
  const nullable = types.some((t) => t.nullable);
  const normalized = types.map((t) => withoutTimeAttribute(withNullability(t, true)));
  const found = commonNullableType(normalized) ?? commonCastableType(normalized);
  if (found === null) return null;
  return withNullability(found, nullable);
}

function commonCastableType(types: readonly LogicalType[]): LogicalType | null {
  let result: LogicalType | null = null;
  for (const type of types) {
    if (type.kind === "NULL") continue;
    if (result === null || canImplicitlyCast(result, type)) result = type;
    else if (!canImplicitlyCast(type, result)) return null;
  }
  return result;
}

function similar(a: LogicalType, b: LogicalType): boolean {
  return (
    (isCharacterString(a) && isCharacterString(b)) ||
    (isBinaryString(a) && isBinaryString(b)) ||
    (isNumeric(a) && isNumeric(b)) ||
    (isTimestamp(a) && isTimestamp(b)) ||
    a.kind === b.kind
  );
}

function commonNullableType(types: readonly LogicalType[]): LogicalType | null {
  let result: LogicalType | null = null;
  let sawNull = false;
  for (const type of types) {
    if (type.kind === "NULL") {
      sawNull = true;
      continue;
    }
    if (result === null) result = type;
    // DATETIME ± INTERVAL and DATETIME ± exact numeric (days) keep the datetime type.
    if (isTemporal(result) && (isInterval(type) || (result.kind !== "TIME" && isExactNumeric(type))))
      continue;
    if (
      (isInterval(result) || isExactNumeric(result)) &&
      isTemporal(type) &&
      !(isExactNumeric(result) && type.kind === "TIME")
    ) {
      result = type;
      continue;
    }
    if (type.kind === "ARRAY" || type.kind === "MULTISET" || type.kind === "MAP" || type.kind === "ROW") {
      return commonConstructedType(types.filter((t) => t.kind !== "NULL"));
    }
    if (!similar(result, type)) return null;
    result = mergeSimilar(result, type);
    if (result === null) return null;
  }
  if (result === null && sawNull) return LogicalTypes.null();
  return result;
}

function mergeSimilar(result: LogicalType, type: LogicalType): LogicalType | null {
  if (
    (result.kind === "CHAR" ||
      result.kind === "VARCHAR" ||
      result.kind === "BINARY" ||
      result.kind === "VARBINARY") &&
    (type.kind === "CHAR" || type.kind === "VARCHAR" || type.kind === "BINARY" || type.kind === "VARBINARY")
  ) {
    const length = Math.max(result.length, type.length);
    const binary = result.kind === "BINARY" || result.kind === "VARBINARY";
    if (
      result.kind === "VARCHAR" ||
      result.kind === "VARBINARY" ||
      result.length !== type.length ||
      type.kind !== result.kind
    ) {
      return binary ? LogicalTypes.varbinary(length) : LogicalTypes.varchar(length);
    }
    return binary ? LogicalTypes.binary(length) : LogicalTypes.char(length);
  }
  if (isExactNumeric(type)) {
    if (isExactNumeric(result)) return commonExactNumeric(result, type);
    if (isApproximateNumeric(result)) return type.kind === "DECIMAL" ? LogicalTypes.double() : result;
    return null;
  }
  if (isApproximateNumeric(type)) {
    if (isApproximateNumeric(result))
      return result.kind === "DOUBLE" || type.kind === "DOUBLE" ? LogicalTypes.double() : result;
    if (isExactNumeric(result)) return result.kind === "DECIMAL" ? LogicalTypes.double() : type;
    return null;
  }
  switch (type.kind) {
    case "BOOLEAN":
    case "DATE":
    case "INTERVAL_DAY_TIME":
    case "INTERVAL_YEAR_MONTH":
      return result.kind === type.kind ? type : null;
    case "TIME":
      return result.kind === "TIME" ? LogicalTypes.time(Math.max(result.precision, type.precision)) : null;
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      if (result.kind !== "TIMESTAMP" && result.kind !== "TIMESTAMP_LTZ") return null;
      const precision = Math.max(result.precision, type.precision);
      return result.kind === "TIMESTAMP" && type.kind === "TIMESTAMP"
        ? LogicalTypes.timestamp(precision)
        : LogicalTypes.timestampLtz(precision);
    }
    default:
      return null;
  }
}

function commonExactNumeric(a: LogicalType, b: LogicalType): LogicalType {
  if (a.kind === b.kind && a.kind !== "DECIMAL") return a;
  if (a.kind !== "DECIMAL" && b.kind !== "DECIMAL") return precisionOf(b) > precisionOf(a) ? b : a;
  const digits = Math.min(
    Math.max(precisionOf(a) - scaleOf(a), precisionOf(b) - scaleOf(b)),
    MAX_DECIMAL_PRECISION,
  );
  const scale = Math.min(Math.max(scaleOf(a), scaleOf(b)), MAX_DECIMAL_PRECISION - digits);
  return LogicalTypes.decimal(Math.max(1, digits + scale), scale);
}

function commonConstructedType(types: readonly LogicalType[]): LogicalType | null {
  const first = types[0]!;
  for (const type of types) if (type.kind !== first.kind) return null;
  const children = (type: LogicalType): readonly LogicalType[] => {
    switch (type.kind) {
      case "ARRAY":
      case "MULTISET":
        return [type.element];
      case "MAP":
        return [type.key, type.value];
      case "ROW":
        return type.fields.map((f) => f.type);
      default:
        return [];
    }
  };
  const arity = children(first).length;
  if (types.some((t) => children(t).length !== arity)) return null;
  const merged: LogicalType[] = [];
  for (let i = 0; i < arity; i++) {
    const child = commonType(types.map((t) => children(t)[i]!));
    if (child === null) return null;
    merged.push(child);
  }
  switch (first.kind) {
    case "ARRAY":
      return LogicalTypes.array(merged[0]!);
    case "MULTISET":
      return LogicalTypes.multiset(merged[0]!);
    case "MAP":
      return LogicalTypes.map(merged[0]!, merged[1]!);
    case "ROW":
      return LogicalTypes.row(first.fields.map((f, i) => ({ ...f, type: merged[i]! })));
    default:
      return null;
  }
}

/**
 * The type both operands of a comparison are cast to: their common type, or — as Flink's Calcite
 * coercion allows — the non-string side when a character string meets a numeric, temporal or
 * boolean operand (`'10' = 10` compares as numbers). Null when they cannot be compared.
 */
export function comparisonType(a: LogicalType, b: LogicalType): LogicalType | null {
  const common = commonType([a, b]);
  if (common !== null) return common;
  const nullable = a.nullable || b.nullable;
  const castableFromString = (t: LogicalType) => isNumeric(t) || isTemporal(t) || t.kind === "BOOLEAN";
  if (isCharacterString(a) && castableFromString(b))
    return withNullability(withoutTimeAttribute(b), nullable);
  if (isCharacterString(b) && castableFromString(a))
    return withNullability(withoutTimeAttribute(a), nullable);
  return null;
}

const NUMERIC_ORDER = ["TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE"] as const;

/**
 * Flink's implicit casts (`LogicalTypeCasts.supportsImplicitCast`): widening within a family,
 * e.g. INT → BIGINT → DECIMAL → DOUBLE, CHAR → VARCHAR, DATE → TIMESTAMP, NULL → anything.
 */
export function canImplicitlyCast(from: LogicalType, to: LogicalType): boolean {
  if (from.kind === "NULL") return true;
  if (isNumeric(from) && isNumeric(to)) {
    const a = NUMERIC_ORDER.indexOf(from.kind as (typeof NUMERIC_ORDER)[number]);
    const b = NUMERIC_ORDER.indexOf(to.kind as (typeof NUMERIC_ORDER)[number]);
    if (from.kind === "DECIMAL" && to.kind === "DECIMAL") return true;
    return a <= b;
  }
  if (isCharacterString(from) && isCharacterString(to)) return from.kind === "CHAR" || to.kind === "VARCHAR";
  if (isBinaryString(from) && isBinaryString(to)) return from.kind === "BINARY" || to.kind === "VARBINARY";
  if (from.kind === "DATE") return to.kind === "DATE" || isTimestamp(to);
  if (isTimestamp(from)) return isTimestamp(to);
  if (from.kind === "TIME") return to.kind === "TIME";
  switch (from.kind) {
    case "BOOLEAN":
    case "INTERVAL_DAY_TIME":
    case "INTERVAL_YEAR_MONTH":
      return from.kind === to.kind;
    case "ARRAY":
    case "MULTISET":
      return to.kind === from.kind && canImplicitlyCast(from.element, to.element);
    case "MAP":
      return (
        to.kind === "MAP" && canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value)
      );
    case "ROW":
      return (
        to.kind === "ROW" &&
        to.fields.length === from.fields.length &&
        from.fields.every((f, i) => canImplicitlyCast(f.type, to.fields[i]!.type))
      );
    default:
      return false;
  }
}

/** Whether `CAST(x AS to)` is valid for an `x` of type `from` (Flink's explicit cast table). */
export function canCast(from: LogicalType, to: LogicalType): boolean {
  if (canImplicitlyCast(from, to)) return true;
  const fromString = isCharacterString(from);
  const toCharacterString = isCharacterString(to);
  if (toCharacterString) {
    // Everything can be printed, except binary strings (these become STRING via UTF-8 decoding, also allowed).
    return true;
  }
  if (fromString) {
    return (
      isNumeric(to) ||
      to.kind === "BOOLEAN" ||
      isTemporal(to) ||
      isBinaryString(to) ||
      isCharacterString(to) ||
      isInterval(to)
    );
  }
  if (isNumeric(from)) return isNumeric(to) || to.kind === "BOOLEAN" || to.kind === "TIMESTAMP_LTZ";
  if (from.kind === "BOOLEAN") return isNumeric(to);
  if (from.kind === "DATE") return isTimestamp(to);
  if (from.kind === "TIME") return isTimestamp(to) || to.kind === "TIME";
  if (isTimestamp(from)) return isTimestamp(to) || to.kind === "DATE" || to.kind === "TIME" || isNumeric(to);
  if (isBinaryString(from)) return isBinaryString(to);
  if (isInterval(from)) return isInterval(to) ? from.kind === to.kind : isExactNumeric(to);
  if (from.kind === "ARRAY" || from.kind === "MULTISET") {
    return to.kind === from.kind && canCast(from.element, to.element);
  }
  if (from.kind === "MAP")
    return to.kind === "MAP" && canCast(from.key, to.key) && canCast(from.value, to.value);
  if (from.kind === "ROW") {
    return (
      to.kind === "ROW" &&
      to.fields.length === from.fields.length &&
      from.fields.every((f, i) => canCast(f.type, to.fields[i]!.type))
    );
  }
  return false;
}
