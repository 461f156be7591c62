/**
 * Reads Parquet files for the file source, a row group at a time: a {@link BulkDecoder} whose rows
 * are SQL values of a given row type (see `parquet-schema.ts` for the mapping). Columns are matched
 * by name; a column the file lacks reads as NULL (files written before a column was added), and only
 * the projected columns are read from disk. DECIMAL stays exact (the unscaled integer, rescaled to
 * the column's scale), timestamps of any unit and INT96 become epoch milliseconds. Nested columns:
 * LIST → ARRAY (3-level, or 2-level legacy lists), MAP → MAP (hyparquet assembles maps as objects,
 * so keys come back as property names and are converted to the key type), group → ROW (fields by
 * name, missing ones NULL).
 *
 * Errors say which file and why: a file that is not Parquet (`not a Parquet file (…)`), a column
 * whose Parquet type cannot hold the SQL type, a page that does not decode.
 * @module
 */

import {
  type LogicalRowType,
  type LogicalType,
  type SqlValue,
  timestampValueFromMillis,
  timestampValueFromNanos,
} from "@weir/sql";
import type { FileMetaData, SchemaElement } from "hyparquet";
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from "hyparquet";
import type { BulkBatch, BulkDecoder, BulkReadFormat } from "../source/file-format.ts";
import type { FileSplit } from "../source/file-split.ts";
import { PARQUET_DECOMPRESSORS } from "./parquet-codecs.ts";
import { MAP_KEY_KINDS } from "./parquet-schema.ts";

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * hyparquet's value parsers: annotated timestamps (and INT96) as exact epoch nanos, which the
 * column's converter turns into the representation of its precision; days as they are.
 */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => v * 1_000_000n,
  timestampFromMicroseconds: (v: bigint) => v * 1000n,
  timestampFromNanoseconds: (v: bigint) => v,
  dateFromDays: (days: number) => days,
};

/** A legacy converted type that makes hyparquet apply the timestamp parsers. */
function isTimestampConverted(element: SchemaElement): boolean {
  return element.converted_type === "TIMESTAMP_MILLIS" || element.converted_type === "TIMESTAMP_MICROS";
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A big-endian two's-complement integer. */
function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (bytes.length > 0 && bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

function rescale(unscaled: bigint, from: number, to: number): bigint {
  if (to >= from) return unscaled * 10n ** BigInt(to - from);
  const divisor = 10n ** BigInt(from - to);
  const q = unscaled / divisor;
  const r = unscaled % divisor;
  // Half away from zero, as Flink's DecimalData rounding (HALF_UP).
  if ((r < 0n ? -r : r) * 2n >= divisor) return q + (unscaled < 0n ? -1n : 1n);
  return q;
}

/** A node of the file's schema tree, with its DECIMAL scale (annotations are stripped for reading). */
interface SchemaNode {
  readonly element: SchemaElement;
  readonly children: readonly SchemaNode[];
  readonly decimalScale: number | null;
}

/** The tree of a flattened (depth-first) schema, from element `index`; returns the next index too. */
function schemaTree(schema: readonly SchemaElement[], index = 0): [SchemaNode, number] {
  const element = schema[index]!;
  const children: SchemaNode[] = [];
  let next = index + 1;
  for (let c = 0; c < (element.num_children ?? 0); c++) {
    const [child, after] = schemaTree(schema, next);
    children.push(child);
    next = after;
  }
  const decimal = element.converted_type === "DECIMAL" || element.logical_type?.type === "DECIMAL";
  return [{ element, children, decimalScale: decimal ? (element.scale ?? 0) : null }, next];
}

const NUMERIC_PHYSICAL = ["INT32", "INT64", "FLOAT", "DOUBLE"];

/** Converts a map key, which hyparquet hands over as an object property name. */
function mapKeyConverter(type: LogicalType): (key: string) => SqlValue {
  switch (type.kind) {
    case "BIGINT":
      return (k) => BigInt(k);
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
      return (k) => Number(k);
    case "BOOLEAN":
      return (k) => k === "true";
    default:
      return (k) => k;
  }
}

/** Checks that the file's `node` can be read as `type`; returns the value converter. */
function converterFor(name: string, type: LogicalType, node: SchemaNode): (v: unknown) => SqlValue {
  const element = node.element;
  const physical = element.type;
  const mismatch = (): never => {
    const annotation = element.converted_type ?? element.logical_type?.type;
    throw new Error(
      `column '${name}' of SQL type ${type.kind} cannot be read from Parquet type ${physical ?? "group"}` +
        `${annotation !== undefined ? ` (${annotation})` : ""}`,
    );
  };
  const group = node.children.length > 0;
  if (type.kind === "ARRAY") {
    const repeated = node.children[0];
    if (element.converted_type !== "LIST" || node.children.length !== 1 || repeated === undefined)
      return mismatch();
    // Standard 3-level lists (repeated group of one element); a repeated leaf is a 2-level list.
    const item = repeated.children.length === 1 ? repeated.children[0]! : repeated;
    const convert = converterFor(`${name}.element`, type.element, item);
    return (v) => (v as unknown[]).map((e) => (e === null || e === undefined ? null : convert(e)));
  }
  if (type.kind === "MAP") {
    const entries = node.children[0];
    const isMap = element.converted_type === "MAP" || element.converted_type === "MAP_KEY_VALUE";
    if (!isMap || node.children.length !== 1 || entries?.children.length !== 2) return mismatch();
    const keyNode = entries.children[0]!;
    const valueNode = entries.children[1]!;
    converterFor(`${name}.key`, type.key, keyNode);
    const key = mapKeyConverter(type.key);
    const value = converterFor(`${name}.value`, type.value, valueNode);
    return (v) =>
      new Map(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [
          key(k),
          x === null || x === undefined ? null : value(x),
        ]),
      );
  }
  if (type.kind === "ROW") {
    if (!group || element.converted_type === "LIST" || element.converted_type === "MAP") return mismatch();
    const fields = type.fields.map((f) => {
      const child = node.children.find((c) => c.element.name === f.name);
      return {
        name: f.name,
        convert: child === undefined ? null : converterFor(`${name}.${f.name}`, f.type, child),
      };
    });
    return (v) => {
      const struct = v as Record<string, unknown>;
      return fields.map(({ name: field, convert }) => {
        const x = convert === null ? null : struct[field];
        return x === null || x === undefined ? null : convert!(x);
      });
    };
  }
  if (group) return mismatch();
  switch (type.kind) {
    case "BOOLEAN":
      if (physical !== "BOOLEAN") mismatch();
      return (v) => v as boolean;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
      if (physical !== "INT32" && physical !== "INT64") mismatch();
      return (v) => Number(v);
    case "BIGINT":
      if (physical !== "INT32" && physical !== "INT64") mismatch();
      return (v) => (typeof v === "bigint" ? v : BigInt(v as number));
    case "FLOAT":
      if (!NUMERIC_PHYSICAL.includes(physical!)) mismatch();
      return (v) => Math.fround(Number(v));
    case "DOUBLE":
      if (!NUMERIC_PHYSICAL.includes(physical!)) mismatch();
      return (v) => Number(v);
    case "DECIMAL": {
      const target = type.scale;
      const scale = node.decimalScale;
      if (scale !== null)
        return (v) => {
          const unscaled =
            v instanceof Uint8Array ? bytesToBigInt(v) : typeof v === "bigint" ? v : BigInt(v as number);
          return rescale(unscaled, scale, target);
        };
      if (physical === "INT32" || physical === "INT64")
        return (v) => rescale(typeof v === "bigint" ? v : BigInt(v as number), 0, target);
      if (physical === "FLOAT" || physical === "DOUBLE")
        return (v) => BigInt(Math.round((v as number) * 10 ** target));
      return mismatch();
    }
    case "CHAR":
    case "VARCHAR":
      if (physical !== "BYTE_ARRAY" && physical !== "FIXED_LEN_BYTE_ARRAY") mismatch();
      return (v) => (typeof v === "string" ? v : decoder.decode(v as Uint8Array));
    case "BINARY":
    case "VARBINARY":
      if (physical !== "BYTE_ARRAY" && physical !== "FIXED_LEN_BYTE_ARRAY") mismatch();
      return (v) => (typeof v === "string" ? encoder.encode(v) : (v as Uint8Array));
    case "DATE":
      if (physical !== "INT32") mismatch();
      return (v) => v as number;
    case "TIME": {
      const ctype = element.converted_type;
      const unit = element.logical_type?.type === "TIME" ? element.logical_type.unit : undefined;
      if (physical === "INT32") return (v) => v as number;
      if (physical === "INT64" && (ctype === "TIME_MICROS" || unit === "MICROS"))
        return (v) => Number(floorDiv(v as bigint, 1000n));
      if (physical === "INT64" && unit === "NANOS") return (v) => Number(floorDiv(v as bigint, 1_000_000n));
      return mismatch();
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ":
      if (physical !== "INT64" && physical !== "INT96") mismatch();
      // Annotated timestamps and INT96 arrive as epoch nanos (PARSERS); a bare INT64 is millis.
      if (physical === "INT96" || element.logical_type?.type === "TIMESTAMP" || isTimestampConverted(element))
        return (v) => timestampValueFromNanos(v as bigint, type);
      return (v) => timestampValueFromMillis(Number(v as bigint), type);
    default:
      throw new Error(`column '${name}' has type ${type.kind}, which the Parquet format does not read`);
  }
}

interface OpenFile {
  readonly file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  readonly metadata: FileMetaData;
  /** The file's names of the columns read, in read order. */
  readonly names: readonly string[];
  /** For each output field: its index in `names`, or -1 when the file lacks it. */
  readonly slots: readonly number[];
  readonly converters: readonly ((v: unknown) => SqlValue)[];
  /** Start row of each row group, and the total. */
  readonly groupStarts: readonly number[];
  readonly rows: number;
}

/** What a row of a file becomes: the SQL values of the row type's fields, in order. */
export type ParquetRowMapper<T> = (values: SqlValue[], split: FileSplit) => T;

class ParquetDecoder<T> implements BulkDecoder<T> {
  readonly #rowType: LogicalRowType;
  /** Field indexes to read; the others are NULL. */
  readonly #read: readonly number[];
  readonly #toRecord: ParquetRowMapper<T>;
  readonly #open = new Map<string, Promise<OpenFile>>();

  constructor(rowType: LogicalRowType, read: readonly number[], toRecord: ParquetRowMapper<T>) {
    this.#rowType = rowType;
    this.#read = read;
    this.#toRecord = toRecord;
  }

  async #openFile(path: string): Promise<OpenFile> {
    const file = await asyncBufferFromFile(path);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
    } catch (error) {
      throw new Error(`not a Parquet file (${(error as Error).message})`);
    }
    // Columns are matched by name against the original schema's tree; DECIMAL annotations are
    // stripped from the copy hyparquet reads with, so that it hands over the exact unscaled
    // integers instead of lossy doubles.
    const [root] = schemaTree(metadata.schema);
    const top = new Map(root.children.map((node) => [node.element.name, node]));
    const schema = metadata.schema.map((e) => {
      if (e.converted_type !== "DECIMAL" && e.logical_type?.type !== "DECIMAL") return e;
      const { converted_type: _c, logical_type: _l, ...rest } = e;
      return rest;
    });
    const names: string[] = [];
    const slots = this.#rowType.fields.map(() => -1);
    const converters: ((v: unknown) => SqlValue)[] = [];
    for (const i of this.#read) {
      const field = this.#rowType.fields[i]!;
      const column = top.get(field.name);
      if (column === undefined) continue;
      slots[i] = names.length;
      names.push(field.name);
      converters.push(converterFor(field.name, field.type, column));
    }
    const groupStarts: number[] = [];
    let rows = 0;
    for (const group of metadata.row_groups) {
      groupStarts.push(rows);
      rows += Number(group.num_rows);
    }
    return { file, metadata: { ...metadata, schema }, names, slots, converters, groupStarts, rows };
  }

  async read(split: FileSplit, fromRow: number): Promise<BulkBatch<T>> {
    let opening = this.#open.get(split.path);
    if (opening === undefined) {
      opening = this.#openFile(split.path);
      this.#open.set(split.path, opening);
    }
    const open = await opening;
    if (fromRow >= open.rows) return { records: [], nextRow: open.rows, done: true };
    let group = open.groupStarts.length - 1;
    while (open.groupStarts[group]! > fromRow) group--;
    const rowEnd = group + 1 < open.groupStarts.length ? open.groupStarts[group + 1]! : open.rows;
    const fields = this.#rowType.fields.length;
    const records: T[] = [];
    if (open.names.length === 0) {
      // No stored column is read (all projected away or missing): rows of NULLs.
      for (let r = fromRow; r < rowEnd; r++)
        records.push(this.#toRecord(new Array(fields).fill(null), split));
      return { records, nextRow: rowEnd, done: rowEnd >= open.rows };
    }
    let raw: unknown[][] = [];
    await parquetRead({
      file: open.file,
      metadata: open.metadata,
      columns: [...open.names],
      rowStart: fromRow,
      rowEnd,
      utf8: false,
      parsers: PARSERS,
      compressors: PARQUET_DECOMPRESSORS,
      onComplete: (rows: unknown[][]) => {
        raw = rows;
      },
    });
    const { slots, converters } = open;
    for (const row of raw) {
      const values: SqlValue[] = new Array(fields);
      for (let i = 0; i < fields; i++) {
        const slot = slots[i]!;
        const v = slot < 0 ? null : row[slot];
        values[i] = v === null || v === undefined ? null : converters[slot]!(v);
      }
      records.push(this.#toRecord(values, split));
    }
    return { records, nextRow: rowEnd, done: rowEnd >= open.rows };
  }

  release(split: FileSplit): void {
    this.#open.delete(split.path);
  }
}

const SCALARS = new Set<string>([
  "BOOLEAN",
  "TINYINT",
  "SMALLINT",
  "INT",
  "BIGINT",
  "FLOAT",
  "DOUBLE",
  "DECIMAL",
  "CHAR",
  "VARCHAR",
  "BINARY",
  "VARBINARY",
  "DATE",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMP_LTZ",
]);

/** Throws naming a column whose type the Parquet format cannot read. */
function checkReadable(name: string, type: LogicalType): void {
  switch (type.kind) {
    case "ARRAY":
      checkReadable(`${name}.element`, type.element);
      return;
    case "MAP":
      if (!MAP_KEY_KINDS.has(type.key.kind))
        throw new Error(
          `column '${name}' has MAP keys of type ${type.key.kind}; Parquet MAP keys must be a character string, integer, BOOLEAN or DATE type`,
        );
      checkReadable(`${name}.value`, type.value);
      return;
    case "ROW":
      for (const f of type.fields) checkReadable(`${name}.${f.name}`, f.type);
      return;
    default:
      if (!SCALARS.has(type.kind))
        throw new Error(`column '${name}' has type ${type.kind}, which the Parquet format does not read`);
  }
}

/**
 * A Parquet bulk format reading `rowType`'s fields by name (only those in `read`, default all),
 * each row mapped by `toRecord`.
 */
export function parquetReadFormat<T>(
  rowType: LogicalRowType,
  toRecord: ParquetRowMapper<T>,
  read: readonly number[] = rowType.fields.map((_, i) => i),
): BulkReadFormat<T> {
  for (const i of read) {
    const field = rowType.fields[i]!;
    // Refuses unsupported column types when the source is built, not in a worker.
    checkReadable(field.name, field.type);
  }
  return { kind: "bulk", createDecoder: () => new ParquetDecoder(rowType, read, toRecord) };
}
