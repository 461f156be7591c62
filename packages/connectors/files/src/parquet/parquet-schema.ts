/**
 * How SQL row types map to Parquet schemas, after Flink's Parquet format type mapping, and how a
 * row's values become Parquet column values. Shared by the SQL `parquet` format and the DataStream
 * Parquet writer and reader.
 *
 * | SQL type                  | Parquet physical type            | annotation                          |
 * |---------------------------|----------------------------------|-------------------------------------|
 * | BOOLEAN                   | BOOLEAN                          |                                     |
 * | TINYINT / SMALLINT / INT  | INT32                            | INT_8 / INT_16 / —                  |
 * | BIGINT                    | INT64                            |                                     |
 * | FLOAT / DOUBLE            | FLOAT / DOUBLE                   |                                     |
 * | DECIMAL(p, s)             | FIXED_LEN_BYTE_ARRAY (min bytes) | DECIMAL(p, s)                       |
 * | CHAR / VARCHAR / STRING   | BINARY                           | UTF8                                |
 * | BINARY / VARBINARY / BYTES| BINARY                           |                                     |
 * | DATE                      | INT32                            | DATE                                |
 * | TIME                      | INT32                            | TIME_MILLIS                         |
 * | TIMESTAMP(p)              | INT64                            | TIMESTAMP(unit, isAdjustedToUTC=false) |
 * | TIMESTAMP_LTZ(p)          | INT64                            | TIMESTAMP(unit, isAdjustedToUTC=true)  |
 * | ARRAY<T>                  | group (LIST) { repeated group list { element } } (3-level)       |
 * | MAP<K, V>                 | group (MAP) { repeated group key_value { required key; value } } |
 * | ROW<…>                    | group { one field per column }                                   |
 *
 * Differences from Flink, on purpose: timestamps are written as INT64 with a unit
 * (`parquet.timestamp.time.unit`, default micros; Flink's `write.int64.timestamp = true`) rather
 * than the deprecated INT96, which the Parquet spec and most readers (DuckDB, Spark, Arrow) treat
 * as legacy; INT96 files are still read. MULTISET and INTERVAL columns are refused with an error
 * naming the column; MAP keys must be of a type that survives being a JSON property name on read
 * (character strings, integers, BOOLEAN, DATE), because hyparquet assembles maps as objects.
 *
 * Invariant: the schema's leaf order is the row type's field order, so column `i` of a written
 * row group holds field `i` of every row.
 * @module
 */

import { type LogicalRowType, type LogicalType, type SqlValue, timestampNanosOf } from "@weir/sql";
import type { SchemaElement } from "hyparquet";

/** The unit INT64 timestamps are written in (`parquet.timestamp.time.unit`). @public */
export type ParquetTimeUnit = "MILLIS" | "MICROS" | "NANOS";

/** Parquet compression codecs Weir reads and writes (`parquet.compression`). @public */
export type ParquetCodec = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "BROTLI" | "ZSTD";

export const PARQUET_CODECS: readonly ParquetCodec[] = ["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD"];

/** Bytes needed for a two's-complement unscaled value of `precision` decimal digits. */
export function decimalBytes(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) < 10n ** BigInt(precision)) bytes++;
  return bytes;
}

/** Map key types a read can restore from an object property name. */
export const MAP_KEY_KINDS = new Set([
  "CHAR",
  "VARCHAR",
  "TINYINT",
  "SMALLINT",
  "INT",
  "BIGINT",
  "BOOLEAN",
  "DATE",
]);

/** The flattened (depth-first) schema elements of one column, its own element first. */
function column(name: string, type: LogicalType, unit: ParquetTimeUnit, where: string): SchemaElement[] {
  const repetition_type = type.nullable ? "OPTIONAL" : "REQUIRED";
  switch (type.kind) {
    case "ARRAY":
      return [
        { name, repetition_type, converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...column("element", type.element, unit, where),
      ];
    case "MAP":
      if (!MAP_KEY_KINDS.has(type.key.kind))
        throw new Error(
          `${where}: column '${name}' has MAP keys of type ${type.key.kind}; Parquet MAP keys must be a character string, integer, BOOLEAN or DATE type`,
        );
      return [
        { name, repetition_type, converted_type: "MAP", num_children: 1 },
        { name: "key_value", repetition_type: "REPEATED", num_children: 2 },
        ...column("key", { ...type.key, nullable: false } as LogicalType, unit, where),
        ...column("value", type.value, unit, where),
      ];
    case "ROW":
      return [
        { name, repetition_type, num_children: type.fields.length },
        ...type.fields.flatMap((f) => column(f.name, f.type, unit, where)),
      ];
    default:
      return [leaf(name, type, unit, where)];
  }
}

function leaf(name: string, type: LogicalType, unit: ParquetTimeUnit, where: string): SchemaElement {
  const repetition_type = type.nullable ? "OPTIONAL" : "REQUIRED";
  switch (type.kind) {
    case "BOOLEAN":
      return { name, type: "BOOLEAN", repetition_type };
    case "TINYINT":
      return { name, type: "INT32", converted_type: "INT_8", repetition_type };
    case "SMALLINT":
      return { name, type: "INT32", converted_type: "INT_16", repetition_type };
    case "INT":
      return { name, type: "INT32", repetition_type };
    case "BIGINT":
      return { name, type: "INT64", repetition_type };
    case "FLOAT":
      return { name, type: "FLOAT", repetition_type };
    case "DOUBLE":
      return { name, type: "DOUBLE", repetition_type };
    case "DECIMAL":
      return {
        name,
        type: "FIXED_LEN_BYTE_ARRAY",
        type_length: decimalBytes(type.precision),
        converted_type: "DECIMAL",
        precision: type.precision,
        scale: type.scale,
        logical_type: { type: "DECIMAL", precision: type.precision, scale: type.scale },
        repetition_type,
      };
    case "CHAR":
    case "VARCHAR":
      return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type };
    case "BINARY":
    case "VARBINARY":
      return { name, type: "BYTE_ARRAY", repetition_type };
    case "DATE":
      return { name, type: "INT32", converted_type: "DATE", repetition_type };
    case "TIME":
      return { name, type: "INT32", converted_type: "TIME_MILLIS", repetition_type };
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return {
        name,
        type: "INT64",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: type.kind === "TIMESTAMP_LTZ", unit },
        repetition_type,
      };
    default:
      throw new Error(
        `${where}: column '${name}' has type ${type.kind}, which the Parquet format does not support yet ` +
          "(supported: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, " +
          "BINARY, VARBINARY, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, ARRAY, MAP, ROW)",
      );
  }
}

/** The Parquet schema (flattened, root first) of a row type; throws naming an unsupported column. */
export function parquetSchemaOf(
  rowType: LogicalRowType,
  unit: ParquetTimeUnit,
  where: string,
): SchemaElement[] {
  return [
    { name: "root", num_children: rowType.fields.length },
    ...rowType.fields.flatMap((f) => column(f.name, f.type, unit, where)),
  ];
}

const UNIT_FACTOR: Readonly<Record<ParquetTimeUnit, bigint>> = {
  MILLIS: 1n,
  MICROS: 1000n,
  NANOS: 1_000_000n,
};

/**
 * The converter of one column's SQL values into what hyparquet-writer takes for its schema
 * element: numbers and bigints as they are, strings as strings (it encodes UTF8), DECIMAL as the
 * unscaled bigint, timestamps as a bigint count of `unit`.
 */
export function columnWriter(type: LogicalType, unit: ParquetTimeUnit): (value: SqlValue) => unknown {
  switch (type.kind) {
    case "BIGINT":
      return (v) => (v === null ? null : typeof v === "bigint" ? v : BigInt(v as number));
    case "DECIMAL":
      return (v) => (v === null ? null : typeof v === "bigint" ? v : BigInt(v as number));
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      // Exact epoch nanos of any precision (values.ts) to the unit, toward negative infinity as a
      // cast to a lower precision: TIMESTAMP(6) keeps its microseconds in MICROS and NANOS files.
      const divisor = 1_000_000n / UNIT_FACTOR[unit];
      return (v) => {
        if (v === null) return null;
        const nanos = timestampNanosOf(v as number | bigint, type);
        const q = nanos / divisor;
        return nanos % divisor < 0n ? q - 1n : q;
      };
    }
    case "ARRAY": {
      const element = columnWriter(type.element, unit);
      return (v) => (v === null ? null : (v as readonly SqlValue[]).map((e) => element(e ?? null)));
    }
    case "MAP": {
      const key = columnWriter(type.key, unit);
      const value = columnWriter(type.value, unit);
      return (v) =>
        v === null
          ? null
          : new Map(
              [...(v as ReadonlyMap<SqlValue, SqlValue>)].map(([k, x]) => [key(k ?? null), value(x ?? null)]),
            );
    }
    case "ROW": {
      const names = type.fields.map((f) => f.name);
      const fields = type.fields.map((f) => columnWriter(f.type, unit));
      return (v) => {
        if (v === null) return null;
        const values = v as readonly SqlValue[];
        const out: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) out[names[i]!] = fields[i]!(values[i] ?? null);
        return out;
      };
    }
    default:
      return (v) => v;
  }
}
