/**
 * The `raw` row format (Flink's raw format): the whole record is the value of the table's single
 * column, a STRING (text as is) or BYTES (UTF-8 bytes of the text). NULL writes an empty record.
 * @module
 */

import type { Row } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";
import { FormatError, type RowFormatContext, type RowFormatFactory } from "./row-format.ts";

function checkSingleColumn(rowType: RowType, context: RowFormatContext): "text" | "bytes" {
  const only = rowType.fields[0];
  if (rowType.fields.length !== 1 || only === undefined)
    throw new FormatError(
      `the raw format needs a table with exactly one physical column, but table '${context.tableName}' has ${rowType.fields.length}`,
    );
  const kind = only.type.kind;
  if (kind === "CHAR" || kind === "VARCHAR") return "text";
  if (kind === "BINARY" || kind === "VARBINARY") return "bytes";
  throw new FormatError(`the raw format supports a STRING or BYTES column, but '${only.name}' is ${kind}`);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const rawFormat: RowFormatFactory = {
  identifier: "raw",
  optionalOptions: ["raw.charset", "raw.endianness"],
  createDeserializer(rowType, _options, context) {
    const mode = checkSingleColumn(rowType, context);
    return {
      deserialize: (text: string): Row => [mode === "text" ? text : encoder.encode(text)],
    };
  },
  createSerializer(rowType, _options, context) {
    const mode = checkSingleColumn(rowType, context);
    return {
      serialize(row: Row): string {
        const value = row[0] ?? null;
        if (value === null) return "";
        return mode === "text" ? (value as string) : decoder.decode(value as Uint8Array);
      },
    };
  },
};
