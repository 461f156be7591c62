/**
 * A parsed JSON object as a table row and back, for the JSON-based changelog formats whose
 * envelopes nest row images (`before`/`after`, `data`/`old`). Conversion per column follows the
 * `json` format: `fromJsonValue` reading, the `json` serializer's text for writing.
 * @module
 */

import { fromJsonValue } from "../data/json-value.ts";
import type { Row, RowData } from "../data/row.ts";
import type { SqlValue } from "../data/values.ts";
import type { RowType } from "../types/logical-type.ts";
import { jsonFormat } from "./json-format.ts";
import type { RecordDecoder } from "./record-format.ts";
import { FormatError, type RowFormatContext } from "./row-format.ts";

/** Reads the image `object` (named `image` in errors) into a row of `rowType`. */
export type JsonImageReader = (object: unknown, image: string) => Row;

export function jsonImageReader(rowType: RowType, timeZone: string): JsonImageReader {
  const names = rowType.fields.map((f) => f.name);
  const types = rowType.fields.map((f) => f.type);
  return (object, image) => {
    if (typeof object !== "object" || object === null || Array.isArray(object))
      throw new FormatError(`'${image}' must be a JSON object but is ${JSON.stringify(object) ?? "missing"}`);
    const record = object as Record<string, unknown>;
    const row: SqlValue[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const json = record[names[i]!];
      if (json === undefined || json === null) {
        if (!types[i]!.nullable)
          throw new FormatError(`field '${image}.${names[i]}' is null but the column is NOT NULL`);
        row[i] = null;
        continue;
      }
      try {
        row[i] = fromJsonValue(json, types[i]!, timeZone);
      } catch (error) {
        throw new FormatError(`field '${image}.${names[i]}': ${(error as Error).message}`);
      }
    }
    return row;
  };
}

/** Writes a row as the `json` format's object text (used inside envelopes). */
export function jsonImageWriter(
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  prefix: string,
  context: RowFormatContext,
): (row: Row) => string {
  const standard = options[`${prefix}.timestamp-format.standard`];
  const serializer = jsonFormat.createSerializer(
    rowType,
    standard === undefined ? {} : { "json.timestamp-format.standard": standard },
    context,
  );
  return (row) => serializer.serialize(row);
}

/** Parses one message's text as JSON, or throws {@link FormatError}. */
export function parseJsonMessage(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FormatError("the record is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FormatError(`invalid JSON: ${(error as Error).message}`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The decoder of a changelog envelope format: `decodeEvent` appends the rows of one event (or
 * throws a {@link FormatError}); with `ignoreErrors` a malformed event is dropped whole, so no row
 * of a half-read event (a -U without its +U) reaches the output.
 */
export function changelogEventDecoder(
  decodeEvent: (bytes: Uint8Array, out: RowData[]) => void,
  ignoreErrors: boolean,
): RecordDecoder {
  return {
    changelogMode: { kind: "retract" },
    decode(bytes, out) {
      if (!ignoreErrors) return decodeEvent(bytes, out);
      const before = out.length;
      try {
        decodeEvent(bytes, out);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        out.length = before;
      }
    },
  };
}

/** A boolean option of a changelog format (`'debezium-json.ignore-parse-errors' = 'true'`); absent is false. */
export function formatFlag(options: Readonly<Record<string, string>>, key: string): boolean {
  const raw = options[key];
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (value !== "true" && value !== "false")
    throw new FormatError(`option '${key}' must be true or false, not '${raw}'`);
  return value === "true";
}
