/**
 * The files connector: an exactly-once file sink (rows as JSON lines or CSV, bulk formats such as
 * Parquet) and a file source (bounded or continuously monitored, with a bad-record policy). See
 * {@link FileSink}, {@link FileSource}, {@link ParquetFormat}.
 * @module
 */

export type {
  BulkFileSinkOptions,
  BulkFormat,
  BulkPartWriter,
  FileCommittable,
  FileFormat,
  FileSinkOptions,
  RollingPolicy,
} from "./file-sink.ts";
export { FileSink } from "./file-sink.ts";
export type { ParquetSchema, ParquetWriterOptions } from "./parquet/parquet-format.ts";
export { ParquetFormat } from "./parquet/parquet-format.ts";
export type { ParquetCodec, ParquetTimeUnit } from "./parquet/parquet-schema.ts";
export type {
  BulkBatch,
  BulkDecoder,
  BulkReadFormat,
  FileDeadLetter,
  FileReadFormat,
  LineDecoder,
  LineFormat,
} from "./source/file-format.ts";
export type { FileSourceOptions, LineSourceOptions } from "./source/file-source.ts";
export { FileSource } from "./source/file-source.ts";
export type { FileSourceMetrics } from "./source/file-source-reader.ts";
export { FileRecordError, fileSourceMetrics } from "./source/file-source-reader.ts";
export type { FileSplit } from "./source/file-split.ts";
