/**
 * The SQL `'format' = 'parquet'` options of the filesystem connector, after Flink's Parquet format:
 * - `parquet.compression`: UNCOMPRESSED, SNAPPY (default), GZIP, BROTLI, ZSTD (LZO and LZ4 are
 *   refused: no implementation here);
 * - `parquet.timestamp.time.unit`: millis, micros (default), nanos — the unit of written timestamps;
 * - `parquet.write.int64.timestamp`: Weir always writes INT64 timestamps, so only `true` is accepted
 *   (Flink's default, `false`, writes the deprecated INT96);
 * - `parquet.utc-timezone`: accepted for Flink scripts; INT64 timestamps need no zone conversion and
 *   INT96 values are read as UTC instants whatever its value.
 * @module
 */

import { ConnectorOptionError, OptionReader, type ResolvedTable } from "@weir/sql";
import { PARQUET_CODECS, type ParquetCodec, type ParquetTimeUnit } from "./parquet-schema.ts";

export const PARQUET_OPTIONS = [
  "parquet.compression",
  "parquet.timestamp.time.unit",
  "parquet.write.int64.timestamp",
  "parquet.utc-timezone",
];

export interface ParquetSqlOptions {
  readonly codec: ParquetCodec;
  readonly timestampUnit: ParquetTimeUnit;
}

export function parquetSqlOptions(table: ResolvedTable): ParquetSqlOptions {
  const reader = new OptionReader(table);
  const codec = reader.choice("parquet.compression", PARQUET_CODECS, "SNAPPY");
  const unit = reader.choice("parquet.timestamp.time.unit", ["millis", "micros", "nanos"] as const, "micros");
  if (!reader.boolean("parquet.write.int64.timestamp", true))
    throw new ConnectorOptionError(
      `Table '${table.name}': 'parquet.write.int64.timestamp' = 'false' (INT96 timestamps) is not supported; Weir writes INT64 timestamps`,
    );
  reader.boolean("parquet.utc-timezone", false);
  return { codec, timestampUnit: unit.toUpperCase() as ParquetTimeUnit };
}
