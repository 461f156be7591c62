/**
 * The `avro` record format (Flink's `'format' = 'avro'`): each message is one Avro datum in the
 * binary encoding (primitives in `avro-binary.ts`), without a container header or a schema
 * registry, written with a schema derived from the table's row type exactly as Flink derives it
 * (see {@link avroSchemaFor}). Both sides must agree on the schema out of band; a registry-backed
 * `avro-confluent` is not provided.
 *
 * Type mapping (nullable types become the union `["null", T]`, null first, as Flink writes):
 * BOOLEAN→boolean; TINYINT/SMALLINT/INT→int; BIGINT→long; FLOAT→float; DOUBLE→double;
 * CHAR/VARCHAR→string; BINARY/VARBINARY→bytes; DECIMAL(p,s)→bytes with logical type decimal
 * (big-endian two's-complement unscaled value); DATE→int date; TIME→int time-millis;
 * TIMESTAMP/TIMESTAMP_LTZ→long timestamp-millis (p ≤ 3) or timestamp-micros (p > 6 truncated to
 * micros, as Flink's converter offers nothing finer); ARRAY→array;
 * MAP (string keys)→map; ROW→record. Worked example: `(id INT NOT NULL, name STRING)` with
 * `[1, "a"]` encodes as `02 02 02 61` (zig-zag 1; union branch 1; length 1; "a").
 * @module
 */

import type { Row, RowData } from "../data/row.ts";
import { RowKind } from "../data/row.ts";
import { timestampMicros } from "../data/temporal.ts";
import { floorDivBig, NANOS_PER_MICRO } from "../data/timestamp-nanos.ts";
import type { SqlValue } from "../data/values.ts";
import type { LogicalType, RowType } from "../types/logical-type.ts";
import { AvroReader, AvroWriter } from "./avro-binary.ts";
import type { RecordFormatFactory } from "./record-format.ts";
import { FormatError } from "./row-format.ts";

/** The Avro schema (as JSON) Flink derives for a row type; records are named `record`, `record_<field>`. */
export function avroSchemaFor(rowType: RowType): unknown {
  return recordSchema(rowType, "record", true);
}

function recordSchema(type: RowType, name: string, top: boolean): unknown {
  return {
    type: "record",
    name,
    ...(top ? { namespace: "org.apache.flink.avro.generated" } : {}),
    fields: type.fields.map((f) => ({
      name: f.name,
      type: fieldSchema(f.type, `${name}_${f.name}`),
      ...(f.type.nullable ? { default: null } : {}),
    })),
  };
}

function fieldSchema(type: LogicalType, name: string): unknown {
  const base = baseSchema(type, name);
  return type.nullable ? ["null", base] : base;
}

function baseSchema(type: LogicalType, name: string): unknown {
  switch (type.kind) {
    case "BOOLEAN":
      return "boolean";
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      return "int";
    case "BIGINT":
      return "long";
    case "FLOAT":
      return "float";
    case "DOUBLE":
      return "double";
    case "CHAR":
    case "VARCHAR":
      return "string";
    case "BINARY":
    case "VARBINARY":
      return "bytes";
    case "DECIMAL":
      return { type: "bytes", logicalType: "decimal", precision: type.precision, scale: type.scale };
    case "DATE":
      return { type: "int", logicalType: "date" };
    case "TIME":
      return { type: "int", logicalType: "time-millis" };
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      return { type: "long", logicalType: type.precision <= 3 ? "timestamp-millis" : "timestamp-micros" };
    case "ARRAY":
      return { type: "array", items: fieldSchema(type.element, name) };
    case "MAP":
      if (type.key.kind !== "CHAR" && type.key.kind !== "VARCHAR")
        throw new FormatError(`the avro format supports MAP with STRING keys only, not ${type.key.kind}`);
      return { type: "map", values: fieldSchema(type.value, name) };
    case "ROW":
      return recordSchema(type, name, false);
    default:
      throw new FormatError(`the avro format does not support ${type.kind}`);
  }
}

type Write = (w: AvroWriter, value: SqlValue) => void;
type Read = (r: AvroReader) => SqlValue;

/** Big-endian two's-complement bytes of an unscaled decimal, minimal length (as Java's BigInteger). */
function decimalBytes(unscaled: bigint): Uint8Array {
  const bits = unscaledWidth(unscaled);
  const hex = BigInt.asUintN(bits, unscaled)
    .toString(16)
    .padStart(bits / 4, "0");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function unscaledWidth(value: bigint): number {
  let bits = 8;
  while (value >= 1n << BigInt(bits - 1) || value < -(1n << BigInt(bits - 1))) bits += 8;
  return bits;
}

function decimalFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return BigInt.asIntN(bytes.length * 8, value);
}

function writerFor(type: LogicalType, path: string): Write {
  const base = baseWriter(type, path);
  if (!type.nullable)
    return (w, value) => {
      if (value === null) throw new FormatError(`field '${path}' is null but the column is NOT NULL`);
      base(w, value);
    };
  return (w, value) => {
    if (value === null) w.byte(0);
    else {
      w.byte(2);
      base(w, value);
    }
  };
}

function baseWriter(type: LogicalType, path: string): Write {
  switch (type.kind) {
    case "BOOLEAN":
      return (w, v) => w.byte(v ? 1 : 0);
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return (w, v) => w.int(v as number);
    case "BIGINT":
      return (w, v) => w.long(v as bigint);
    case "FLOAT":
      return (w, v) => w.float(v as number);
    case "DOUBLE":
      return (w, v) => w.double(v as number);
    case "CHAR":
    case "VARCHAR":
      return (w, v) => w.string(v as string);
    case "BINARY":
    case "VARBINARY":
      return (w, v) => w.bytes(v as Uint8Array);
    case "DECIMAL":
      return (w, v) => w.bytes(decimalBytes(v as bigint));
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      if (type.precision > 6) return (w, v) => w.long(floorDivBig(v as bigint, NANOS_PER_MICRO));
      return type.precision <= 3
        ? (w, v) => w.long(v as number)
        : (w, v) => w.long(BigInt(timestampMicros(v as number)));
    case "ARRAY": {
      const item = writerFor(type.element, `${path}[]`);
      return (w, v) => {
        const items = v as readonly SqlValue[];
        if (items.length > 0) {
          w.int(items.length);
          for (const x of items) item(w, x);
        }
        w.byte(0);
      };
    }
    case "MAP": {
      baseSchema(type, path);
      const value = writerFor(type.value, `${path}{}`);
      return (w, v) => {
        const map = v as ReadonlyMap<SqlValue, SqlValue>;
        if (map.size > 0) {
          w.int(map.size);
          for (const [k, x] of map) {
            w.string(k as string);
            value(w, x);
          }
        }
        w.byte(0);
      };
    }
    case "ROW": {
      const fields = type.fields.map((f) => writerFor(f.type, `${path}.${f.name}`));
      return (w, v) => {
        const row = v as readonly SqlValue[];
        for (let i = 0; i < fields.length; i++) fields[i]!(w, row[i] ?? null);
      };
    }
    default:
      throw new FormatError(`the avro format does not support ${type.kind} (field '${path}')`);
  }
}

function readerFor(type: LogicalType, path: string): Read {
  const base = baseReader(type, path);
  if (!type.nullable) return base;
  return (r) => {
    const branch = r.int();
    if (branch === 0) return null;
    if (branch === 1) return base(r);
    throw new FormatError(`field '${path}': union branch ${branch} out of range (expected 0 or 1)`);
  };
}

/** Reads Avro array/map blocks: a count (negative: followed by a byte size), items, then 0. */
function readBlocks(r: AvroReader, item: () => void): void {
  for (;;) {
    let count = Number(r.long());
    if (count === 0) return;
    if (count < 0) {
      count = -count;
      r.long();
    }
    for (let i = 0; i < count; i++) item();
  }
}

function baseReader(type: LogicalType, path: string): Read {
  switch (type.kind) {
    case "BOOLEAN":
      return (r) => {
        const b = r.byte();
        if (b > 1) throw new FormatError(`field '${path}': invalid boolean byte ${b}`);
        return b === 1;
      };
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return (r) => r.int();
    case "BIGINT":
      return (r) => r.long();
    case "FLOAT":
      return (r) => r.float();
    case "DOUBLE":
      return (r) => r.double();
    case "CHAR":
    case "VARCHAR":
      return (r) => r.string();
    case "BINARY":
    case "VARBINARY":
      return (r) => r.bytes();
    case "DECIMAL":
      return (r) => decimalFromBytes(r.bytes());
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      // timestamp-micros: the microseconds become the fraction of the millisecond (values.ts).
      // TIMESTAMP(p > 6) holds epoch nanos: the micros times 1000, exactly.
      if (type.precision > 6) return (r) => BigInt(r.long()) * NANOS_PER_MICRO;
      return type.precision <= 3 ? (r) => Number(r.long()) : (r) => Number(r.long()) / 1000;
    case "ARRAY": {
      const item = readerFor(type.element, `${path}[]`);
      return (r) => {
        const out: SqlValue[] = [];
        readBlocks(r, () => out.push(item(r)));
        return out;
      };
    }
    case "MAP": {
      baseSchema(type, path);
      const value = readerFor(type.value, `${path}{}`);
      return (r) => {
        const out = new Map<SqlValue, SqlValue>();
        readBlocks(r, () => {
          const k = r.string();
          out.set(k, value(r));
        });
        return out;
      };
    }
    case "ROW": {
      const fields = type.fields.map((f) => readerFor(f.type, `${path}.${f.name}`));
      return (r) => fields.map((read) => read(r));
    }
    default:
      throw new FormatError(`the avro format does not support ${type.kind} (field '${path}')`);
  }
}

function checkInsert(row: RowData): void {
  if (row.kind !== RowKind.INSERT && row.kind !== RowKind.UPDATE_AFTER)
    throw new FormatError(
      "the avro format writes inserts only; use a changelog format for updates and deletes",
    );
}

export const avroFormat: RecordFormatFactory = {
  identifier: "avro",
  optionalOptions: [
    "avro.encoding",
    "avro.codec",
    "avro.timestamp_mapping.legacy",
    "avro.ignore-parse-errors",
  ],
  changelog: false,
  createDecoder(rowType, options) {
    const ignoreErrors = (options["avro.ignore-parse-errors"] ?? "false").trim().toLowerCase() === "true";
    checkEncoding(options);
    const fields = rowType.fields.map((f) => readerFor(f.type, f.name));
    return {
      changelogMode: { kind: "insert-only" },
      decode(bytes, out) {
        try {
          const r = new AvroReader(bytes);
          const row: Row = new Array(fields.length);
          for (let i = 0; i < fields.length; i++) row[i] = fields[i]!(r);
          if (r.remaining !== 0)
            throw new FormatError(`${r.remaining} trailing byte(s) after the Avro record`);
          out.push({ kind: RowKind.INSERT, fields: row });
        } catch (error) {
          if (ignoreErrors) return;
          if (error instanceof FormatError) throw error;
          throw new FormatError(`invalid Avro data: ${(error as Error).message}`);
        }
      },
    };
  },
  createEncoder(rowType, options) {
    checkEncoding(options);
    const fields = rowType.fields.map((f) => writerFor(f.type, f.name));
    const w = new AvroWriter();
    return {
      encode(row) {
        checkInsert(row);
        for (let i = 0; i < fields.length; i++) fields[i]!(w, row.fields[i] ?? null);
        return w.take();
      },
    };
  },
};

function checkEncoding(options: Readonly<Record<string, string>>): void {
  const encoding = options["avro.encoding"];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "binary")
    throw new FormatError(`'avro.encoding' = '${encoding}' is not supported (only 'binary')`);
}
