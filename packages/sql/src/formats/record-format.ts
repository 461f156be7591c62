/**
 * Record formats: how a table's rows become the bytes of one message and back, for connectors that
 * move messages (NATS, Kafka values, …) rather than lines. Every row format (`json`, `csv`, `raw`)
 * is also a record format (UTF-8 text, each record an INSERT); the changelog formats
 * (`debezium-json`, `canal-json`, `maxwell-json`) and the binary `avro` format exist only here.
 *
 * Contract: a decoder appends the rows one message stands for to `out` — none (a skipped record,
 * only with `<format>.ignore-parse-errors`, or a record the format ignores such as a DDL event),
 * one, or two for an update in a changelog format (`-U` before, then `+U`). It throws
 * {@link FormatError} naming the field and reason; the connector adds where the message came from.
 * Worked example for `(id INT, name STRING)` with `debezium-json`:
 * ```text
 * {"before":{"id":1,"name":"a"},"after":{"id":1,"name":"b"},"op":"u"}  → -U[1, a], +U[1, b]
 * {"before":null,"after":{"id":2,"name":"c"},"op":"c"}                 → +I[2, c]
 * ```
 * An encoder writes one row (of any kind its format supports) as one message's bytes.
 * @module
 */

import type { ChangelogMode, RowData } from "../data/row.ts";
import type { RowType } from "../types/logical-type.ts";
import type { RowFormatContext } from "./row-format.ts";

export { FormatError } from "./row-format.ts";

export interface RecordDecoder {
  /** The kinds this decoder produces: `insert-only`, or `retract` for changelog formats. */
  readonly changelogMode: ChangelogMode;
  decode(bytes: Uint8Array, out: RowData[]): void;
}

export interface RecordEncoder {
  encode(row: RowData): Uint8Array;
}

export interface RecordFormatFactory {
  /** The `'format'` value. */
  readonly identifier: string;
  /** The format's own option keys, prefixed with the identifier (`debezium-json.schema-include`). */
  readonly optionalOptions: readonly string[];
  /** True when the format carries row kinds (an encoder accepts -U/+U/-D rows). */
  readonly changelog: boolean;
  createDecoder(
    rowType: RowType,
    options: Readonly<Record<string, string>>,
    context: RowFormatContext,
  ): RecordDecoder;
  createEncoder(
    rowType: RowType,
    options: Readonly<Record<string, string>>,
    context: RowFormatContext,
  ): RecordEncoder;
}
