/**
 * The `csv` row format (Flink's CSV format): one record per line, fields in column order, quoted
 * after RFC 4180 (a quoted field may hold the delimiter, doubled quotes and line breaks).
 *
 * Reading: the record must have exactly as many fields as the table has columns; an unquoted
 * empty field is NULL for non-string columns, and a field equal to `csv.null-literal` is NULL for
 * any column; values convert as `CAST(text AS type)` does, BYTES from base64, ARRAY elements split
 * at `csv.array-element-delimiter` (default `;`). Lines starting with `#` are skipped with
 * `csv.allow-comments`. With `csv.ignore-parse-errors` a bad record is skipped and a bad field is
 * NULL; otherwise the error names the field. ROW, MAP and MULTISET columns are refused.
 *
 * Writing: the same text forms, quoted only when a field holds the delimiter, the quote character
 * or a line break; NULL as `csv.null-literal` (default: empty); decimals always plain
 * (`csv.write-bigdecimal-in-scientific-notation` is accepted and has no effect).
 * @module
 */

import { OptionReader } from "../connectors/connector-options.ts";
import { formatDecimal } from "../data/decimal.ts";
import { formatValue } from "../data/format-value.ts";
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
import { textToValue } from "./text-value.ts";

interface CsvDialect {
  readonly delimiter: string;
  /** Empty when quoting is disabled. */
  readonly quote: string;
  /** Empty when there is no escape character. */
  readonly escapeChar: string;
}

function dialectOf(options: Readonly<Record<string, string>>, tableName: string): CsvDialect {
  const reader = new OptionReader({ name: tableName, options });
  const delimiter = reader.character("csv.field-delimiter", ",");
  const quote = reader.boolean("csv.disable-quote-character", false)
    ? ""
    : reader.character("csv.quote-character", '"');
  const escapeChar =
    options["csv.escape-character"] === undefined ? "" : reader.character("csv.escape-character", "\\");
  return { delimiter, quote, escapeChar };
}

/**
 * Splits one record into its fields. Returns null when a quoted field is still open at the end
 * (the record continues on the next line). `quoted[i]` tells whether field `i` was quoted.
 */
export function splitCsvRecord(
  text: string,
  dialect: CsvDialect,
): { readonly fields: string[]; readonly quoted: boolean[] } | null {
  const { delimiter, quote, escapeChar } = dialect;
  if ((quote === "" || !text.includes(quote)) && (escapeChar === "" || !text.includes(escapeChar))) {
    const plain = text.split(delimiter);
    return { fields: plain, quoted: plain.map(() => false) };
  }
  const fields: string[] = [];
  const quoted: boolean[] = [];
  let field = "";
  let inQuotes = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (escapeChar !== "" && ch === escapeChar && i + 1 < text.length) {
      field += text[++i];
      continue;
    }
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === delimiter) {
      fields.push(field);
      quoted.push(wasQuoted);
      field = "";
      wasQuoted = false;
    } else if (ch === quote && quote !== "" && field === "" && !wasQuoted) {
      inQuotes = true;
      wasQuoted = true;
    } else field += ch;
  }
  if (inQuotes) return null;
  fields.push(field);
  quoted.push(wasQuoted);
  return { fields, quoted };
}

type FieldReader = (text: string) => SqlValue;

// Fast paths for the common spellings; anything else goes through CAST's full rules and errors.
const PLAIN_INTEGER = /^[+-]?\d{1,18}$/;
const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_BOUNDS = {
  TINYINT: [-128, 127],
  SMALLINT: [-32_768, 32_767],
  INT: [-2_147_483_648, 2_147_483_647],
} as const;

function isCharacter(type: LogicalType): boolean {
  return type.kind === "CHAR" || type.kind === "VARCHAR";
}

function fieldReader(
  type: LogicalType,
  column: string,
  arrayDelimiter: string,
  timeZone: string,
): FieldReader {
  switch (type.kind) {
    case "CHAR":
    case "VARCHAR":
      return (text) => text;
    case "BINARY":
    case "VARBINARY":
      return (text) => {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.trim())) throw new Error("not base64");
        return new Uint8Array(Buffer.from(text.trim(), "base64"));
      };
    case "ARRAY": {
      const element = fieldReader(type.element, column, arrayDelimiter, timeZone);
      const elementIsString = isCharacter(type.element);
      return (text) =>
        text === ""
          ? []
          : text
              .split(arrayDelimiter)
              .map((part) => (part === "" && !elementIsString ? null : element(part)));
    }
    case "ROW":
    case "MAP":
    case "MULTISET":
      throw new FormatError(`the csv format does not support column '${column}' of type ${type.kind}`);
    case "BOOLEAN": {
      return (text) => {
        const value = text.trim().toLowerCase();
        if (value === "true") return true;
        if (value === "false") return false;
        throw new Error("expected true or false");
      };
    }
    case "TINYINT":
    case "SMALLINT":
    case "INT": {
      const [min, max] = INTEGER_BOUNDS[type.kind];
      return (text) => {
        if (PLAIN_INTEGER.test(text)) {
          const value = Number(text);
          if (value >= min && value <= max) return value;
        }
        return textToValue(text, type, timeZone);
      };
    }
    case "BIGINT":
      return (text) =>
        PLAIN_INTEGER.test(text) && text.length < 19 ? BigInt(text) : textToValue(text, type, timeZone);
    case "DOUBLE":
      return (text) => (PLAIN_DECIMAL.test(text) ? Number(text) : textToValue(text, type, timeZone));
    default:
      return (text) => textToValue(text, type, timeZone);
  }
}

function createDeserializer(
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext,
): RowDeserializer {
  const reader = new OptionReader({ name: context.tableName, options });
  const dialect = dialectOf(options, context.tableName);
  const ignoreErrors = reader.boolean("csv.ignore-parse-errors", false);
  const allowComments = reader.boolean("csv.allow-comments", false);
  const nullLiteral = reader.string("csv.null-literal");
  const arrayDelimiter = reader.string("csv.array-element-delimiter") ?? ";";
  const fields = rowType.fields;
  const readers = fields.map((f) => fieldReader(f.type, f.name, arrayDelimiter, context.timeZone));
  const strings = fields.map((f) => isCharacter(f.type));
  return {
    continuesOnNextLine(text: string): boolean {
      return dialect.quote !== "" && splitCsvRecord(text, dialect) === null;
    },
    deserialize(text: string): Row | null {
      if (allowComments && text.startsWith("#")) return null;
      const split = splitCsvRecord(text, dialect);
      if (split === null) {
        if (ignoreErrors) return null;
        throw new FormatError("a quoted field is not closed");
      }
      if (split.fields.length !== fields.length) {
        if (ignoreErrors) return null;
        throw new FormatError(`expected ${fields.length} fields but found ${split.fields.length}`);
      }
      const row: SqlValue[] = new Array(fields.length);
      for (let i = 0; i < fields.length; i++) {
        const text = split.fields[i]!;
        if (
          (nullLiteral !== undefined && text === nullLiteral && !split.quoted[i]) ||
          (text === "" && !split.quoted[i] && !strings[i])
        ) {
          if (!fields[i]!.type.nullable && !ignoreErrors)
            throw new FormatError(`field '${fields[i]!.name}' is empty but the column is NOT NULL`);
          row[i] = null;
          continue;
        }
        try {
          row[i] = readers[i]!(text);
        } catch (error) {
          if (ignoreErrors) {
            row[i] = null;
            continue;
          }
          const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
          throw new FormatError(
            `field '${fields[i]!.name}': cannot read '${shown}' as ${fields[i]!.type.kind}: ${(error as Error).message}`,
          );
        }
      }
      return row;
    },
  };
}

type FieldWriter = (value: SqlValue) => string;

function fieldWriter(type: LogicalType, arrayDelimiter: string, timeZone: string): FieldWriter {
  switch (type.kind) {
    case "BOOLEAN":
      return (value) => (value ? "true" : "false");
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "BIGINT":
    case "CHAR":
    case "VARCHAR":
      return (value) => String(value);
    case "DECIMAL": {
      const scale = type.scale;
      return (value) => formatDecimal(value as bigint, scale);
    }
    case "BINARY":
    case "VARBINARY":
      return (value) => Buffer.from(value as Uint8Array).toString("base64");
    case "ARRAY": {
      const element = fieldWriter(type.element, arrayDelimiter, timeZone);
      return (value) => (value as SqlValue[]).map((v) => (v === null ? "" : element(v))).join(arrayDelimiter);
    }
    default:
      return (value) => formatValue(value, type, timeZone);
  }
}

function createSerializer(
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext,
): RowSerializer {
  const reader = new OptionReader({ name: context.tableName, options });
  const { delimiter, quote, escapeChar } = dialectOf(options, context.tableName);
  const nullLiteral = reader.string("csv.null-literal") ?? "";
  const arrayDelimiter = reader.string("csv.array-element-delimiter") ?? ";";
  for (const field of rowType.fields)
    if (field.type.kind === "ROW" || field.type.kind === "MAP" || field.type.kind === "MULTISET")
      throw new FormatError(
        `the csv format does not support column '${field.name}' of type ${field.type.kind}`,
      );
  const writers = rowType.fields.map((f) => fieldWriter(f.type, arrayDelimiter, context.timeZone));
  const special = new Set([
    delimiter,
    "\r",
    "\n",
    ...(quote === "" ? [] : [quote]),
    ...(escapeChar === "" ? [] : [escapeChar]),
  ]);
  const needsQuotes = (text: string): boolean => {
    for (let i = 0; i < text.length; i++) if (special.has(text[i]!)) return true;
    return false;
  };
  const protect = (text: string): string => {
    if (!needsQuotes(text)) return text;
    if (quote !== "") return `${quote}${text.replaceAll(quote, quote + quote)}${quote}`;
    if (escapeChar !== "") {
      let escaped = "";
      for (const ch of text) escaped += special.has(ch) ? escapeChar + ch : ch;
      return escaped;
    }
    throw new FormatError(
      `cannot write '${text}': it contains the delimiter or a line break and quoting is disabled`,
    );
  };
  return {
    serialize(row: Row): string {
      let text = "";
      for (let i = 0; i < writers.length; i++) {
        if (i > 0) text += delimiter;
        const value = row[i] ?? null;
        text += value === null ? nullLiteral : protect(writers[i]!(value));
      }
      return text;
    },
  };
}

export const csvFormat: RowFormatFactory = {
  identifier: "csv",
  optionalOptions: [
    "csv.field-delimiter",
    "csv.disable-quote-character",
    "csv.quote-character",
    "csv.allow-comments",
    "csv.ignore-parse-errors",
    "csv.array-element-delimiter",
    "csv.escape-character",
    "csv.null-literal",
    "csv.write-bigdecimal-in-scientific-notation",
  ],
  createDeserializer,
  createSerializer,
};
