/**
 * The Parquet bulk format for the DataStream file sink and source: records are plain objects
 * whose fields hold SQL values (see `@weir/sql` values: BIGINT and DECIMAL as bigint — DECIMAL
 * unscaled —, DATE as days, TIMESTAMP as epoch milliseconds, BYTES as Uint8Array), described by a
 * schema of SQL type names.
 * ```ts
 * const schema = { id: "BIGINT NOT NULL", name: "STRING", amount: "DECIMAL(10, 2)", ts: "TIMESTAMP(3)" };
 * stream.toSink(FileSink.forBulk("/data/out", { format: ParquetFormat.writer(schema) }));
 * env.fromSource(FileSource.forFormat("/data/out", ParquetFormat.reader(schema)), "parquet");
 * ```
 * @module
 */

import type { LogicalRowType, LogicalType, SqlValue } from "@weir/sql";
import type { BulkFormat } from "../file-sink.ts";
import type { BulkReadFormat } from "../source/file-format.ts";
import { ParquetPartWriter } from "./parquet-part-writer.ts";
import { parquetReadFormat } from "./parquet-reader.ts";
import {
  columnWriter,
  PARQUET_CODECS,
  type ParquetCodec,
  type ParquetTimeUnit,
  parquetSchemaOf,
} from "./parquet-schema.ts";
import { parseTypeName } from "./parquet-type-names.ts";

/** Column name → SQL type (`"BIGINT NOT NULL"`, `"DECIMAL(10, 2)"`), or a parsed row type. @public */
export type ParquetSchema = Readonly<Record<string, string>> | LogicalRowType;

/** Options of {@link ParquetFormat.writer}. @public */
export interface ParquetWriterOptions {
  /** Compression of the column chunks (default SNAPPY, as Flink's `parquet.compression`). */
  readonly codec?: ParquetCodec;
  /** Unit of INT64 timestamps (default MICROS). */
  readonly timestampUnit?: ParquetTimeUnit;
  /** Rows per row group (default 65536); a part's rows are buffered in memory up to this many. */
  readonly rowGroupRows?: number;
}

export const DEFAULT_ROW_GROUP_ROWS = 65_536;

/** The row type of a schema; throws naming a column whose type does not parse. */
export function parquetRowType(schema: ParquetSchema): LogicalRowType {
  if ((schema as LogicalRowType).kind === "ROW" && Array.isArray((schema as LogicalRowType).fields))
    return schema as LogicalRowType;
  const fields = Object.entries(schema as Record<string, string>).map(([name, text]) => {
    let type: LogicalType;
    try {
      type = parseTypeName(text);
    } catch (error) {
      throw new Error(`ParquetFormat: column '${name}': invalid type '${text}': ${(error as Error).message}`);
    }
    return { name, type };
  });
  if (fields.length === 0) throw new Error("ParquetFormat: the schema has no columns");
  return { kind: "ROW", nullable: false, fields };
}

/** Checks writer options; returns them with defaults. */
export function parquetWriterOptions(options: ParquetWriterOptions, where: string) {
  const codec = options.codec ?? "SNAPPY";
  if (!PARQUET_CODECS.includes(codec))
    throw new Error(`${where}: unsupported Parquet codec '${codec}' (one of ${PARQUET_CODECS.join(", ")})`);
  const unit = options.timestampUnit ?? "MICROS";
  if (!["MILLIS", "MICROS", "NANOS"].includes(unit))
    throw new Error(`${where}: unsupported timestamp unit '${unit}' (MILLIS, MICROS or NANOS)`);
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!(Number.isInteger(rowGroupRows) && rowGroupRows > 0))
    throw new Error(`${where}: rowGroupRows must be a positive integer, got ${rowGroupRows}`);
  return { codec, unit, rowGroupRows };
}

/**
 * A Parquet bulk format writing `rowType`'s columns, column `i` of a record read by `get(record, i)`.
 * Used by the DataStream writer (objects) and the SQL format (positional rows).
 */
export function parquetBulkFormat<T>(
  rowType: LogicalRowType,
  get: (record: T, column: number) => SqlValue,
  options: ParquetWriterOptions,
  where: string,
): BulkFormat<T> {
  const { codec, unit, rowGroupRows } = parquetWriterOptions(options, where);
  const schema = parquetSchemaOf(rowType, unit, where);
  const names = rowType.fields.map((f) => f.name);
  const columns = rowType.fields.map((field, i) => {
    const convert = columnWriter(field.type, unit);
    return (record: T) => convert(get(record, i) ?? null);
  });
  return {
    extension: "parquet",
    open: (fd) => new ParquetPartWriter<T>(fd, { schema, names, columns, codec, rowGroupRows }),
  };
}

/** Parquet for the DataStream file sink and source. @public */
export const ParquetFormat = {
  /** A bulk format for `FileSink.forBulk` writing objects with the schema's fields. */
  writer<T extends object>(schema: ParquetSchema, options: ParquetWriterOptions = {}): BulkFormat<T> {
    const rowType = parquetRowType(schema);
    const names = rowType.fields.map((f) => f.name);
    return parquetBulkFormat<T>(
      rowType,
      (record, i) => ((record as Record<string, SqlValue | undefined>)[names[i]!] ?? null) as SqlValue,
      options,
      "ParquetFormat",
    );
  },

  /** A bulk format for `FileSource.forFormat` reading the schema's columns (by name) into objects. */
  reader(schema: ParquetSchema): BulkReadFormat<Record<string, SqlValue>> {
    const rowType = parquetRowType(schema);
    const names = rowType.fields.map((f) => f.name);
    return parquetReadFormat(rowType, (values) => {
      const record: Record<string, SqlValue> = {};
      for (let i = 0; i < names.length; i++) record[names[i]!] = values[i]!;
      return record;
    });
  },
};
