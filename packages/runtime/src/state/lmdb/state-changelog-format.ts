/**
 * The payload of one state blob (framed and checksummed by the checkpoint file format): the names
 * of the states its keys refer to, then raw entries — puts carry the database's key and value
 * bytes unchanged, deletions only the key. Raw bytes mean a snapshot never decodes values, and a
 * restore into LMDB writes them back as they are.
 *
 * ```text
 * "WSCL" | u8 version (1) | u16 state count | per state: u16 length, UTF-8 name
 * entries until the end: u8 op (1 put, 2 delete) | u32 key length | key | [u32 value length | value]
 * ```
 * Invariant: `decodeStateBlob(encode…)` yields the entries in the order written; any truncation or
 * unknown op throws an error naming the blob and the byte offset.
 * @module
 */

const MAGIC = [0x57, 0x53, 0x43, 0x4c];
const VERSION = 1;
export const OP_PUT = 1;
export const OP_DELETE = 2;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Accumulates entries of one blob in one growing buffer; `finish` returns the payload. */
export class StateBlobBuilder {
  #buffer: Buffer;
  #length = 0;
  entries = 0;

  constructor(states: readonly string[]) {
    const names = states.map((name) => utf8.encode(name));
    this.#buffer = Buffer.allocUnsafe(1 << 20);
    this.#reserve(7 + names.reduce((sum, n) => sum + 2 + n.length, 0));
    const buffer = this.#buffer;
    buffer.set(MAGIC, 0);
    buffer[4] = VERSION;
    buffer.writeUInt16BE(names.length, 5);
    let offset = 7;
    for (const name of names) {
      buffer.writeUInt16BE(name.length, offset);
      buffer.set(name, offset + 2);
      offset += 2 + name.length;
    }
    this.#length = offset;
  }

  get bytes(): number {
    return this.#length;
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#reserve(9 + key.length + value.length);
    const buffer = this.#buffer;
    let at = this.#length;
    buffer[at] = OP_PUT;
    buffer.writeUInt32BE(key.length, at + 1);
    buffer.set(key, at + 5);
    at += 5 + key.length;
    buffer.writeUInt32BE(value.length, at);
    buffer.set(value, at + 4);
    this.#length = at + 4 + value.length;
    this.entries++;
  }

  delete(key: Uint8Array): void {
    this.#reserve(5 + key.length);
    const buffer = this.#buffer;
    const at = this.#length;
    buffer[at] = OP_DELETE;
    buffer.writeUInt32BE(key.length, at + 1);
    buffer.set(key, at + 5);
    this.#length = at + 5 + key.length;
    this.entries++;
  }

  /** The payload (a view of the builder's buffer; the builder must not be used afterwards). */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}

export interface StateBlobEntry {
  readonly op: typeof OP_PUT | typeof OP_DELETE;
  readonly key: Uint8Array;
  /** Undefined for deletions. */
  readonly value: Uint8Array | undefined;
}

/** The state names of a blob and an iterator over its entries (views into `payload`). */
export function decodeStateBlob(
  payload: Uint8Array,
  where: string,
): { states: string[]; entries: Iterable<StateBlobEntry> } {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const fail = (offset: number, problem: string): never => {
    throw new Error(`state blob ${JSON.stringify(where)} is damaged at byte ${offset}: ${problem}`);
  };
  if (bytes.length < 7 || MAGIC.some((b, i) => bytes[i] !== b)) fail(0, "not a state blob (bad magic)");
  if (bytes[4] !== VERSION) fail(4, `unsupported version ${bytes[4]}`);
  const count = bytes.readUInt16BE(5);
  const states: string[] = [];
  let offset = 7;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > bytes.length) fail(offset, "truncated state names");
    const length = bytes.readUInt16BE(offset);
    if (offset + 2 + length > bytes.length) fail(offset, "truncated state name");
    states.push(fromUtf8.decode(bytes.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  const start = offset;
  function* entries(): Generator<StateBlobEntry> {
    let at = start;
    while (at < bytes.length) {
      const op = bytes[at];
      if (op !== OP_PUT && op !== OP_DELETE) fail(at, `unknown entry op ${op}`);
      if (at + 5 > bytes.length) fail(at, "truncated entry header");
      const keyLength = bytes.readUInt32BE(at + 1);
      const keyEnd = at + 5 + keyLength;
      if (keyEnd > bytes.length) fail(at, "truncated key");
      const key = bytes.subarray(at + 5, keyEnd);
      if (op === OP_DELETE) {
        at = keyEnd;
        yield { op: OP_DELETE, key, value: undefined };
        continue;
      }
      if (keyEnd + 4 > bytes.length) fail(keyEnd, "truncated value length");
      const valueEnd = keyEnd + 4 + bytes.readUInt32BE(keyEnd);
      if (valueEnd > bytes.length) fail(keyEnd, "truncated value");
      at = valueEnd;
      yield { op: OP_PUT, key, value: bytes.subarray(keyEnd + 4, valueEnd) };
    }
  }
  return { states, entries: entries() };
}
