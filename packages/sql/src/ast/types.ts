/**
 * Flink data types as written in SQL (column types, CAST targets, ROW fields).
 *
 * Invariant: the tree records what the text says, after folding pure synonyms (INTEGER -> INT,
 * DEC/NUMERIC -> DECIMAL, CHARACTER -> CHAR, CHARACTER VARYING -> VARCHAR, BINARY VARYING ->
 * VARBINARY, DOUBLE PRECISION -> DOUBLE, REAL -> FLOAT, TIMESTAMP WITHOUT TIME ZONE -> TIMESTAMP,
 * TIMESTAMP WITH LOCAL TIME ZONE -> TIMESTAMP_LTZ, TIME WITHOUT TIME ZONE -> TIME, `T ARRAY` ->
 * ARRAY<T>, `ROW(...)` -> ROW<...>). Defaults (a VARCHAR's length, a DECIMAL's precision) are not
 * filled in: `params` holds only the numbers written, and the type system applies Flink's defaults.
 * @module
 */

import type { Identifier, QualifiedName } from "./names.ts";
import type { Span } from "./span.ts";

/** Units of time for INTERVAL qualifiers, EXTRACT, FLOOR/CEIL ... TO and TIMESTAMPADD/DIFF. */
export type TimeUnit =
  | "MILLENNIUM"
  | "CENTURY"
  | "DECADE"
  | "YEAR"
  | "QUARTER"
  | "MONTH"
  | "WEEK"
  | "DAY"
  | "HOUR"
  | "MINUTE"
  | "SECOND"
  | "MILLISECOND"
  | "MICROSECOND"
  | "NANOSECOND"
  | "DOW"
  | "DOY"
  | "ISODOW"
  | "ISOYEAR"
  | "EPOCH";

/**
 * The unit part of an INTERVAL literal or type: `SECOND`, `DAY(2)`, `HOUR TO MINUTE`,
 * `DAY TO SECOND(3)`. Plural units (`MINUTES`) are folded to the singular.
 */
export interface IntervalQualifier {
  readonly kind: "interval-qualifier";
  readonly start: TimeUnit;
  /** The leading field precision, `DAY(2)`; null when not written. */
  readonly startPrecision: number | null;
  /** The end unit of a range (`TO MINUTE`); null for a single unit. */
  readonly end: TimeUnit | null;
  /** Fractional-second precision: `SECOND(2, 3)` or `... TO SECOND(3)`; null when not written. */
  readonly fractionalPrecision: number | null;
  readonly span: Span;
}

/** Type names that take at most numeric parameters. */
export type SimpleTypeName =
  | "BOOLEAN"
  | "TINYINT"
  | "SMALLINT"
  | "INT"
  | "BIGINT"
  | "FLOAT"
  | "DOUBLE"
  | "DECIMAL"
  | "CHAR"
  | "VARCHAR"
  | "STRING"
  | "BINARY"
  | "VARBINARY"
  | "BYTES"
  | "DATE"
  | "TIME"
  | "TIMESTAMP"
  | "TIMESTAMP_LTZ"
  | "NULL";

interface TypeBase {
  /** True when `NOT NULL` follows the type. */
  readonly notNull: boolean;
  readonly span: Span;
}

/** `INT`, `VARCHAR(10)`, `DECIMAL(10, 2)`, `TIMESTAMP(3)`, `TIMESTAMP_LTZ(3)`, ... */
export interface SimpleType extends TypeBase {
  readonly kind: "simple-type";
  readonly name: SimpleTypeName;
  /** The numbers in parentheses, in order: length, precision, or precision and scale. */
  readonly params: readonly number[];
}

/** `INTERVAL DAY TO SECOND(3)`, `INTERVAL YEAR TO MONTH`. */
export interface IntervalType extends TypeBase {
  readonly kind: "interval-type";
  readonly qualifier: IntervalQualifier;
}

/** `ARRAY<T>` or `T ARRAY`. */
export interface ArrayType extends TypeBase {
  readonly kind: "array-type";
  readonly element: DataType;
}

/** `MULTISET<T>` or `T MULTISET`. */
export interface MultisetType extends TypeBase {
  readonly kind: "multiset-type";
  readonly element: DataType;
}

/** `MAP<K, V>`. */
export interface MapType extends TypeBase {
  readonly kind: "map-type";
  readonly key: DataType;
  readonly value: DataType;
}

/** One field of a ROW type: `name TYPE ['description']`. */
export interface RowField {
  readonly kind: "row-field";
  readonly name: Identifier;
  readonly type: DataType;
  readonly description: string | null;
  readonly span: Span;
}

/** `ROW<a INT, b STRING>` or `ROW(a INT, b STRING)`. */
export interface RowType extends TypeBase {
  readonly kind: "row-type";
  readonly fields: readonly RowField[];
}

/** `RAW('class', 'serializer snapshot')`. */
export interface RawType extends TypeBase {
  readonly kind: "raw-type";
  readonly className: string;
  readonly serializerSnapshot: string | null;
}

/** A type named by the catalog (a user-defined structured or distinct type). */
export interface UserDefinedType extends TypeBase {
  readonly kind: "user-defined-type";
  readonly name: QualifiedName;
}

export type DataType =
  | SimpleType
  | IntervalType
  | ArrayType
  | MultisetType
  | MapType
  | RowType
  | RawType
  | UserDefinedType;
