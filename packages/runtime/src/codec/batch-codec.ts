/**
 * The binary frame that carries a batch of records (and optionally their timestamps) across a
 * thread or process boundary. Invariants: a frame is self-contained (record structures are defined
 * inside it, so a decoder with no shared state reads it), the returned bytes own their whole
 * ArrayBuffer (safe to transfer), and decoded values never alias the frame (it can be reused).
 *
 * Layout, all integers little-endian:
 *
 *   offset 0   u8   format version (FORMAT_VERSION)
 *   offset 1   u8   flags: bit 0 = timestamps present; other bits must be 0
 *   offset 2   u16  reserved, 0
 *   offset 4   u32  record count
 *   offset 8   u32  payload byte length
 *   offset 12  u32  reserved, 0
 *   offset 16  f64 × count  timestamps, if flagged (8-byte aligned so they copy as one block)
 *   then       the msgpackr payload: one array of `count` records
 *
 * The payload length is in the header so that truncation and trailing bytes are reported as
 * "expected N bytes, got M" rather than as whatever msgpackr makes of a cut-off value.
 *
 * What survives the trip: plain objects (as records: one structure per shape per batch), arrays,
 * strings, every number (-0, NaN, ±Infinity, integers beyond 2^32), bigints of any size (as
 * bigints), booleans, null, undefined (as a record or a field), Uint8Array and the other typed
 * arrays, Date, Map, Set. What does not, because msgpackr cannot keep it:
 * - lone UTF-16 surrogates become U+FFFD (MessagePack strings are UTF-8);
 * - a field named "__proto__" comes back as "__proto_" (msgpackr's prototype-pollution guard);
 * - class instances come back as plain objects of their own fields (or their toJSON result),
 *   Buffers as plain Uint8Arrays, and a -0 inside a class instance as 0.
 */

import { Packr, RESET_BUFFER_MODE, Unpackr } from "msgpackr";
import { containsNegativeZero, markNegativeZeros } from "./negative-zero.ts";

export const FORMAT_VERSION = 1;
export const FLAG_TIMESTAMPS = 0b1;
const KNOWN_FLAGS = FLAG_TIMESTAMPS;
export const HEADER_BYTES = 16;
const MAX_U32 = 0xffffffff;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The decoded form of a frame. */
export interface DecodedBatch {
  records: unknown[];
  timestamps: Float64Array | null;
}

// Options shared by both sides so that what one writes the other reads the same way.
const codecOptions = {
  // Objects become records; with no `structures` array and no `sequential`, msgpackr writes each
  // shape's definition inline, the first time it occurs in a pack() call, and forgets it after:
  // every batch is self-contained.
  useRecords: true,
  // Map, Set, typed arrays and Error keep their types; bigints beyond 64 bits use an extension.
  moreTypes: true,
  useBigIntExtension: true,
  // Decoded Uint8Arrays are copies, not views of the frame, which the exchange may recycle.
  copyBuffers: true,
  // Not `bundleStrings`: it helps decoders without msgpackr's native string addon, which Node
  // has; measured here it made frames larger and encoding slower.
} as const;

const packr = new Packr(codecOptions);
// A separate instance: a Packr's own unpack() would read the packer's structures array.
const unpackr = new Unpackr(codecOptions);

/**
 * Encodes `records[0..count)` (and `timestamps[0..count)` if given) into a frame that owns its
 * ArrayBuffer exactly, ready for a postMessage transfer list.
 */
export function encodeBatch(
  records: readonly unknown[],
  count: number,
  timestamps: Float64Array | null,
): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(count) || count < 0 || count > records.length || count > MAX_U32) {
    throw new RangeError(`count must be an integer in [0, records.length = ${records.length}], got ${count}`);
  }
  if (timestamps !== null && timestamps.length < count) {
    throw new RangeError(`timestamps has ${timestamps.length} entries, fewer than count = ${count}`);
  }
  let batch: unknown = count === records.length ? records : records.slice(0, count);
  if (containsNegativeZero(batch)) batch = markNegativeZeros(batch);
  // RESET_BUFFER_MODE: msgpackr reuses the same scratch area for the next batch, which is safe
  // because the payload is copied out below before anything else can pack.
  const payload = packr.pack(batch, RESET_BUFFER_MODE);
  if (payload.length > MAX_U32) throw new RangeError(`batch payload of ${payload.length} bytes is too large`);

  const timestampBytes = timestamps === null ? 0 : count * 8;
  const payloadOffset = HEADER_BYTES + timestampBytes;
  const frame = new Uint8Array(payloadOffset + payload.length);
  frame[0] = FORMAT_VERSION;
  frame[1] = timestamps === null ? 0 : FLAG_TIMESTAMPS;
  writeU32(frame, 4, count);
  writeU32(frame, 8, payload.length);
  if (timestamps !== null && count > 0) writeTimestamps(frame, timestamps, count);
  frame.set(payload, payloadOffset);
  return frame;
}

/**
 * Decodes a frame made by encodeBatch. Throws an Error saying what is wrong (version, flags,
 * expected and actual lengths, record count) for any corruption it can detect.
 */
export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  if (bytes.length < HEADER_BYTES) {
    throw new Error(
      `Corrupt batch frame: ${bytes.length} bytes is shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  const version = bytes[0] as number;
  if (version !== FORMAT_VERSION) {
    throw new Error(
      `Unsupported batch frame version ${version} (this runtime reads version ${FORMAT_VERSION})`,
    );
  }
  const flags = bytes[1] as number;
  if ((flags & ~KNOWN_FLAGS) !== 0 || bytes[2] !== 0 || bytes[3] !== 0 || readU32(bytes, 12) !== 0) {
    throw new Error(
      `Corrupt batch frame: unknown flags 0x${flags.toString(16)} or non-zero reserved header bytes`,
    );
  }
  const count = readU32(bytes, 4);
  const payloadLength = readU32(bytes, 8);
  const hasTimestamps = (flags & FLAG_TIMESTAMPS) !== 0;
  const payloadOffset = HEADER_BYTES + (hasTimestamps ? count * 8 : 0);
  const expectedLength = payloadOffset + payloadLength;
  if (bytes.length !== expectedLength) {
    throw new Error(
      `Corrupt batch frame: header announces ${count} records${hasTimestamps ? " with timestamps" : ""} and a ` +
        `${payloadLength}-byte payload, so ${expectedLength} bytes, but the frame has ${bytes.length} bytes` +
        (bytes.length < expectedLength ? " (truncated?)" : ""),
    );
  }

  let records: unknown;
  try {
    // A subarray, so msgpackr's cached DataView lands on our view, not on the caller's object.
    records = unpackr.unpack(bytes.subarray(payloadOffset, expectedLength));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `Corrupt batch frame: the ${payloadLength}-byte record payload does not decode: ${reason}`,
      {
        cause,
      },
    );
  }
  if (!Array.isArray(records) || records.length !== count) {
    const got = Array.isArray(records) ? `an array of ${records.length}` : `a ${typeof records}`;
    throw new Error(`Corrupt batch frame: header announces ${count} records, payload holds ${got}`);
  }
  return { records, timestamps: hasTimestamps ? readTimestamps(bytes, count) : null };
}

function writeU32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value & 0xff;
  target[offset + 1] = (value >>> 8) & 0xff;
  target[offset + 2] = (value >>> 16) & 0xff;
  target[offset + 3] = value >>> 24;
}

function readU32(source: Uint8Array, offset: number): number {
  return (
    ((source[offset] as number) |
      ((source[offset + 1] as number) << 8) |
      ((source[offset + 2] as number) << 16) |
      ((source[offset + 3] as number) << 24)) >>>
    0
  );
}

function writeTimestamps(frame: Uint8Array, timestamps: Float64Array, count: number): void {
  if (LITTLE_ENDIAN) {
    // One memcpy: the host's float layout is the wire layout.
    frame.set(new Uint8Array(timestamps.buffer, timestamps.byteOffset, count * 8), HEADER_BYTES);
    return;
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  for (let i = 0; i < count; i++) view.setFloat64(HEADER_BYTES + i * 8, timestamps[i] as number, true);
}

/** Copies the timestamps out, so the result does not keep (or alias) the frame's buffer. */
function readTimestamps(bytes: Uint8Array, count: number): Float64Array {
  const timestamps = new Float64Array(count);
  if (LITTLE_ENDIAN) {
    // Byte copy: works whatever the frame's alignment in its buffer.
    new Uint8Array(timestamps.buffer).set(bytes.subarray(HEADER_BYTES, HEADER_BYTES + count * 8));
    return timestamps;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) timestamps[i] = view.getFloat64(HEADER_BYTES + i * 8, true);
  return timestamps;
}
