/**
 * Decodes MariaDB/MySQL binary log events (row-based replication, v1 rows events as MariaDB
 * writes them) into plain objects: table maps with column types and names
 * (`binlog_row_metadata=FULL`), row images with values in a text form that
 * `text-value-decoder.ts` reads (string and binary columns stay bytes, since their type codes are
 * shared: the column's SQL type decides), and event group boundaries (`BEGIN` or MariaDB's GTID
 * event with its GTID; `COMMIT`/XID; other statements, which end a group only outside a
 * transaction).
 *
 * Invariant: `decodeEvent` reads one whole event (checksum already stripped) and never reads past
 * it; a rows event it cannot decode (a column type it does not know, a truncated image) becomes a
 * `bad-rows` event naming the column and type, rather than misreading the following columns — the
 * reader applies its bad-record policy to it, or ignores it when the table is not captured.
 *
 * Example: a WRITE_ROWS event for `t(id INT, name VARCHAR(10))` decodes to
 * `{ type: "rows", kind: "insert", tableId, rows: [{ after: ["1", <bytes of "Ada">] }] }`.
 * @module
 */

import type { Gtid } from "./gtid-position.ts";

export type BinlogValue = string | Uint8Array | null;

export interface TableMap {
  readonly tableId: number;
  readonly database: string;
  readonly table: string;
  readonly types: readonly number[];
  readonly metadata: readonly number[];
  readonly unsigned: readonly boolean[];
  readonly names: readonly string[];
}

export type BinlogEvent =
  | { readonly type: "rotate"; readonly file: string; readonly position: number }
  | { readonly type: "format"; readonly checksum: boolean }
  | { readonly type: "begin" }
  /** MariaDB's GTID event: starts an event group; `standalone` groups are one statement (DDL). */
  | { readonly type: "gtid"; readonly gtid: Gtid; readonly standalone: boolean }
  | { readonly type: "commit"; readonly nextPosition: number }
  /** Another statement: ends a group unless a transaction is open (then e.g. a SAVEPOINT). */
  | { readonly type: "statement"; readonly nextPosition: number }
  | { readonly type: "table-map"; readonly map: TableMap }
  | {
      readonly type: "rows";
      readonly kind: "insert" | "update" | "delete";
      readonly tableId: number;
      readonly rows: readonly {
        readonly before: BinlogValue[] | null;
        readonly after: BinlogValue[] | null;
      }[];
      readonly nextPosition: number;
    }
  | {
      readonly type: "bad-rows";
      readonly kind: "insert" | "update" | "delete";
      readonly tableId: number;
      readonly error: string;
      readonly nextPosition: number;
    }
  | { readonly type: "other" };

const T = {
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  VARCHAR: 15,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  NEWDECIMAL: 246,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
} as const;

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

class Reader {
  readonly b: Buffer;
  o: number;
  constructor(b: Buffer, o: number) {
    this.b = b;
    this.o = o;
  }
  u8(): number {
    return this.b[this.o++]!;
  }
  u16(): number {
    const v = this.b.readUInt16LE(this.o);
    this.o += 2;
    return v;
  }
  u32(): number {
    const v = this.b.readUInt32LE(this.o);
    this.o += 4;
    return v;
  }
  uint(bytes: number): number {
    const v = this.b.readUIntLE(this.o, bytes);
    this.o += bytes;
    return v;
  }
  lenenc(): number {
    const first = this.u8();
    if (first < 251) return first;
    if (first === 252) return this.u16();
    if (first === 253) return this.uint(3);
    const v = Number(this.b.readBigUInt64LE(this.o));
    this.o += 8;
    return v;
  }
  bytes(n: number): Buffer {
    const v = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return v;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function decimal(r: Reader, precision: number, scale: number): string {
  const intg = precision - scale;
  const intg0 = Math.floor(intg / 9);
  const intg0x = intg % 9;
  const frac0 = Math.floor(scale / 9);
  const frac0x = scale % 9;
  const size = intg0 * 4 + DIG2BYTES[intg0x]! + frac0 * 4 + DIG2BYTES[frac0x]!;
  const raw = Buffer.from(r.bytes(size));
  const negative = (raw[0]! & 0x80) === 0;
  raw[0]! ^= 0x80;
  if (negative) for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! ^ 0xff;
  let o = 0;
  const take = (bytes: number) => {
    const v = bytes === 0 ? 0 : raw.readUIntBE(o, bytes);
    o += bytes;
    return v;
  };
  let integer = String(take(DIG2BYTES[intg0x]!));
  for (let i = 0; i < intg0; i++) integer += pad(take(4), 9);
  let fraction = "";
  for (let i = 0; i < frac0; i++) fraction += pad(take(4), 9);
  if (frac0x > 0) fraction += pad(take(DIG2BYTES[frac0x]!), frac0x);
  integer = integer.replace(/^0+(?=\d)/, "");
  return `${negative ? "-" : ""}${integer}${scale > 0 ? `.${fraction}` : ""}`;
}

function fraction(r: Reader, fsp: number): string {
  if (fsp === 0) return "";
  const bytes = (fsp + 1) >> 1;
  const v = r.b.readUIntBE(r.o, bytes);
  r.o += bytes;
  const micros = bytes === 1 ? v * 10_000 : bytes === 2 ? v * 100 : v;
  return `.${pad(micros, 6)}`;
}

/** One value of column `i` of `map`, in text form (bytes for BLOB columns). */
function value(r: Reader, map: TableMap, i: number): BinlogValue {
  const type = map.types[i]!;
  const meta = map.metadata[i]!;
  const unsigned = map.unsigned[i] === true;
  switch (type) {
    case T.TINY: {
      const v = r.u8();
      return String(unsigned || v < 0x80 ? v : v - 0x100);
    }
    case T.SHORT: {
      const v = r.u16();
      return String(unsigned || v < 0x8000 ? v : v - 0x10000);
    }
    case T.INT24: {
      const v = r.uint(3);
      return String(unsigned || v < 0x800000 ? v : v - 0x1000000);
    }
    case T.LONG: {
      const v = r.u32();
      return String(unsigned || v < 0x80000000 ? v : v - 0x100000000);
    }
    case T.LONGLONG: {
      const v = unsigned ? r.b.readBigUInt64LE(r.o) : r.b.readBigInt64LE(r.o);
      r.o += 8;
      return String(v);
    }
    case T.FLOAT: {
      const v = r.b.readFloatLE(r.o);
      r.o += 4;
      return String(v);
    }
    case T.DOUBLE: {
      const v = r.b.readDoubleLE(r.o);
      r.o += 8;
      return String(v);
    }
    case T.NEWDECIMAL:
      return decimal(r, meta >> 8, meta & 0xff);
    case T.VARCHAR:
    case T.VAR_STRING: {
      const length = meta < 256 ? r.u8() : r.u16();
      // VARBINARY shares the type code: the bytes stay bytes until the column's SQL type decides.
      return new Uint8Array(r.bytes(length));
    }
    case T.STRING: {
      const realType = meta >> 8;
      const max = (((realType & 0x30) ^ 0x30) << 4) | (meta & 0xff);
      const length = max < 256 ? r.u8() : r.u16();
      return new Uint8Array(r.bytes(length));
    }
    case T.BLOB: {
      const length = r.uint(meta);
      return new Uint8Array(r.bytes(length));
    }
    case T.DATE: {
      const v = r.uint(3);
      return `${pad(v >> 9, 4)}-${pad((v >> 5) & 15, 2)}-${pad(v & 31, 2)}`;
    }
    case T.DATETIME2: {
      const packed = r.b.readUIntBE(r.o, 5) - 0x8000000000;
      r.o += 5;
      const ymd = Math.floor(packed / 2 ** 17);
      const ym = ymd >> 5;
      const hms = packed % 2 ** 17;
      const text = `${pad(Math.floor(ym / 13), 4)}-${pad(ym % 13, 2)}-${pad(ymd & 31, 2)} ${pad(hms >> 12, 2)}:${pad((hms >> 6) & 63, 2)}:${pad(hms & 63, 2)}`;
      return text + fraction(r, meta);
    }
    case T.TIMESTAMP2: {
      const seconds = r.b.readUInt32BE(r.o);
      r.o += 4;
      const iso = new Date(seconds * 1000).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(r, meta)}+00`;
    }
    default:
      throw new Error(
        `column "${map.names[i] ?? i}" of ${map.database}.${map.table} has binlog type ${type}, which the MySQL CDC source cannot decode`,
      );
  }
}

function rowImage(r: Reader, map: TableMap, present: readonly boolean[]): BinlogValue[] {
  const count = present.filter(Boolean).length;
  const nulls = r.bytes((count + 7) >> 3);
  const values: BinlogValue[] = new Array(map.types.length).fill(null);
  let n = 0;
  for (let i = 0; i < map.types.length; i++) {
    if (!present[i]) continue;
    const isNull = (nulls[n >> 3]! & (1 << (n & 7))) !== 0;
    n++;
    values[i] = isNull ? null : value(r, map, i);
  }
  return values;
}

function bitmap(r: Reader, count: number): boolean[] {
  const bits = r.bytes((count + 7) >> 3);
  return Array.from({ length: count }, (_, i) => (bits[i >> 3]! & (1 << (i & 7))) !== 0);
}

function metadataWidth(type: number): number {
  switch (type) {
    case T.FLOAT:
    case T.DOUBLE:
    case T.BLOB:
    case T.TIMESTAMP2:
    case T.DATETIME2:
    case 19 /* TIME2 */:
    case 245 /* JSON */:
    case 255 /* GEOMETRY */:
      return 1;
    case T.VARCHAR:
    case T.VAR_STRING:
    case T.NEWDECIMAL:
    case T.STRING:
    case 16 /* BIT */:
    case 247 /* ENUM */:
    case 248 /* SET */:
      return 2;
    default:
      return 0;
  }
}

function tableMap(r: Reader, end: number): TableMap {
  const tableId = r.uint(6);
  r.o += 2; // flags
  const database = r.bytes(r.u8()).toString("utf8");
  r.o += 1;
  const table = r.bytes(r.u8()).toString("utf8");
  r.o += 1;
  const count = r.lenenc();
  const types = [...r.bytes(count)];
  const metaEnd = r.lenenc() + r.o;
  const metadata = types.map((type) => {
    const width = metadataWidth(type);
    // NEWDECIMAL, STRING, ENUM, SET and BIT keep two bytes big-end first; VARCHAR is little-endian.
    if (width === 2 && (type === T.VARCHAR || type === T.VAR_STRING)) return r.u16();
    if (width === 2) return (r.u8() << 8) | r.u8();
    return width === 1 ? r.u8() : 0;
  });
  r.o = metaEnd;
  r.o += (count + 7) >> 3; // nullability
  let unsigned: boolean[] = types.map(() => false);
  let names: string[] = [];
  while (r.o < end) {
    const field = r.u8();
    const length = r.lenenc();
    const fieldEnd = r.o + length;
    if (field === 1) {
      // SIGNEDNESS: one bit per numeric column, most significant bit first.
      const numeric = types.map((t) =>
        [T.TINY, T.SHORT, T.INT24, T.LONG, T.LONGLONG, T.FLOAT, T.DOUBLE, T.NEWDECIMAL].includes(t as never),
      );
      const bits = r.bytes(length);
      let n = 0;
      unsigned = numeric.map((isNumeric) => {
        if (!isNumeric) return false;
        const bit = (bits[n >> 3]! & (0x80 >> (n & 7))) !== 0;
        n++;
        return bit;
      });
    } else if (field === 4) {
      names = [];
      while (r.o < fieldEnd) names.push(r.bytes(r.lenenc()).toString("utf8"));
    }
    r.o = fieldEnd;
  }
  return { tableId, database, table, types, metadata, unsigned, names };
}

/** Decodes one event; `maps` resolves the table of rows events. */
export function decodeEvent(event: Buffer, maps: ReadonlyMap<number, TableMap>): BinlogEvent {
  const type = event[4]!;
  const nextPosition = event.readUInt32LE(13);
  const r = new Reader(event, 19);
  switch (type) {
    case 4: {
      const position = Number(event.readBigUInt64LE(19));
      return { type: "rotate", position, file: event.subarray(27).toString("utf8") };
    }
    case 15:
      // The checksum algorithm is the byte before the (possible) checksum at the end.
      return { type: "format", checksum: event[event.length - 5] === 1 };
    case 2: {
      r.o += 8; // thread id, execution time
      const schemaLength = r.u8();
      r.o += 2; // error code
      const statusLength = r.u16();
      r.o += statusLength + schemaLength + 1;
      const query = event.subarray(r.o).toString("utf8");
      if (query === "BEGIN") return { type: "begin" };
      if (query === "COMMIT" || query === "ROLLBACK") return { type: "commit", nextPosition };
      return { type: "statement", nextPosition };
    }
    case 162: {
      // MariaDB GTID: sequence (8), domain (4), flags (bit 0: standalone); server id is the header's.
      const sequence = event.readBigUInt64LE(19).toString();
      const domain = event.readUInt32LE(27);
      const standalone = (event[31]! & 1) !== 0;
      return { type: "gtid", gtid: { domain, server: event.readUInt32LE(5), sequence }, standalone };
    }
    case 16:
      return { type: "commit", nextPosition };
    case 19:
      return { type: "table-map", map: tableMap(r, event.length) };
    case 23:
    case 24:
    case 25: {
      const tableId = r.uint(6);
      r.o += 2; // flags
      const map = maps.get(tableId);
      if (map === undefined) return { type: "other" };
      const count = r.lenenc();
      const before = bitmap(r, count);
      const after = type === 24 ? bitmap(r, count) : before;
      const kind = type === 23 ? "insert" : type === 24 ? "update" : "delete";
      const rows: { before: BinlogValue[] | null; after: BinlogValue[] | null }[] = [];
      try {
        while (r.o < event.length) {
          if (type === 23) rows.push({ before: null, after: rowImage(r, map, after) });
          else if (type === 25) rows.push({ before: rowImage(r, map, before), after: null });
          else {
            const old = rowImage(r, map, before);
            rows.push({ before: old, after: rowImage(r, map, after) });
          }
        }
      } catch (error) {
        return { type: "bad-rows", kind, tableId, error: (error as Error).message, nextPosition };
      }
      return { type: "rows", kind, tableId, rows, nextPosition };
    }
    default:
      return { type: "other" };
  }
}
