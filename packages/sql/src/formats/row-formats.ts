/**
 * The registry of row formats: `json`, `csv` and `raw`, looked up by the table's `'format'` option.
 * Connectors call {@link createRowDeserializer} / {@link createRowSerializer} and add
 * {@link formatOptionKeys} to the options they accept.
 * @module
 */

import type { RowType } from "../types/logical-type.ts";
import { csvFormat } from "./csv-format.ts";
import { jsonFormat } from "./json-format.ts";
import { rawFormat } from "./raw-format.ts";
import {
  FormatError,
  type RowDeserializer,
  type RowFormatContext,
  type RowFormatFactory,
  type RowSerializer,
} from "./row-format.ts";

const FORMATS: ReadonlyMap<string, RowFormatFactory> = new Map(
  [jsonFormat, csvFormat, rawFormat].map((f) => [f.identifier, f]),
);

/** The identifiers of the known formats, sorted. */
export function rowFormatIdentifiers(): string[] {
  return [...FORMATS.keys()].sort();
}

/** The format factory for `format`; throws {@link FormatError} listing the known ones. */
export function findRowFormat(format: string): RowFormatFactory {
  const factory = FORMATS.get(format);
  if (factory === undefined)
    throw new FormatError(
      `Could not find any format factory for identifier '${format}'. Available: ${rowFormatIdentifiers().join(", ")}`,
    );
  return factory;
}

/** The option keys `format` accepts (`csv.field-delimiter`, …). */
export function formatOptionKeys(format: string): readonly string[] {
  return findRowFormat(format).optionalOptions;
}

const DEFAULT_CONTEXT: RowFormatContext = { tableName: "(unnamed)", timeZone: "UTC" };

export function createRowDeserializer(
  format: string,
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext = DEFAULT_CONTEXT,
): RowDeserializer {
  return findRowFormat(format).createDeserializer(rowType, options, context);
}

export function createRowSerializer(
  format: string,
  rowType: RowType,
  options: Readonly<Record<string, string>>,
  context: RowFormatContext = DEFAULT_CONTEXT,
): RowSerializer {
  return findRowFormat(format).createSerializer(rowType, options, context);
}
