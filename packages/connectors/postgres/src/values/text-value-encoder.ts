/**
 * Encodes a {@link SqlValue} of a known {@link LogicalType} as the text a database parses back to
 * the same value (statement parameters of the JDBC-style sinks): the inverse of
 * `text-value-decoder.ts` for every type both handle.
 *
 * Invariant: `decode(encode(v)) === v` for the types of the decoder (a property test checks it),
 * and the text is accepted by both Postgres and MariaDB/MySQL input functions (ISO dates, plain
 * decimal digits). Bytes are encoded as `\x` + hex, which Postgres reads for `bytea`; the MySQL
 * dialect (`mysql-dialect.ts`) passes bytes as Buffers and LTZ timestamps without the offset.
 *
 * Example: `DECIMAL(10, 2)` `1250n` → `"12.50"`; `DATE` `1` → `"1970-01-02"`;
 * `TIMESTAMP_LTZ(3)` `1577836800500` → `"2020-01-01 00:00:00.500+00:00"`.
 * @module
 */

import type { LogicalType, SqlValue } from "@weir/sql";
import { BadValueError } from "./text-value-decoder.ts";

export type TextEncoder = (value: SqlValue) => string;

const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function datePart(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1) throw new BadValueError(`the date ${date.toISOString()} is before year 1`);
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function timePart(millisOfDay: number): string {
  const ms = millisOfDay % 1000;
  const seconds = Math.floor(millisOfDay / 1000);
  return `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${pad(ms, 3)}`;
}

/** A TIMESTAMP(p > 3) holds its microseconds as the fraction of the millisecond (values.ts). */
function dateTime(value: number): string {
  const millis = Math.floor(value);
  return dateTimeMicros(millis, Math.round((value - millis) * 1000), value);
}

/**
 * A TIMESTAMP(p > 6) holds epoch nanos as a bigint (values.ts); Postgres keeps microseconds, so
 * the digits past them are cut (toward negative infinity, as a cast to TIMESTAMP(6)).
 */
function dateTimeNanos(value: bigint): string {
  const micros = value / 1000n - (value % 1000n < 0n ? 1n : 0n);
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  return dateTimeMicros(Number(millis), Number(micros - millis * 1000n), value);
}

function dateTimeMicros(millis: number, micros: number, value: SqlValue): string {
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) throw new BadValueError(`${value} is not a valid timestamp`);
  const ofDay = ((millis % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return `${datePart(date)} ${timePart(ofDay)}${micros === 0 ? "" : pad(micros, 3)}`;
}

/** Formats an unscaled decimal with `scale` fraction digits: `(1250n, 2)` → `"12.50"`. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function expect(what: string, value: SqlValue, ok: boolean): void {
  if (!ok)
    throw new BadValueError(
      `expected ${what}, got ${typeof value === "bigint" ? `${value}n` : JSON.stringify(value)} (${typeof value})`,
    );
}

/** The encoder for non-null values of `type`; throws for types the sinks do not write. */
export function textEncoderFor(type: LogicalType): TextEncoder {
  switch (type.kind) {
    case "BOOLEAN":
      return (v) => {
        expect("a boolean", v, typeof v === "boolean");
        return v ? "true" : "false";
      };
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      return (v) => {
        expect("an integer number", v, typeof v === "number" && Number.isInteger(v));
        return String(v);
      };
    case "BIGINT":
      return (v) => {
        expect(
          "a bigint (or an integer number)",
          v,
          typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)),
        );
        return String(v);
      };
    case "FLOAT":
    case "DOUBLE":
      return (v) => {
        expect("a number", v, typeof v === "number");
        // String(-0) is "0"; the sign is part of the value.
        return Object.is(v, -0) ? "-0" : String(v);
      };
    case "DECIMAL": {
      const scale = type.scale;
      return (v) => {
        expect("a bigint holding the unscaled DECIMAL", v, typeof v === "bigint");
        return formatDecimal(v as bigint, scale);
      };
    }
    case "CHAR":
    case "VARCHAR":
      return (v) => {
        expect("a string", v, typeof v === "string");
        return v as string;
      };
    case "BINARY":
    case "VARBINARY":
      return (v) => {
        expect("a Uint8Array", v, v instanceof Uint8Array);
        return `\\x${Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength).toString("hex")}`;
      };
    case "DATE":
      return (v) => {
        expect("a day number", v, typeof v === "number" && Number.isInteger(v));
        return datePart(new Date((v as number) * MS_PER_DAY));
      };
    case "TIME":
      return (v) => {
        expect("milliseconds of the day", v, typeof v === "number" && v >= 0 && v < MS_PER_DAY);
        return timePart(Math.floor(v as number));
      };
    case "TIMESTAMP":
      if (type.precision > 6) {
        return (v) => {
          expect("epoch nanoseconds", v, typeof v === "bigint");
          return dateTimeNanos(v as bigint);
        };
      }
      return (v) => {
        expect("epoch milliseconds", v, typeof v === "number");
        return dateTime(v as number);
      };
    case "TIMESTAMP_LTZ":
      if (type.precision > 6) {
        return (v) => {
          expect("epoch nanoseconds", v, typeof v === "bigint");
          return `${dateTimeNanos(v as bigint)}+00:00`;
        };
      }
      return (v) => {
        expect("epoch milliseconds", v, typeof v === "number");
        return `${dateTime(v as number)}+00:00`;
      };
    default:
      throw new BadValueError(`values of type ${type.kind} cannot be written by this sink`);
  }
}
