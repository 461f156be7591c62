/**
 * Turns a data type as written in SQL (`../ast/types.ts`) into a {@link LogicalType}, applying
 * Flink's defaults and bounds.
 *
 * Invariant: every accepted type is one Flink accepts, with Flink's defaults filled in —
 * `DECIMAL` is `DECIMAL(10, 0)`, `CHAR`/`VARCHAR`/`BINARY`/`VARBINARY` have length 1, `TIME` is
 * `TIME(0)`, `TIMESTAMP` and `TIMESTAMP_LTZ` are precision 6. Anything else throws a
 * {@link LogicalTypeError} naming the type and the bound, e.g.
 * `logicalTypeFromAst(parseDataType("DECIMAL(40, 2)"))` →
 * "DECIMAL precision must be between 1 and 38 (both inclusive), but was 40".
 * @module
 */

import type { DataType, IntervalQualifier, SimpleType, TimeUnit } from "../ast/types.ts";
import type { LogicalType } from "./logical-type.ts";
import { MAX_LENGTH } from "./logical-type.ts";
import { LogicalTypeError } from "./logical-type-error.ts";
import { LogicalTypes } from "./type-factory.ts";

export function logicalTypeFromAst(type: DataType): LogicalType {
  const nullable = !type.notNull;
  switch (type.kind) {
    case "simple-type":
      return simpleType(type, nullable);
    case "interval-type":
      return intervalType(type.qualifier, nullable);
    case "array-type":
      return LogicalTypes.array(logicalTypeFromAst(type.element), nullable);
    case "multiset-type":
      return LogicalTypes.multiset(logicalTypeFromAst(type.element), nullable);
    case "map-type":
      return LogicalTypes.map(logicalTypeFromAst(type.key), logicalTypeFromAst(type.value), nullable);
    case "row-type":
      return LogicalTypes.row(
        type.fields.map((field) => {
          const fieldType = logicalTypeFromAst(field.type);
          return field.description === null
            ? { name: field.name.value, type: fieldType }
            : { name: field.name.value, type: fieldType, description: field.description };
        }),
        nullable,
      );
    case "raw-type":
      throw new LogicalTypeError(`RAW types are not supported (RAW('${type.className}', ...))`);
    case "user-defined-type":
      throw new LogicalTypeError(
        `unknown data type ${type.name.parts.map((part) => part.value).join(".")}: user-defined types are not supported`,
      );
  }
}

function simpleType(type: SimpleType, nullable: boolean): LogicalType {
  const params = type.params;
  const name = type.name;
  const maxParams = PARAMETER_COUNT[name];
  if (params.length > maxParams) {
    throw new LogicalTypeError(
      maxParams === 0
        ? `${name} takes no parameters, but got (${params.join(", ")})`
        : `${name} takes at most ${maxParams} parameter${maxParams === 1 ? "" : "s"}, but got (${params.join(", ")})`,
    );
  }
  switch (name) {
    case "BOOLEAN":
      return LogicalTypes.boolean(nullable);
    case "TINYINT":
      return LogicalTypes.tinyint(nullable);
    case "SMALLINT":
      return LogicalTypes.smallint(nullable);
    case "INT":
      return LogicalTypes.int(nullable);
    case "BIGINT":
      return LogicalTypes.bigint(nullable);
    case "FLOAT":
      return LogicalTypes.float(nullable);
    case "DOUBLE":
      return LogicalTypes.double(nullable);
    case "DECIMAL":
      return LogicalTypes.decimal(params[0] ?? 10, params[1] ?? 0, nullable);
    case "CHAR":
      return LogicalTypes.char(length(name, params[0]), nullable);
    case "VARCHAR":
      return LogicalTypes.varchar(length(name, params[0]), nullable);
    case "STRING":
      return LogicalTypes.string(nullable);
    case "BINARY":
      return LogicalTypes.binary(length(name, params[0]), nullable);
    case "VARBINARY":
      return LogicalTypes.varbinary(length(name, params[0]), nullable);
    case "BYTES":
      return LogicalTypes.bytes(nullable);
    case "DATE":
      return LogicalTypes.date(nullable);
    case "TIME":
      return LogicalTypes.time(params[0] ?? 0, nullable);
    case "TIMESTAMP":
      return LogicalTypes.timestamp(params[0] ?? 6, nullable);
    case "TIMESTAMP_LTZ":
      return LogicalTypes.timestampLtz(params[0] ?? 6, nullable);
    case "NULL":
      if (!nullable) throw new LogicalTypeError("the NULL type cannot be NOT NULL");
      return LogicalTypes.null();
  }
}

const PARAMETER_COUNT: Readonly<Record<SimpleType["name"], number>> = {
  BOOLEAN: 0,
  TINYINT: 0,
  SMALLINT: 0,
  INT: 0,
  BIGINT: 0,
  FLOAT: 0,
  DOUBLE: 0,
  DECIMAL: 2,
  CHAR: 1,
  VARCHAR: 1,
  STRING: 0,
  BINARY: 1,
  VARBINARY: 1,
  BYTES: 0,
  DATE: 0,
  TIME: 1,
  TIMESTAMP: 1,
  TIMESTAMP_LTZ: 1,
  NULL: 0,
};

/** Declared lengths start at 1 (only literals have length 0). */
function length(name: string, declared: number | undefined): number {
  const value = declared ?? 1;
  if (value < 1 || value > MAX_LENGTH) {
    throw new LogicalTypeError(
      `${name} length must be between 1 and ${MAX_LENGTH} (both inclusive), but was ${value}`,
    );
  }
  return value;
}

const YEAR_MONTH_UNITS: readonly TimeUnit[] = ["YEAR", "MONTH"];
const DAY_TIME_UNITS: readonly TimeUnit[] = ["DAY", "HOUR", "MINUTE", "SECOND"];

/** Checks an interval qualifier as Flink does and returns the interval family it belongs to. */
export function intervalType(qualifier: IntervalQualifier, nullable = true): LogicalType {
  const { start, end } = qualifier;
  const written = end === null ? start : `${start} TO ${end}`;
  const yearMonth = YEAR_MONTH_UNITS.indexOf(start);
  const dayTime = DAY_TIME_UNITS.indexOf(start);
  if (yearMonth < 0 && dayTime < 0)
    throw new LogicalTypeError(`INTERVAL ${written} is not a valid interval qualifier`);
  if (end !== null) {
    const units = yearMonth >= 0 ? YEAR_MONTH_UNITS : DAY_TIME_UNITS;
    const endIndex = units.indexOf(end);
    if (endIndex <= (yearMonth >= 0 ? yearMonth : dayTime)) {
      throw new LogicalTypeError(`INTERVAL ${written} is not a valid interval qualifier`);
    }
  }
  if (qualifier.startPrecision !== null) {
    const [min, max] = yearMonth >= 0 ? [1, 4] : start === "DAY" ? [1, 6] : [1, 9];
    if (qualifier.startPrecision < min || qualifier.startPrecision > max) {
      throw new LogicalTypeError(
        `the precision of ${start} in INTERVAL ${written} must be between ${min} and ${max} (both inclusive), but was ${qualifier.startPrecision}`,
      );
    }
  }
  if (qualifier.fractionalPrecision !== null) {
    if (start !== "SECOND" && end !== "SECOND") {
      throw new LogicalTypeError(`INTERVAL ${written} has no seconds to give a fractional precision to`);
    }
    if (qualifier.fractionalPrecision < 0 || qualifier.fractionalPrecision > 9) {
      throw new LogicalTypeError(
        `the fractional precision of INTERVAL ${written} must be between 0 and 9 (both inclusive), but was ${qualifier.fractionalPrecision}`,
      );
    }
  }
  return yearMonth >= 0 ? LogicalTypes.intervalYearMonth(nullable) : LogicalTypes.intervalDayTime(nullable);
}
