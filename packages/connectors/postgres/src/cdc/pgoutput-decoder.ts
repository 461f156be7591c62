/**
 * Decodes the messages of Postgres' built-in logical decoding plugin `pgoutput` (protocol version
 * 1, text tuples), as documented in "Logical Replication Message Formats" of the Postgres manual.
 *
 * Invariant: decoding is pure and total over well-formed messages: each message becomes one plain
 * object; tuple values stay in their text form (`null` for SQL NULL, {@link UNCHANGED_TOAST} for a
 * large value the update did not change), so the reader decides types and reports bad values with
 * their position. Unknown message kinds are returned as `{ tag: "other" }` rather than failing, since
 * newer servers may add kinds the stream can safely skip.
 *
 * Example: the bytes `I <relid 16385> N <2 columns: t "1", n>` decode to
 * `{ tag: "insert", relationId: 16385, newTuple: ["1", null] }`.
 * @module
 */

/** A column the update left unchanged and the server did not send (TOASTed, REPLICA IDENTITY not FULL). */
export const UNCHANGED_TOAST: unique symbol = Symbol("unchanged TOAST value");
export type TupleValue = string | null | typeof UNCHANGED_TOAST;

export interface RelationColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
  /** Part of the replica identity (usually the primary key). */
  readonly isKey: boolean;
}

export type PgOutputMessage =
  | { readonly tag: "begin"; readonly finalLsn: bigint; readonly xid: number }
  | { readonly tag: "commit"; readonly commitLsn: bigint; readonly endLsn: bigint }
  | {
      readonly tag: "relation";
      readonly relationId: number;
      readonly schema: string;
      readonly table: string;
      /** `d` default (primary key), `n` nothing, `f` full, `i` index. */
      readonly replicaIdentity: string;
      readonly columns: readonly RelationColumn[];
    }
  | { readonly tag: "insert"; readonly relationId: number; readonly newTuple: TupleValue[] }
  | {
      readonly tag: "update";
      readonly relationId: number;
      /** The old row: key columns only (`K`), the full row (`O`, REPLICA IDENTITY FULL), or absent. */
      readonly oldTuple: TupleValue[] | null;
      readonly oldIsKeyOnly: boolean;
      readonly newTuple: TupleValue[];
    }
  | {
      readonly tag: "delete";
      readonly relationId: number;
      readonly oldTuple: TupleValue[];
      readonly oldIsKeyOnly: boolean;
    }
  | { readonly tag: "truncate"; readonly relationIds: readonly number[] }
  | { readonly tag: "other"; readonly kind: string };

class Cursor {
  readonly buffer: Buffer;
  offset: number;

  constructor(buffer: Buffer, offset: number) {
    this.buffer = buffer;
    this.offset = offset;
  }

  u8(): number {
    return this.buffer.readUInt8(this.offset++);
  }

  i16(): number {
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  i32(): number {
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  u32(): number {
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    const v = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  cstring(): string {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0) throw new Error("pgoutput: unterminated string");
    const s = this.buffer.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return s;
  }

  tuple(): TupleValue[] {
    const count = this.i16();
    const values: TupleValue[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const kind = this.u8();
      if (kind === 0x6e /* n */) values[i] = null;
      else if (kind === 0x75 /* u */) values[i] = UNCHANGED_TOAST;
      else if (kind === 0x74 /* t */ || kind === 0x62 /* b */) {
        const length = this.i32();
        values[i] = this.buffer.toString("utf8", this.offset, this.offset + length);
        this.offset += length;
      } else throw new Error(`pgoutput: unknown tuple value kind 0x${kind.toString(16)}`);
    }
    return values;
  }
}

/** Decodes one pgoutput message starting at `offset` of `buffer` (the XLogData payload). */
export function decodePgOutput(buffer: Buffer, offset = 0): PgOutputMessage {
  const c = new Cursor(buffer, offset);
  const tag = String.fromCharCode(c.u8());
  switch (tag) {
    case "B": {
      const finalLsn = c.u64();
      c.offset += 8; // commit timestamp
      return { tag: "begin", finalLsn, xid: c.u32() };
    }
    case "C": {
      c.offset += 1; // flags
      const commitLsn = c.u64();
      return { tag: "commit", commitLsn, endLsn: c.u64() };
    }
    case "R": {
      const relationId = c.u32();
      const schema = c.cstring();
      const table = c.cstring();
      const replicaIdentity = String.fromCharCode(c.u8());
      const count = c.i16();
      const columns: RelationColumn[] = [];
      for (let i = 0; i < count; i++) {
        const flags = c.u8();
        const name = c.cstring();
        const typeOid = c.u32();
        const typeModifier = c.i32();
        columns.push({ name, typeOid, typeModifier, isKey: (flags & 1) === 1 });
      }
      return { tag: "relation", relationId, schema, table, replicaIdentity, columns };
    }
    case "I": {
      const relationId = c.u32();
      c.offset += 1; // 'N'
      return { tag: "insert", relationId, newTuple: c.tuple() };
    }
    case "U": {
      const relationId = c.u32();
      let marker = String.fromCharCode(c.u8());
      let oldTuple: TupleValue[] | null = null;
      const oldIsKeyOnly = marker === "K";
      if (marker === "K" || marker === "O") {
        oldTuple = c.tuple();
        marker = String.fromCharCode(c.u8());
      }
      if (marker !== "N") throw new Error(`pgoutput: update without a new tuple (marker ${marker})`);
      return { tag: "update", relationId, oldTuple, oldIsKeyOnly, newTuple: c.tuple() };
    }
    case "D": {
      const relationId = c.u32();
      const marker = String.fromCharCode(c.u8());
      return { tag: "delete", relationId, oldIsKeyOnly: marker === "K", oldTuple: c.tuple() };
    }
    case "T": {
      const count = c.i32();
      c.offset += 1; // options
      const relationIds: number[] = [];
      for (let i = 0; i < count; i++) relationIds.push(c.u32());
      return { tag: "truncate", relationIds };
    }
    default:
      return { tag: "other", kind: tag };
  }
}
