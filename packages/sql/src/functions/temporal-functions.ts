/**
 * Date and time functions: EXTRACT and YEAR…SECOND, FLOOR/CEIL to a unit, TIMESTAMPADD,
 * TIMESTAMPDIFF, CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP / LOCALTIME / LOCALTIMESTAMP /
 * NOW / CURRENT_ROW_TIMESTAMP, PROCTIME, REINTERPRET; with the text and epoch conversions of
 * `datetime-conversion-functions.ts` (DATE_FORMAT, TO_TIMESTAMP, UNIX_TIMESTAMP & co.).
 *
 * Invariants: a time unit travels as a STRING literal operand (`EXTRACT('HOUR', ts)`,
 * `FLOOR(ts, 'DAY')`, `TIMESTAMPADD('MINUTE', 5, ts)`), as the validator builds them from the
 * grammar's bare units; TIMESTAMP_LTZ values are read and floored in the session time zone
 * (`context.timeZone`). EXTRACT returns BIGINT; WEEK is the ISO week, DOW 1 = Sunday, ISODOW 1 =
 * Monday. Example: `EXTRACT('HOUR', TIMESTAMP '2020-04-15 08:05:00')` = 8.
 * @module
 */

import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import {
  addMonthsToTimestamp,
  civilFromDays,
  floorDiv,
  floorMod,
  instantToWallClock,
  MILLIS_PER_DAY,
  timestampMicros,
} from "../data/temporal.ts";
import {
  daysOfNanos,
  isNanoTimestamp,
  NANOS_PER_DAY,
  NANOS_PER_MILLI,
  wholeMillisOfNanos,
} from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType, TimestampType } from "../types/logical-type.ts";
import { commonType, isInterval, isTemporal } from "../types/type-coercion.ts";
import { LogicalTypes, withNullability, withoutTimeAttribute } from "../types/type-factory.ts";
import { datetimeConversionFunctions } from "./datetime-conversion-functions.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { FunctionTypeError } from "./function-definition.ts";
import { NUMERIC_CEIL, NUMERIC_FLOOR } from "./math-functions.ts";
import { BIGINT_NOT_NULL, checkOperands, customScalar, formatTypes, scalar } from "./signature.ts";
import {
  ADD_UNITS,
  ceilWallClock,
  checkUnit,
  EXTRACT_UNITS,
  extractFromWallClock,
  extractImplementation,
  FLOOR_UNITS,
  floorWallClock,
  fromWallClock,
  fromWallNanos,
  INTERVAL_EXTRACT_UNITS,
  UNIT_MILLIS,
  UNIT_MONTHS,
  wallClockOf,
  wallNanosOf,
} from "./time-units.ts";

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

/** FLOOR / CEIL: one operand numeric (math-functions.ts) or (temporal, unit) here. */
function floorCeil(name: "FLOOR" | "CEIL", numeric: ScalarFunctionDefinition): ScalarFunctionDefinition {
  const ceil = name === "CEIL";
  const build = (type: LogicalType): Impl =>
    isNanoTimestamp(type)
      ? (c, value, unit) => {
          // Units are whole milliseconds or longer: round the whole millis, a remainder pushes CEIL up.
          const wall = wallNanosOf(value as bigint, type, c.timeZone);
          const millis = wholeMillisOfNanos(wall);
          const exact = wall === BigInt(millis) * NANOS_PER_MILLI;
          const rounded = ceil
            ? ceilWallClock(exact ? millis : millis + 1, unit as string)
            : floorWallClock(millis, unit as string);
          return fromWallNanos(BigInt(rounded) * NANOS_PER_MILLI, type, c.timeZone);
        }
      : buildMillis(type);
  const buildMillis =
    (type: LogicalType): Impl =>
    (c, value, unit) => {
      const wall = wallClockOf(value as number, type, c.timeZone);
      const rounded = ceil ? ceilWallClock(wall, unit as string) : floorWallClock(wall, unit as string);
      return fromWallClock(rounded, type, c.timeZone);
    };
  return {
    kind: "scalar",
    name,
    strict: true,
    deterministic: true,
    inferType(operands, literals) {
      if (operands.length === 1) return numeric.inferType(operands, literals);
      const cast = checkOperands(name, operands, ["TEMPORAL", "STRING"]);
      checkUnit(name, literals[1], FLOOR_UNITS);
      return { result: withoutTimeAttribute(cast[0]!), operands: [withoutTimeAttribute(cast[0]!), cast[1]!] };
    },
    implementation(c, value, unit) {
      if (unit === undefined) return numeric.implementation(c, value!);
      return build(LogicalTypes.timestamp(3))(c, value!, unit);
    },
    specialize(operands, result) {
      if (operands.length === 1) return numeric.specialize!(operands, result);
      return build(operands[0]!);
    },
  };
}

function timestampAddImplementation(type: LogicalType, result: LogicalType): Impl {
  if (isNanoTimestamp(type)) return timestampAddNanos(type);
  return (c, unit, amount, value) => {
    const n = typeof amount === "bigint" ? Number(amount) : (amount as number);
    const u = unit as string;
    const wall = wallClockOf(value as number, type, c.timeZone);
    const months = UNIT_MONTHS[u];
    if (months !== undefined)
      return fromWallClock(addMonthsToTimestamp(wall, n * months), result, c.timeZone);
    const millis = UNIT_MILLIS[u];
    if (millis === undefined) throw new SqlRuntimeError(`TIMESTAMPADD does not support the unit ${u}`);
    if (type.kind === "TIMESTAMP_LTZ") return (value as number) + n * millis;
    return fromWallClock(wall + n * millis, result, c.timeZone);
  };
}

/** TIMESTAMPADD on TIMESTAMP(p > 6) (the result has the operand's type): the nanoseconds ride along. */
function timestampAddNanos(type: LogicalType): Impl {
  return (c, unit, amount, value) => {
    const n = typeof amount === "bigint" ? Number(amount) : (amount as number);
    const u = unit as string;
    const months = UNIT_MONTHS[u];
    if (months !== undefined) {
      const wall = wallNanosOf(value as bigint, type, c.timeZone);
      const millis = wholeMillisOfNanos(wall);
      const shifted = BigInt(addMonthsToTimestamp(millis, n * months)) * NANOS_PER_MILLI;
      return fromWallNanos(shifted + (wall - BigInt(millis) * NANOS_PER_MILLI), type, c.timeZone);
    }
    const millis = UNIT_MILLIS[u];
    if (millis === undefined) throw new SqlRuntimeError(`TIMESTAMPADD does not support the unit ${u}`);
    const delta = BigInt(n) * BigInt(millis) * NANOS_PER_MILLI;
    if (type.kind === "TIMESTAMP_LTZ") return (value as bigint) + delta;
    return fromWallNanos(wallNanosOf(value as bigint, type, c.timeZone) + delta, type, c.timeZone);
  };
}

/** TIMESTAMPDIFF on TIMESTAMP(p > 6): exact in nanoseconds, truncated toward zero as Flink. */
function timestampDiffNanos(type: LogicalType): Impl {
  return (c, unit, a, b) => {
    const u = unit as string;
    const ltz = type.kind === "TIMESTAMP_LTZ";
    const from =
      ltz && UNIT_MONTHS[u] === undefined ? (a as bigint) : wallNanosOf(a as bigint, type, c.timeZone);
    const to =
      ltz && UNIT_MONTHS[u] === undefined ? (b as bigint) : wallNanosOf(b as bigint, type, c.timeZone);
    const months = UNIT_MONTHS[u];
    if (months !== undefined) {
      const x = civilFromDays(daysOfNanos(from));
      const y = civilFromDays(daysOfNanos(to));
      let diff = (y.year - x.year) * 12 + (y.month - x.month);
      // Only whole months count: compare the rest of the month (day and time of day).
      const rest = (t: bigint, day: number) =>
        BigInt(day - 1) * NANOS_PER_DAY + (t - BigInt(daysOfNanos(t)) * NANOS_PER_DAY);
      const restFrom = rest(from, x.day);
      const restTo = rest(to, y.day);
      if (diff > 0 && restTo < restFrom) diff--;
      if (diff < 0 && restTo > restFrom) diff++;
      return Math.trunc(diff / months);
    }
    const millis = UNIT_MILLIS[u];
    if (millis === undefined) throw new SqlRuntimeError(`TIMESTAMPDIFF does not support the unit ${u}`);
    return Number((to - from) / (BigInt(millis) * NANOS_PER_MILLI));
  };
}

function timestampDiffImplementation(type: LogicalType): Impl {
  if (isNanoTimestamp(type)) return timestampDiffNanos(type);
  return (c, unit, a, b) => {
    const u = unit as string;
    const months = UNIT_MONTHS[u];
    if (months !== undefined) {
      const from = wallClockOf(a as number, type, c.timeZone);
      const to = wallClockOf(b as number, type, c.timeZone);
      const d1 = floorDiv(from, MILLIS_PER_DAY);
      const d2 = floorDiv(to, MILLIS_PER_DAY);
      const x = civilFromDays(d1);
      const y = civilFromDays(d2);
      let diff = (y.year - x.year) * 12 + (y.month - x.month);
      // Only whole months count: compare the rest of the month (day and time of day).
      const restFrom = (x.day - 1) * MILLIS_PER_DAY + (from - d1 * MILLIS_PER_DAY);
      const restTo = (y.day - 1) * MILLIS_PER_DAY + (to - d2 * MILLIS_PER_DAY);
      if (diff > 0 && restTo < restFrom) diff--;
      if (diff < 0 && restTo > restFrom) diff++;
      return Math.trunc(diff / months);
    }
    const millis = UNIT_MILLIS[u];
    if (millis === undefined) throw new SqlRuntimeError(`TIMESTAMPDIFF does not support the unit ${u}`);
    const from = type.kind === "TIMESTAMP_LTZ" ? (a as number) : wallClockOf(a as number, type, c.timeZone);
    const to = type.kind === "TIMESTAMP_LTZ" ? (b as number) : wallClockOf(b as number, type, c.timeZone);
    if (Number.isInteger(from) && Number.isInteger(to)) return Math.trunc((to - from) / millis);
    // Sub-millisecond values: whole microseconds, so one unit apart never comes out as 0.999….
    return Math.trunc((timestampMicros(to) - timestampMicros(from)) / (millis * 1000));
  };
}

function now(c: FunctionContext): number {
  return c.queryStartMillis ?? Date.now();
}

const TIMESTAMP_3 = LogicalTypes.timestamp(3);
const LTZ_3_NOT_NULL = LogicalTypes.timestampLtz(3, false);

function unitFunction(name: string, unit: string): ScalarFunctionDefinition {
  const build =
    (type: LogicalType): Impl =>
    (c, value) =>
      BigInt(extractFromWallClock(unit, wallClockOf(value as number, type, c.timeZone)));
  return {
    ...scalar(name, [["TEMPORAL"]], () => BIGINT_NOT_NULL, build(TIMESTAMP_3)),
    specialize: (operands) => build(operands[0]!),
  };
}

export function temporalFunctions(): ScalarFunctionDefinition[] {
  return [
    customScalar(
      "EXTRACT",
      (operands, literals) => {
        const [unit, value] = operands;
        checkUnit(
          "EXTRACT",
          literals[0],
          value !== undefined && isInterval(value) ? INTERVAL_EXTRACT_UNITS : EXTRACT_UNITS,
        );
        if (
          operands.length !== 2 ||
          value === undefined ||
          !(isTemporal(value) || isInterval(value) || value.kind === "NULL")
        ) {
          throw new FunctionTypeError(
            `EXTRACT expects (unit, DATE | TIME | TIMESTAMP | INTERVAL) but got ${formatTypes(operands)}`,
          );
        }
        return { result: LogicalTypes.bigint(unit!.nullable || value.nullable) };
      },
      extractImplementation(TIMESTAMP_3),
      { specialize: (operands) => extractImplementation(operands[1]!) },
    ),
    unitFunction("YEAR", "YEAR"),
    unitFunction("QUARTER", "QUARTER"),
    unitFunction("MONTH", "MONTH"),
    unitFunction("WEEK", "WEEK"),
    unitFunction("DAYOFYEAR", "DOY"),
    unitFunction("DAYOFMONTH", "DAY"),
    unitFunction("DAYOFWEEK", "DOW"),
    unitFunction("HOUR", "HOUR"),
    unitFunction("MINUTE", "MINUTE"),
    unitFunction("SECOND", "SECOND"),
    floorCeil("FLOOR", NUMERIC_FLOOR),
    floorCeil("CEIL", NUMERIC_CEIL),
    { ...floorCeil("CEIL", NUMERIC_CEIL), name: "CEILING" },
    customScalar(
      "TIMESTAMPADD",
      (operands, literals) => {
        const cast = checkOperands("TIMESTAMPADD", operands, ["STRING", "INT", "TEMPORAL"]);
        checkUnit("TIMESTAMPADD", literals[0], ADD_UNITS);
        const target = withoutTimeAttribute(cast[2]!);
        const nullable = operands.some((t) => t.nullable);
        return { result: withNullability(target, nullable), operands: [cast[0]!, cast[1]!, target] };
      },
      timestampAddImplementation(TIMESTAMP_3, TIMESTAMP_3),
      { specialize: (operands, result) => timestampAddImplementation(operands[2]!, result) },
    ),
    customScalar(
      "TIMESTAMPDIFF",
      (operands, literals) => {
        const cast = checkOperands("TIMESTAMPDIFF", operands, ["STRING", "TEMPORAL", "TEMPORAL"]);
        checkUnit("TIMESTAMPDIFF", literals[0], ADD_UNITS);
        const common = commonType([withoutTimeAttribute(cast[1]!), withoutTimeAttribute(cast[2]!)]);
        if (common === null)
          throw new FunctionTypeError(`TIMESTAMPDIFF cannot compare ${formatTypes(operands.slice(1))}`);
        return {
          result: LogicalTypes.int(operands.some((t) => t.nullable)),
          operands: [
            cast[0]!,
            withNullability(common, cast[1]!.nullable),
            withNullability(common, cast[2]!.nullable),
          ],
        };
      },
      timestampDiffImplementation(TIMESTAMP_3),
      { specialize: (operands) => timestampDiffImplementation(operands[1]!) },
    ),
    ...datetimeConversionFunctions(),
    scalar(
      "CURRENT_TIMESTAMP",
      [[]],
      () => LTZ_3_NOT_NULL,
      (c) => now(c),
      { deterministic: false },
    ),
    scalar(
      "NOW",
      [[]],
      () => LTZ_3_NOT_NULL,
      (c) => now(c),
      { deterministic: false },
    ),
    scalar(
      "CURRENT_ROW_TIMESTAMP",
      [[]],
      () => LTZ_3_NOT_NULL,
      () => Date.now(),
      { deterministic: false },
    ),
    scalar(
      "LOCALTIMESTAMP",
      [[]],
      () => LogicalTypes.timestamp(3, false),
      (c) => instantToWallClock(now(c), c.timeZone),
      {
        deterministic: false,
      },
    ),
    scalar(
      "CURRENT_DATE",
      [[]],
      () => LogicalTypes.date(false),
      (c) => floorDiv(instantToWallClock(now(c), c.timeZone), MILLIS_PER_DAY),
      {
        deterministic: false,
      },
    ),
    scalar(
      "CURRENT_TIME",
      [[]],
      () => LogicalTypes.time(0, false),
      (c) => floorMod(instantToWallClock(now(c), c.timeZone), MILLIS_PER_DAY),
      {
        deterministic: false,
      },
    ),
    scalar(
      "LOCALTIME",
      [[]],
      () => LogicalTypes.time(0, false),
      (c) => floorMod(instantToWallClock(now(c), c.timeZone), MILLIS_PER_DAY),
      {
        deterministic: false,
      },
    ),
    scalar(
      "PROCTIME",
      [[]],
      (): TimestampType => Object.freeze({ ...LTZ_3_NOT_NULL, timeAttribute: "proctime" }),
      () => Date.now(),
      { deterministic: false },
    ),
    customScalar(
      "REINTERPRET",
      (operands) => {
        if (operands.length !== 1) throw new FunctionTypeError("REINTERPRET expects one operand");
        return { result: withoutTimeAttribute(operands[0]!) };
      },
      (_c, value) => value!,
    ),
  ];
}
