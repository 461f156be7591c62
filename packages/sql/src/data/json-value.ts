/**
 * SQL values ↔ JSON values: the mapping of `weir sql --format jsonl` and of the JSON row format.
 *
 * Invariants ({@link toJsonValue}): NULL → null; BOOLEAN → boolean; TINYINT…INT, FLOAT, DOUBLE →
 * number (NaN/±Infinity → their Java text, as JSON has no such numbers); BIGINT → number when
 * |v| ≤ 2^53 − 1, else its decimal string; DECIMAL → exact string with `scale` digits (`"12.50"`);
 * CHAR/VARCHAR → string; BINARY/BYTES → lower-case hex; DATE `"2020-04-15"`; TIME `"08:05:00"`
 * (+ fraction digits when precision > 0); TIMESTAMP(p) / TIMESTAMP_LTZ(p) `"2020-04-15 08:05:00.000"`
 * (LTZ in the session zone); INTERVAL → Flink's text (`"+2 00:00:00.000"`); ARRAY → array;
 * MAP/MULTISET → object keyed by the key's text; ROW → object by field name.
 * {@link fromJsonValue} is the inverse and also accepts numbers or strings for numerics, ISO and
 * Flink timestamp text, and epoch millis for timestamps.
 * @module
 */

import { formatLogicalType } from "../types/format-type.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { castValue } from "./cast-value.ts";
import { formatDecimal } from "./decimal.ts";
import { formatJavaDouble, formatJavaFloat } from "./format-number.ts";
import { formatValue, hexOf } from "./format-value.ts";
import { SqlRuntimeError } from "./sql-runtime-error.ts";
import {
  NANOS_PER_MILLI,
  NANOS_PER_SECOND,
  parseTimestampNanosText,
  truncateNanos,
} from "./timestamp-nanos.ts";
import type { SqlValue } from "./values.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function toJsonValue(value: SqlValue, type: LogicalType, timeZone: string): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "CHAR":
    case "VARCHAR":
      return value;
    case "FLOAT":
      return Number.isFinite(value)
        ? Number(formatJavaFloat(value as number))
        : formatJavaFloat(value as number);
    case "DOUBLE":
      return Number.isFinite(value) ? value : formatJavaDouble(value as number);
    case "BIGINT": {
      const v = value as bigint;
      return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
    }
    case "DECIMAL":
      return formatDecimal(value as bigint, type.scale);
    case "BINARY":
    case "VARBINARY":
      return hexOf(value as Uint8Array);
    case "DATE":
    case "TIME":
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
    case "INTERVAL_YEAR_MONTH":
    case "INTERVAL_DAY_TIME":
      return formatValue(value, type, timeZone);
    case "ARRAY":
      return (value as readonly SqlValue[]).map((v) => toJsonValue(v, type.element, timeZone));
    case "MAP":
    case "MULTISET": {
      const keyType = type.kind === "MAP" ? type.key : type.element;
      const object: Record<string, unknown> = {};
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        const key = k === null ? "null" : typeof k === "string" ? k : formatValue(k, keyType, timeZone);
        object[key] = type.kind === "MAP" ? toJsonValue(v, type.value, timeZone) : v;
      }
      return object;
    }
    case "ROW": {
      const object: Record<string, unknown> = {};
      const fields = value as readonly SqlValue[];
      type.fields.forEach((field, i) => {
        object[field.name] = toJsonValue(fields[i] ?? null, field.type, timeZone);
      });
      return object;
    }
    case "NULL":
      return null;
  }
}

const STRING: LogicalType = { kind: "VARCHAR", length: 2_147_483_647, nullable: true };

function mismatch(json: unknown, type: LogicalType): SqlRuntimeError {
  const text = JSON.stringify(json);
  return new SqlRuntimeError(
    `JSON value ${text !== undefined && text.length > 60 ? `${text.slice(0, 60)}…` : text} does not fit type ${formatLogicalType(type)}`,
  );
}

/** `2020-01-01T00:00:00.123456789+02:00` → TIMESTAMP(p > 6) / TIMESTAMP_LTZ(p > 6), all nine digits kept. */
function zonedNanos(
  json: string,
  zone: RegExpExecArray,
  type: LogicalType,
  context: { timeZone: string },
): SqlValue {
  const text = json.trim();
  const wall = parseTimestampNanosText(text.slice(0, zone.index));
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone[1]!);
  if (wall === undefined || (zone[1] !== "Z" && offset === null)) throw mismatch(json, type);
  const minutes =
    offset === null ? 0 : (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const instant = wall - BigInt(minutes) * 60n * NANOS_PER_SECOND;
  const ltz = { ...type, kind: "TIMESTAMP_LTZ" } as LogicalType;
  return type.kind === "TIMESTAMP_LTZ"
    ? truncateNanos(instant, type.precision)
    : castValue(instant, ltz, type, context);
}

/** The SQL value of a JSON value for `type`; throws {@link SqlRuntimeError} naming both when it does not fit. */
export function fromJsonValue(json: unknown, type: LogicalType, timeZone: string): SqlValue {
  if (json === null || json === undefined) return null;
  const context = { timeZone };
  switch (type.kind) {
    case "BOOLEAN":
      if (typeof json === "boolean") return json;
      if (typeof json === "string") return castValue(json, STRING, type, context);
      throw mismatch(json, type);
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "FLOAT":
    case "DOUBLE":
    case "DECIMAL":
      if (typeof json === "number") {
        if (type.kind === "DOUBLE") return json;
        if (type.kind === "FLOAT") return Math.fround(json);
        if (type.kind === "DECIMAL") return castValue(String(json), STRING, type, context);
        if (!Number.isInteger(json)) throw mismatch(json, type);
        return castValue(
          type.kind === "BIGINT" ? BigInt(json) : json,
          type.kind === "BIGINT" ? type : { kind: "INT", nullable: true },
          type,
          context,
        );
      }
      if (typeof json === "string") return castValue(json, STRING, type, context);
      throw mismatch(json, type);
    case "CHAR":
    case "VARCHAR":
      if (typeof json === "string") return json;
      if (typeof json === "object") return JSON.stringify(json);
      return String(json);
    case "BINARY":
    case "VARBINARY":
      if (typeof json === "string") return bytesFromText(json, type);
      throw mismatch(json, type);
    case "DATE":
    case "TIME":
    case "INTERVAL_DAY_TIME":
    case "INTERVAL_YEAR_MONTH":
      if (typeof json === "string") return castValue(json, STRING, type, context);
      if (typeof json === "number" && Number.isInteger(json)) return json;
      throw mismatch(json, type);
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      if (typeof json === "number" && Number.isInteger(json)) {
        // Epoch millis; TIMESTAMP(p > 6) holds epoch nanos (values.ts).
        return type.precision > 6 ? BigInt(json) * NANOS_PER_MILLI : json;
      }
      if (typeof json === "string") {
        const text = json.trim();
        const zoned = /(Z|[+-]\d{2}:?\d{2})$/.exec(text);
        if (zoned !== null && /T|\s/.test(text) && type.precision > 6)
          return zonedNanos(json, zoned, type, context);
        if (zoned !== null && /T|\s/.test(text)) {
          const instant = Date.parse(text);
          if (Number.isNaN(instant)) throw mismatch(json, type);
          return type.kind === "TIMESTAMP_LTZ"
            ? instant
            : castValue(instant, { ...type, kind: "TIMESTAMP_LTZ" }, type, context);
        }
        return castValue(text, STRING, type, context);
      }
      throw mismatch(json, type);
    case "ARRAY":
      if (!Array.isArray(json)) throw mismatch(json, type);
      return json.map((v) => fromJsonValue(v, type.element, timeZone));
    case "MAP":
    case "MULTISET": {
      if (typeof json !== "object" || Array.isArray(json)) throw mismatch(json, type);
      const keyType = type.kind === "MAP" ? type.key : type.element;
      const valueType: LogicalType = type.kind === "MAP" ? type.value : { kind: "INT", nullable: false };
      const map = new Map<SqlValue, SqlValue>();
      for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
        map.set(fromJsonValue(k, keyType, timeZone), fromJsonValue(v, valueType, timeZone));
      }
      return map;
    }
    case "ROW": {
      if (Array.isArray(json)) return type.fields.map((f, i) => fromJsonValue(json[i], f.type, timeZone));
      if (typeof json !== "object") throw mismatch(json, type);
      const object = json as Record<string, unknown>;
      return type.fields.map((f) => fromJsonValue(object[f.name], f.type, timeZone));
    }
    case "NULL":
      return null;
  }
}

/** Hex text (as toJsonValue writes) or, when not hex, base64 (as Flink's JSON format writes bytes). */
function bytesFromText(text: string, type: LogicalType): Uint8Array {
  if (/^(?:[0-9a-fA-F]{2})*$/.test(text)) {
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return new Uint8Array(Buffer.from(text, "base64"));
  throw mismatch(text, type);
}
