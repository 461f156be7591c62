/**
 * The `json` row format (Flink's JSON format): one JSON object per record, fields matched to columns
 * by name (case-sensitive).
 *
 * Reading: a missing field is NULL unless `json.fail-on-missing-field`; with
 * `json.ignore-parse-errors` a record that is not a JSON object is skipped and a field that does not
 * convert becomes NULL (Flink's behaviour); otherwise both fail naming the field. Numbers too long
 * for a double keep their exact digits (the parser hands their source text to the conversion), so a
 * BIGINT or DECIMAL survives a round trip.
 *
 * Writing: columns in declaration order; BIGINT and DECIMAL as exact JSON numbers (`12.50`);
 * TIMESTAMP as `"2020-04-15 08:05:00.000"` (`json.timestamp-format.standard` = `SQL`, the default)
 * or `"2020-04-15T08:05:00.000"` (`ISO-8601`, with `Z` for TIMESTAMP_LTZ); NULL fields as `null`
 * unless `json.encode.ignore-null-fields`. Decimals are always plain numbers, so
 * `json.encode.decimal-as-plain-number` is accepted and has no effect; so are the
 * `json.map-null-key.*` options (a MAP key is never NULL here).
 * @module
 */

import { OptionReader } from "../connectors/connector-options.ts";
import { formatDecimal } from "../data/decimal.ts";
import { fromJsonValue, toJsonValue } from "../data/json-value.ts";
import type { Row } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";
import {
  FormatError,
  type RowDeserializer,
  type RowFormatContext,
  type RowFormatFactory,
  type RowSerializer,
} from "./row-format.ts";

/** Reviver context of `JSON.parse` with source text access (V8 ≥ 11.4, i.e. Node ≥ 21). */
interface ReviverContext {
  readonly source?: string;
}

/** Hands numbers whose text may not survive a double back as their source text. */
function exactNumbers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && context?.source !== undefined && context.source.length > 15)
    return context.source;
  return value;
}

type Reviver = (key: string, value: unknown) => unknown;

/** True when a number of the given columns may not be what the text said (past 2^53, or > 15 digits). */
function lostDigits(parsed: unknown, columns: readonly number[], names: readonly string[]): boolean {
  if (typeof parsed !== "object" || parsed === null) return false;
  for (const column of columns) {
    const value = (parsed as Record<string, unknown>)[names[column]!];
    if (
      typeof value === "number" &&
      (Number.isInteger(value) ? !Number.isSafeInteger(value) : String(value).length > 15)
    )
      return true;
  }
  return false;
}

function needsExactNumbers(type: LogicalType): boolean {
  switch (type.kind) {
    case "BIGINT":
    case "DECIMAL":
      return true;
    case "ARRAY":
    case "MULTISET":
      return needsExactNumbers(type.element);
    case "MAP":
      return needsExactNumbers(type.key) || needsExactNumbers(type.value);
    case "ROW":
      return type.fields.some((f) => needsExactNumbers(f.type));
    default:
      return false;
  }
}

const INTEGER_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32_768, 32_767],
  INT: [-2_147_483_648, 2_147_483_647],
};

/**
 * The conversion of one column: the common JSON shapes (a string for a string column, an in-range
 * integer for an integer column, …) are taken as they are, everything else goes through
 * `fromJsonValue` with its full rules and errors.
 */
function converterFor(type: LogicalType, timeZone: string): (json: unknown) => SqlValue {
  const general = (json: unknown) => fromJsonValue(json, type, timeZone);
  switch (type.kind) {
    case "CHAR":
    case "VARCHAR":
      return (json) => (typeof json === "string" ? json : general(json));
    case "BOOLEAN":
      return (json) => (typeof json === "boolean" ? json : general(json));
    case "DOUBLE":
      return (json) => (typeof json === "number" ? json : general(json));
    case "BIGINT":
      return (json) => (Number.isSafeInteger(json) ? BigInt(json as number) : general(json));
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const [min, max] = INTEGER_BOUNDS[type.kind]!;
      return (json) =>
        Number.isInteger(json) && (json as number) >= min && (json as number) <= max
          ? (json as number)
          : general(json);
    }
    default:
      return general;
  }
}

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function createDeserializer(
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext,
): RowDeserializer {
  const reader = new OptionReader({ name: context.tableName, options });
  const failOnMissing = reader.boolean("json.fail-on-missing-field", false);
  const ignoreErrors = reader.boolean("json.ignore-parse-errors", false);
  if (failOnMissing && ignoreErrors)
    throw new FormatError(
      `Table '${context.tableName}': 'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true`,
    );
  const fields = rowType.fields;
  const names = fields.map((f) => f.name);
  const types = fields.map((f) => f.type);
  const converters = fields.map((f) => converterFor(f.type, context.timeZone));
  // Top-level BIGINT / DECIMAL columns are checked after parsing; exact numbers nested in arrays,
  // maps or rows always take the reviver.
  const exactColumns: number[] = [];
  let nestedExact = false;
  fields.forEach((f, i) => {
    if (f.type.kind === "BIGINT" || f.type.kind === "DECIMAL") exactColumns.push(i);
    else if (needsExactNumbers(f.type)) nestedExact = true;
  });
  return {
    deserialize(text: string): Row | null {
      let parsed: unknown;
      try {
        parsed = nestedExact ? JSON.parse(text, exactNumbers as Reviver) : JSON.parse(text);
        // The reviver is slow: parse again with it only when a BIGINT or DECIMAL lost digits.
        if (!nestedExact && exactColumns.length > 0 && lostDigits(parsed, exactColumns, names))
          parsed = JSON.parse(text, exactNumbers as Reviver);
      } catch (error) {
        if (ignoreErrors) return null;
        throw new FormatError(`invalid JSON: ${(error as Error).message}`);
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        if (ignoreErrors) return null;
        throw new FormatError(`expected a JSON object but found ${describe(parsed)}`);
      }
      const object = parsed as Record<string, unknown>;
      const row: SqlValue[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const json = object[name];
        if (json === undefined || json === null) {
          if (json === undefined && failOnMissing) throw new FormatError(`field '${name}' is missing`);
          if (!types[i]!.nullable && !ignoreErrors)
            throw new FormatError(
              `field '${name}' is ${json === null ? "null" : "missing"} but the column is NOT NULL`,
            );
          row[i] = null;
          continue;
        }
        try {
          row[i] = converters[i]!(json);
        } catch (error) {
          if (ignoreErrors) {
            row[i] = null;
            continue;
          }
          throw new FormatError(`field '${name}': ${(error as Error).message}`);
        }
      }
      return row;
    },
  };
}

type Encoder = (value: SqlValue) => string;

function encoderFor(type: LogicalType, timeZone: string, iso: boolean): Encoder {
  switch (type.kind) {
    case "BOOLEAN":
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
      return (value) => String(value);
    case "DECIMAL": {
      const scale = type.scale;
      return (value) => formatDecimal(value as bigint, scale);
    }
    case "CHAR":
    case "VARCHAR":
      return (value) => JSON.stringify(value);
    case "TIMESTAMP":
      if (iso)
        return (value) => JSON.stringify((toJsonValue(value, type, timeZone) as string).replace(" ", "T"));
      break;
    case "TIMESTAMP_LTZ":
      if (iso)
        return (value) => JSON.stringify(`${(toJsonValue(value, type, "UTC") as string).replace(" ", "T")}Z`);
      break;
  }
  return (value) => JSON.stringify(toJsonValue(value, type, timeZone)) ?? "null";
}

function createSerializer(
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext,
): RowSerializer {
  const reader = new OptionReader({ name: context.tableName, options });
  const iso = reader.choice("json.timestamp-format.standard", ["SQL", "ISO-8601"], "SQL") === "ISO-8601";
  const ignoreNulls = reader.boolean("json.encode.ignore-null-fields", false);
  const keys = rowType.fields.map((f) => `${JSON.stringify(f.name)}:`);
  const encoders = rowType.fields.map((f) => encoderFor(f.type, context.timeZone, iso));
  return {
    serialize(row: Row): string {
      let text = "{";
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const value = row[i] ?? null;
        if (value === null && ignoreNulls) continue;
        if (!first) text += ",";
        first = false;
        text += keys[i]! + (value === null ? "null" : encoders[i]!(value));
      }
      return `${text}}`;
    },
  };
}

export const jsonFormat: RowFormatFactory = {
  identifier: "json",
  optionalOptions: [
    "json.fail-on-missing-field",
    "json.ignore-parse-errors",
    "json.timestamp-format.standard",
    "json.map-null-key.mode",
    "json.map-null-key.literal",
    "json.encode.decimal-as-plain-number",
    "json.encode.ignore-null-fields",
  ],
  createDeserializer,
  createSerializer,
};
