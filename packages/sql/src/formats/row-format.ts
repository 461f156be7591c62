/**
 * Row formats: how a table's rows become text records and back (Flink's `'format' = 'json' | 'csv'
 * | 'raw'`), for any connector that moves text — files, Kafka values, …
 *
 * Contract: a deserializer turns one record (a JSON line, a CSV record) into the table's physical
 * row in column order, values as in `../data/values.ts`; it returns `null` to skip a record (only
 * when the table allows it with `<format>.ignore-parse-errors`) and otherwise throws
 * {@link FormatError} naming the field and the reason. The connector adds where the record came
 * from. Worked example for `(id INT, name STRING)` with the JSON format:
 * ```text
 * {"id": 1, "name": "a"}  → [1, "a"]
 * {"id": "x"}             → FormatError: field 'id': cannot read "x" as INT
 * ```
 * A serializer writes one record without its line terminator.
 * @module
 */

import type { Row } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";

/** A record that does not fit the row type; the message says which field and why. */
export class FormatError extends Error {
  override readonly name = "FormatError";
}

export interface RowDeserializer {
  deserialize(text: string): Row | null;
  /**
   * True when `text` is an incomplete record that continues on the next line (a CSV field quoted
   * across a line break). Line-based readers append the next line and ask again.
   */
  continuesOnNextLine?(text: string): boolean;
}

export interface RowSerializer {
  serialize(row: Row): string;
}

/** Where a format runs: the table (for messages) and the session time zone (TIMESTAMP_LTZ text). */
export interface RowFormatContext {
  readonly tableName: string;
  readonly timeZone: string;
}

export interface RowFormatFactory {
  /** The `'format'` value. */
  readonly identifier: string;
  /** The format's own option keys, prefixed with the identifier (`csv.field-delimiter`). */
  readonly optionalOptions: readonly string[];
  createDeserializer(
    rowType: RowType,
    options: Readonly<Record<string, string>>,
    context: RowFormatContext,
  ): RowDeserializer;
  createSerializer(
    rowType: RowType,
    options: Readonly<Record<string, string>>,
    context: RowFormatContext,
  ): RowSerializer;
}
