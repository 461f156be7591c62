/**
 * Builders for {@link LogicalType}s, so that no caller spells out type objects by hand (and so
 * cannot forget `timeAttribute` or build `VARCHAR(MAX)` two different ways).
 *
 * Invariant: every builder returns a frozen, valid type (bounds are checked here, with a
 * {@link LogicalTypeError} naming the type), e.g. `LogicalTypes.decimal(10, 2, false)` is
 * `DECIMAL(10, 2) NOT NULL` and `LogicalTypes.string()` is `VARCHAR(2147483647)` printed `STRING`.
 * @module
 */

import type {
  ApproximateType,
  ArrayType,
  BinaryType,
  BooleanType,
  CharacterType,
  DateType,
  DecimalType,
  IntegerType,
  IntervalType,
  LogicalType,
  MapType,
  MultisetType,
  NullType,
  RowField,
  RowType,
  TimestampType,
  TimeType,
} from "./logical-type.ts";
import { MAX_LENGTH } from "./logical-type.ts";
import { LogicalTypeError } from "./logical-type-error.ts";

/** Flink's bound on DECIMAL precision. */
export const MAX_DECIMAL_PRECISION = 38;
/** Flink's bound on fractional-second precision of TIME and TIMESTAMP. */
export const MAX_TIME_PRECISION = 9;

function checkRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LogicalTypeError(
      `${what} must be between ${min} and ${max} (both inclusive), but was ${value}`,
    );
  }
}

function timestamp(kind: "TIMESTAMP" | "TIMESTAMP_LTZ", precision: number, nullable: boolean): TimestampType {
  const name = kind === "TIMESTAMP" ? "TIMESTAMP" : "TIMESTAMP_LTZ";
  checkRange(`${name} precision`, precision, 0, MAX_TIME_PRECISION);
  return Object.freeze({ kind, precision, nullable, timeAttribute: null });
}

export const LogicalTypes = {
  boolean: (nullable = true): BooleanType => Object.freeze({ kind: "BOOLEAN", nullable }),
  tinyint: (nullable = true): IntegerType => Object.freeze({ kind: "TINYINT", nullable }),
  smallint: (nullable = true): IntegerType => Object.freeze({ kind: "SMALLINT", nullable }),
  int: (nullable = true): IntegerType => Object.freeze({ kind: "INT", nullable }),
  bigint: (nullable = true): IntegerType => Object.freeze({ kind: "BIGINT", nullable }),
  float: (nullable = true): ApproximateType => Object.freeze({ kind: "FLOAT", nullable }),
  double: (nullable = true): ApproximateType => Object.freeze({ kind: "DOUBLE", nullable }),
  decimal(precision: number, scale: number, nullable = true): DecimalType {
    checkRange("DECIMAL precision", precision, 1, MAX_DECIMAL_PRECISION);
    checkRange("DECIMAL scale", scale, 0, precision);
    return Object.freeze({ kind: "DECIMAL", precision, scale, nullable });
  },
  char(length: number, nullable = true): CharacterType {
    // CHAR(0) exists only as the type of the empty string literal, as in Flink.
    checkRange("CHAR length", length, 0, MAX_LENGTH);
    return Object.freeze({ kind: "CHAR", length, nullable });
  },
  varchar(length: number, nullable = true): CharacterType {
    checkRange("VARCHAR length", length, 0, MAX_LENGTH);
    return Object.freeze({ kind: "VARCHAR", length, nullable });
  },
  string: (nullable = true): CharacterType =>
    Object.freeze({ kind: "VARCHAR", length: MAX_LENGTH, nullable }),
  binary(length: number, nullable = true): BinaryType {
    checkRange("BINARY length", length, 0, MAX_LENGTH);
    return Object.freeze({ kind: "BINARY", length, nullable });
  },
  varbinary(length: number, nullable = true): BinaryType {
    checkRange("VARBINARY length", length, 0, MAX_LENGTH);
    return Object.freeze({ kind: "VARBINARY", length, nullable });
  },
  bytes: (nullable = true): BinaryType => Object.freeze({ kind: "VARBINARY", length: MAX_LENGTH, nullable }),
  date: (nullable = true): DateType => Object.freeze({ kind: "DATE", nullable }),
  time(precision = 0, nullable = true): TimeType {
    checkRange("TIME precision", precision, 0, MAX_TIME_PRECISION);
    return Object.freeze({ kind: "TIME", precision, nullable });
  },
  timestamp: (precision = 6, nullable = true): TimestampType => timestamp("TIMESTAMP", precision, nullable),
  timestampLtz: (precision = 6, nullable = true): TimestampType =>
    timestamp("TIMESTAMP_LTZ", precision, nullable),
  intervalYearMonth: (nullable = true): IntervalType =>
    Object.freeze({ kind: "INTERVAL_YEAR_MONTH", nullable }),
  intervalDayTime: (nullable = true): IntervalType => Object.freeze({ kind: "INTERVAL_DAY_TIME", nullable }),
  array: (element: LogicalType, nullable = true): ArrayType =>
    Object.freeze({ kind: "ARRAY", element, nullable }),
  multiset: (element: LogicalType, nullable = true): MultisetType =>
    Object.freeze({ kind: "MULTISET", element, nullable }),
  map: (key: LogicalType, value: LogicalType, nullable = true): MapType =>
    Object.freeze({ kind: "MAP", key, value, nullable }),
  row(fields: readonly RowField[], nullable = true): RowType {
    const seen = new Set<string>();
    for (const field of fields) {
      if (seen.has(field.name))
        throw new LogicalTypeError(`ROW field names must be unique, but \`${field.name}\` repeats`);
      seen.add(field.name);
    }
    return Object.freeze({
      kind: "ROW",
      fields: Object.freeze(fields.map((f) => Object.freeze({ ...f }))),
      nullable,
    });
  },
  null: (): NullType => NULL_TYPE,
};

const NULL_TYPE: NullType = Object.freeze({ kind: "NULL", nullable: true });

/** The same type with `nullable` set; returns `type` itself when nothing changes. */
export function withNullability<T extends LogicalType>(type: T, nullable: boolean): T {
  if (type.nullable === nullable || type.kind === "NULL") return type;
  return Object.freeze({ ...(type as LogicalType), nullable }) as T;
}

/** A timestamp type without its time attribute (what every expression but a plain reference yields). */
export function withoutTimeAttribute<T extends LogicalType>(type: T): T {
  if ((type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ") && type.timeAttribute !== null) {
    return Object.freeze({ ...(type as LogicalType), timeAttribute: null }) as T;
  }
  return type;
}
