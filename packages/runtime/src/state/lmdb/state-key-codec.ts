/**
 * How keyed state is laid out in the LMDB backend: one database entry per (state, key), under a
 * binary key that starts with the key group, so a subtask's key-group range is one contiguous
 * range of the database and a blob entry says its key group without decoding anything.
 *
 * ```text
 * key:   u16 key group (BE) | u16 state index (BE) | u8 id tag | id bytes
 *        tags: 0 null, 1 false, 2 true, 3 number (f64 BE), 4 string (UTF-8), 5 bigint (decimal)
 * value: a batch-codec frame of [value] or, when the key's canonical id is not the key itself
 *        (composite keys, escaped strings), [value, original key]
 * ```
 * Invariant: `decodeStateKeyId(encodeStateKey(g, s, id))` is `id` for every KeyId, and the value
 * codec keeps bigints, Maps and Dates (the exchange's versioned codec).
 * @module
 */

import type { KeyValue } from "@weir/api";
import { decodeBatch, encodeBatch } from "../../codec/batch-codec.ts";
import type { KeyId } from "../state-backend.ts";

export const KEY_HEADER_BYTES = 5;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

export function encodeStateKey(group: number, state: number, id: KeyId): Buffer {
  let body: Uint8Array | undefined;
  let tag: number;
  if (id === null) tag = 0;
  else if (id === false) tag = 1;
  else if (id === true) tag = 2;
  else if (typeof id === "number") {
    tag = 3;
    body = new Uint8Array(8);
    new DataView(body.buffer).setFloat64(0, id);
  } else if (typeof id === "string") {
    tag = 4;
    body = utf8.encode(id);
  } else {
    tag = 5;
    body = utf8.encode(id.toString());
  }
  const key = Buffer.allocUnsafe(KEY_HEADER_BYTES + (body?.length ?? 0));
  key.writeUInt16BE(group, 0);
  key.writeUInt16BE(state, 2);
  key[4] = tag;
  if (body !== undefined) key.set(body, KEY_HEADER_BYTES);
  return key;
}

export function keyGroupOfStateKey(key: Uint8Array): number {
  return (key[0]! << 8) | key[1]!;
}

export function stateIndexOfStateKey(key: Uint8Array): number {
  return (key[2]! << 8) | key[3]!;
}

/** The key with another state index (restoring into a backend that declares states in another order). */
export function withStateIndex(key: Uint8Array, state: number): Buffer {
  const copy = Buffer.from(key);
  copy.writeUInt16BE(state, 2);
  return copy;
}

export function decodeStateKeyId(key: Uint8Array, where: string): KeyId {
  if (key.length < KEY_HEADER_BYTES)
    throw new Error(`${where}: state key of ${key.length} bytes is too short`);
  const body = key.subarray(KEY_HEADER_BYTES);
  switch (key[4]) {
    case 0:
      return null;
    case 1:
      return false;
    case 2:
      return true;
    case 3:
      if (body.length !== 8) throw new Error(`${where}: number key with ${body.length} bytes (expected 8)`);
      return new DataView(body.buffer, body.byteOffset, 8).getFloat64(0);
    case 4:
      return fromUtf8.decode(body);
    case 5:
      return BigInt(fromUtf8.decode(body));
    default:
      throw new Error(`${where}: unknown state key tag ${key[4]}`);
  }
}

export function encodeStateValue(value: unknown, id: KeyId, key: KeyValue): Uint8Array {
  return encodeBatch([id === key ? [value] : [value, key]], 1, null);
}

/** The stored value and the original key (`id` itself unless the value says otherwise). */
export function decodeStateValue(bytes: Uint8Array, id: KeyId): { value: unknown; key: KeyValue } {
  const record = decodeBatch(bytes).records[0] as unknown[];
  return { value: record[0], key: (record.length > 1 ? record[1] : id) as KeyValue };
}
