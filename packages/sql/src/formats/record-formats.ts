/**
 * The registry of record formats (see `record-format.ts`): `avro`, `debezium-json`, `canal-json`,
 * `maxwell-json`, and every row format (`json`, `csv`, `raw`) read and written as one UTF-8 text per message.
 * Message connectors call {@link createRecordDecoder} / {@link createRecordEncoder} and accept
 * {@link recordFormatOptionKeys} among their options.
 * @module
 */

import { type RowData, RowKind } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";
import { avroFormat } from "./avro-format.ts";
import { canalJsonFormat } from "./canal-json-format.ts";
import { debeziumJsonFormat } from "./debezium-json-format.ts";
import { maxwellJsonFormat } from "./maxwell-json-format.ts";
import type { RecordDecoder, RecordEncoder, RecordFormatFactory } from "./record-format.ts";
import { FormatError, type RowFormatContext, type RowFormatFactory } from "./row-format.ts";
import { findRowFormat, rowFormatIdentifiers } from "./row-formats.ts";

const NATIVE: ReadonlyMap<string, RecordFormatFactory> = new Map(
  [avroFormat, debeziumJsonFormat, canalJsonFormat, maxwellJsonFormat].map((f) => [f.identifier, f]),
);

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** A row format as a record format: UTF-8 text, INSERT rows only. */
function textRecordFormat(rowFormat: RowFormatFactory): RecordFormatFactory {
  return {
    identifier: rowFormat.identifier,
    optionalOptions: rowFormat.optionalOptions,
    changelog: false,
    createDecoder(rowType, options, context): RecordDecoder {
      const deserializer = rowFormat.createDeserializer(rowType, options, context);
      const ignoreErrors =
        (options[`${rowFormat.identifier}.ignore-parse-errors`] ?? "false").trim().toLowerCase() === "true";
      return {
        changelogMode: { kind: "insert-only" },
        decode(bytes, out) {
          let text: string;
          try {
            text = utf8Decoder.decode(bytes);
          } catch {
            if (ignoreErrors) return;
            throw new FormatError("the record is not valid UTF-8");
          }
          const row = deserializer.deserialize(text);
          if (row !== null) out.push({ kind: RowKind.INSERT, fields: row });
        },
      };
    },
    createEncoder(rowType, options, context): RecordEncoder {
      const serializer = rowFormat.createSerializer(rowType, options, context);
      return {
        encode(row: RowData) {
          if (row.kind !== RowKind.INSERT && row.kind !== RowKind.UPDATE_AFTER)
            throw new FormatError(
              `the ${rowFormat.identifier} format writes inserts only; use a changelog format (debezium-json, canal-json, maxwell-json) for updates and deletes`,
            );
          return utf8Encoder.encode(serializer.serialize(row.fields));
        },
      };
    },
  };
}

/** The identifiers of every record format, sorted. */
export function recordFormatIdentifiers(): string[] {
  return [...NATIVE.keys(), ...rowFormatIdentifiers()].sort();
}

/** The record format for `format`; throws {@link FormatError} listing the known ones. */
export function findRecordFormat(format: string): RecordFormatFactory {
  const native = NATIVE.get(format);
  if (native !== undefined) return native;
  if (rowFormatIdentifiers().includes(format)) return textRecordFormat(findRowFormat(format));
  throw new FormatError(
    `Could not find any format factory for identifier '${format}'. Available: ${recordFormatIdentifiers().join(", ")}`,
  );
}

/** The option keys `format` accepts. */
export function recordFormatOptionKeys(format: string): readonly string[] {
  return findRecordFormat(format).optionalOptions;
}

const DEFAULT_CONTEXT: RowFormatContext = { tableName: "(unnamed)", timeZone: "UTC" };

export function createRecordDecoder(
  format: string,
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext = DEFAULT_CONTEXT,
): RecordDecoder {
  return findRecordFormat(format).createDecoder(rowType, options, context);
}

export function createRecordEncoder(
  format: string,
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext = DEFAULT_CONTEXT,
): RecordEncoder {
  return findRecordFormat(format).createEncoder(rowType, options, context);
}
