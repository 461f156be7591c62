/**
 * Decodes the text form of a database value (Postgres text output, as in pgoutput tuples and text
 * query results; MySQL text results) into the {@link SqlValue} its target {@link LogicalType}
 * holds (the mapping of `@weir/sql`'s `values.ts`). One decoder per column, chosen once, so the
 * per-value work is a direct call.
 *
 * Invariant: a decoder returns a value of exactly the target type's representation or throws a
 * {@link BadValueError} saying what the text was and what was expected; it never guesses. The
 * connection must use ISO dates (`DateStyle=ISO`), `TimeZone=UTC` and hex `bytea_output`, which
 * the connectors set on every session.
 *
 * Example: for `DECIMAL(10, 2)` the text `"12.5"` decodes to `1250n`; for `DATE`, `"1970-01-02"`
 * to `1`; for `TIMESTAMP_LTZ(3)`, `"2020-01-01 00:00:00.5+00"` to `1577836800500`.
 * @module
 */

import type { LogicalType, SqlValue } from "@weir/sql";

/** A value the target type cannot hold. The caller adds where (table, column, position). */
export class BadValueError extends Error {
  override readonly name = "BadValueError";
}

export type TextDecoder = (text: string) => SqlValue;

const MS_PER_DAY = 86_400_000;
const DATE_TIME =
  /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?(?:(Z)|([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/;

function bad(text: string, expected: string): BadValueError {
  return new BadValueError(`cannot read ${JSON.stringify(text)} as ${expected}`);
}

function fractionMillis(digits: string | undefined): number {
  if (digits === undefined) return 0;
  // The milliseconds; a TIMESTAMP(p > 3) adds its microseconds in parseDateTime.
  return Number(digits.padEnd(3, "0").slice(0, 3));
}

/**
 * A TIMESTAMP(p > 6) holds epoch nanos as a bigint (values.ts): the database's microseconds (the
 * fraction of the millisecond `parseDateTime` returns) times 1000, exactly.
 */
function epochNanos(millis: number): bigint {
  const whole = Math.floor(millis);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((millis - whole) * 1000)) * 1000n;
}

/**
 * Epoch milliseconds of a date-time text; with `zoned`, an offset (or none, meaning UTC) applies.
 * With `keepMicros` (TIMESTAMP(p > 3)) the microseconds become the fraction of the millisecond.
 */
function parseDateTime(text: string, expected: string, zoned: boolean, keepMicros = false): number {
  const m = DATE_TIME.exec(text);
  if (m === null) throw bad(text, expected);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hours = m[4] === undefined ? 0 : Number(m[4]);
  const minutes = m[5] === undefined ? 0 : Number(m[5]);
  const seconds = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60)
    throw bad(text, expected);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, fractionMillis(m[7]));
  let millis = date.getTime();
  if (zoned && m[9] !== undefined) {
    const offset = (Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60 + Number(m[12] ?? 0)) * 1000;
    millis -= m[9] === "-" ? -offset : offset;
  }
  const micros = keepMicros && m[7] !== undefined ? Number(m[7].padEnd(6, "0").slice(3, 6)) : 0;
  return micros === 0 ? millis : (millis * 1000 + micros) / 1000;
}

function integerDecoder(min: number, max: number, expected: string): TextDecoder {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max || text.trim() === "")
      throw bad(text, expected);
    return value;
  };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses decimal text (`-12.345`, `1e3` not accepted) into an unscaled bigint at `scale`, rounding half up. */
export function parseDecimal(text: string, precision: number, scale: number): bigint {
  const expected = `DECIMAL(${precision}, ${scale})`;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw bad(text, expected);
  const negative = m[1] === "-";
  const integer = m[2] ?? "";
  const fraction = m[3] ?? "";
  let unscaled = BigInt(integer + fraction.padEnd(scale, "0").slice(0, scale) || "0");
  // Half up on the first dropped digit, as Flink's DECIMAL casts round.
  if (fraction.length > scale && fraction.charCodeAt(scale) >= 53) unscaled += 1n;
  if (unscaled >= 10n ** BigInt(precision)) throw bad(text, `${expected}: too many digits`);
  return negative ? -unscaled : unscaled;
}

/** The decoder for values of `type`; throws when the type has no text decoding here. */
export function textDecoderFor(type: LogicalType): TextDecoder {
  switch (type.kind) {
    case "BOOLEAN":
      return (text) => {
        switch (text) {
          case "t":
          case "true":
          case "1":
            return true;
          case "f":
          case "false":
          case "0":
            return false;
          default:
            throw bad(text, "BOOLEAN");
        }
      };
    case "TINYINT":
      return integerDecoder(-128, 127, "TINYINT");
    case "SMALLINT":
      return integerDecoder(-32_768, 32_767, "SMALLINT");
    case "INT":
      return integerDecoder(-2_147_483_648, 2_147_483_647, "INT");
    case "BIGINT":
      return (text) => {
        let value: bigint;
        try {
          value = BigInt(text);
        } catch {
          throw bad(text, "BIGINT");
        }
        if (value < INT64_MIN || value > INT64_MAX || text.trim() === "") throw bad(text, "BIGINT");
        return value;
      };
    case "FLOAT":
      return (text) => {
        const value = Number(text);
        if (Number.isNaN(value) && text !== "NaN") throw bad(text, "FLOAT");
        return Math.fround(value);
      };
    case "DOUBLE":
      return (text) => {
        const value = Number(text);
        if (Number.isNaN(value) && text !== "NaN") throw bad(text, "DOUBLE");
        return value;
      };
    case "DECIMAL": {
      const { precision, scale } = type;
      return (text) => parseDecimal(text, precision, scale);
    }
    case "CHAR":
    case "VARCHAR":
      return (text) => text;
    case "BINARY":
    case "VARBINARY":
      return (text) => {
        if (text.startsWith("\\x") && text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text.slice(2)))
          return new Uint8Array(Buffer.from(text.slice(2), "hex"));
        throw bad(text, "bytes in hex form (\\x...)");
      };
    case "DATE":
      return (text) => parseDateTime(text, "DATE", false) / MS_PER_DAY;
    case "TIME":
      return (text) => {
        const m = TIME.exec(text);
        if (m === null) throw bad(text, "TIME");
        return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + fractionMillis(m[4]);
      };
    case "TIMESTAMP":
      if (type.precision > 6) return (text) => epochNanos(parseDateTime(text, "TIMESTAMP", false, true));
      return (text) => parseDateTime(text, "TIMESTAMP", false, type.precision > 3);
    case "TIMESTAMP_LTZ":
      if (type.precision > 6) return (text) => epochNanos(parseDateTime(text, "TIMESTAMP_LTZ", true, true));
      return (text) => parseDateTime(text, "TIMESTAMP_LTZ", true, type.precision > 3);
    default:
      throw new BadValueError(`values of type ${type.kind} cannot be read from the database's text form`);
  }
}
