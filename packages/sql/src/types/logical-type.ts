/**
 * Logical types: what the validator assigns to every column and expression, named and nested as in
 * Flink's `LogicalType` hierarchy. A type says what values may appear; how a value of each type is
 * held in JavaScript is fixed in `../data/values.ts`, and every operator, function and connector
 * relies on that mapping.
 *
 * Invariants: types are immutable plain data (safe to compare structurally and to structured-clone);
 * `nullable` is part of every type, as in Flink (`INT NOT NULL` and `INT` are different types);
 * `STRING` is `VARCHAR(2147483647)` and `BYTES` is `VARBINARY(2147483647)`, never separate kinds.
 * @module
 */

/** Flink's maximum length of VARCHAR / VARBINARY, used for STRING and BYTES. */
export const MAX_LENGTH = 2_147_483_647;

/** Marks a TIMESTAMP / TIMESTAMP_LTZ column as an event-time or processing-time attribute. */
export type TimeAttribute = "rowtime" | "proctime" | null;

interface TypeBase {
  readonly nullable: boolean;
}

export interface BooleanType extends TypeBase {
  readonly kind: "BOOLEAN";
}
/** TINYINT (8 bit), SMALLINT (16), INT (32), BIGINT (64): two's complement, overflow wraps as in Java. */
export interface IntegerType extends TypeBase {
  readonly kind: "TINYINT" | "SMALLINT" | "INT" | "BIGINT";
}
export interface ApproximateType extends TypeBase {
  readonly kind: "FLOAT" | "DOUBLE";
}
/** Exact decimal: 1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision. */
export interface DecimalType extends TypeBase {
  readonly kind: "DECIMAL";
  readonly precision: number;
  readonly scale: number;
}
/** CHAR(n) / VARCHAR(n); `STRING` is VARCHAR({@link MAX_LENGTH}). */
export interface CharacterType extends TypeBase {
  readonly kind: "CHAR" | "VARCHAR";
  readonly length: number;
}
/** BINARY(n) / VARBINARY(n); `BYTES` is VARBINARY({@link MAX_LENGTH}). */
export interface BinaryType extends TypeBase {
  readonly kind: "BINARY" | "VARBINARY";
  readonly length: number;
}
export interface DateType extends TypeBase {
  readonly kind: "DATE";
}
/** TIME(p), 0 ≤ p ≤ 9 (values keep milliseconds; see values.ts). */
export interface TimeType extends TypeBase {
  readonly kind: "TIME";
  readonly precision: number;
}
/**
 * TIMESTAMP(p) (without time zone, a wall-clock date-time) and TIMESTAMP_LTZ(p) (an instant shown
 * in the session time zone). `timeAttribute` is set on columns declared by `WATERMARK FOR` (rowtime)
 * or `PROCTIME()` (proctime) and is lost by any expression other than a plain reference, as in Flink.
 */
export interface TimestampType extends TypeBase {
  readonly kind: "TIMESTAMP" | "TIMESTAMP_LTZ";
  readonly precision: number;
  readonly timeAttribute: TimeAttribute;
}
/** INTERVAL YEAR TO MONTH family (value: months) and INTERVAL DAY TO SECOND family (value: millis). */
export interface IntervalType extends TypeBase {
  readonly kind: "INTERVAL_YEAR_MONTH" | "INTERVAL_DAY_TIME";
}
export interface ArrayType extends TypeBase {
  readonly kind: "ARRAY";
  readonly element: LogicalType;
}
export interface MultisetType extends TypeBase {
  readonly kind: "MULTISET";
  readonly element: LogicalType;
}
export interface MapType extends TypeBase {
  readonly kind: "MAP";
  readonly key: LogicalType;
  readonly value: LogicalType;
}
export interface RowField {
  readonly name: string;
  readonly type: LogicalType;
  readonly description?: string;
}
export interface RowType extends TypeBase {
  readonly kind: "ROW";
  readonly fields: readonly RowField[];
}
/** The type of a bare `NULL` literal before it meets a context; always nullable. */
export interface NullType extends TypeBase {
  readonly kind: "NULL";
}

export type LogicalType =
  | BooleanType
  | IntegerType
  | ApproximateType
  | DecimalType
  | CharacterType
  | BinaryType
  | DateType
  | TimeType
  | TimestampType
  | IntervalType
  | ArrayType
  | MultisetType
  | MapType
  | RowType
  | NullType;

export type LogicalTypeKind = LogicalType["kind"];
