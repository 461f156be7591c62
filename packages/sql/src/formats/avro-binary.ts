/**
 * Avro's binary encoding of primitive values (Avro specification, "Binary Encoding"): zig-zag
 * varint int and long, little-endian IEEE float and double, length-prefixed bytes and UTF-8
 * strings. The `avro` format composes these into records; nothing here knows a schema.
 *
 * Invariants: the reader never reads past its input — a short datum, an overlong varint or a
 * negative length is a `FormatError` naming the byte offset; invalid UTF-8 throws (the decoder is
 * fatal), for the format to report.
 * @module
 */

import { FormatError } from "./row-format.ts";

/** A growable byte buffer with Avro's primitive encodings. */
export class AvroWriter {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  length = 0;

  #reserve(n: number): void {
    if (this.length + n <= this.#bytes.length) return;
    const next = new Uint8Array(Math.max(this.#bytes.length * 2, this.length + n));
    next.set(this.#bytes.subarray(0, this.length));
    this.#bytes = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.#reserve(1);
    this.#bytes[this.length++] = b;
  }

  /** Zig-zag varint of a 32-bit int. */
  int(value: number): void {
    let n = ((value << 1) ^ (value >> 31)) >>> 0;
    this.#reserve(5);
    while (n > 0x7f) {
      this.#bytes[this.length++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.#bytes[this.length++] = n;
  }

  /** Zig-zag varint of a 64-bit long. */
  long(value: bigint | number): void {
    if (
      typeof value === "number" &&
      Number.isSafeInteger(value) &&
      value >= -0x40000000 &&
      value < 0x40000000
    ) {
      this.int(value);
      return;
    }
    let n = BigInt.asUintN(64, (BigInt(value) << 1n) ^ (BigInt(value) >> 63n));
    this.#reserve(10);
    while (n > 0x7fn) {
      this.#bytes[this.length++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.#bytes[this.length++] = Number(n);
  }

  float(value: number): void {
    this.#reserve(4);
    this.#view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  double(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(value: Uint8Array): void {
    this.int(value.length);
    this.#reserve(value.length);
    this.#bytes.set(value, this.length);
    this.length += value.length;
  }

  string(value: string): void {
    this.bytes(encoder.encode(value));
  }

  take(): Uint8Array {
    const out = this.#bytes.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** A cursor over one Avro datum; every read checks that the bytes it needs are there. */
export class AvroReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  position = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(n: number): void {
    if (this.position + n > this.#bytes.length)
      throw new FormatError(`truncated Avro data at byte ${this.position} (needs ${n} more)`);
  }

  long(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      this.#need(1);
      const b = this.#bytes[this.position++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new FormatError(`malformed Avro varint at byte ${this.position}`);
    }
    return BigInt.asIntN(64, (result >> 1n) ^ -(result & 1n));
  }

  /** Zig-zag varint of a 32-bit int, in plain number arithmetic (no sign trouble at 2^31). */
  int(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      this.#need(1);
      const b = this.#bytes[this.position++]!;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
      if (i === 4) throw new FormatError(`Avro int too long at byte ${this.position}`);
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  byte(): number {
    this.#need(1);
    return this.#bytes[this.position++]!;
  }

  float(): number {
    this.#need(4);
    const v = this.#view.getFloat32(this.position, true);
    this.position += 4;
    return v;
  }

  double(): number {
    this.#need(8);
    const v = this.#view.getFloat64(this.position, true);
    this.position += 8;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.int();
    if (n < 0) throw new FormatError(`negative Avro length ${n} at byte ${this.position}`);
    this.#need(n);
    const out = this.#bytes.slice(this.position, this.position + n);
    this.position += n;
    return out;
  }

  string(): string {
    const n = this.int();
    if (n < 0) throw new FormatError(`negative Avro length ${n} at byte ${this.position}`);
    this.#need(n);
    const text = decoder.decode(this.#bytes.subarray(this.position, this.position + n));
    this.position += n;
    return text;
  }

  get remaining(): number {
    return this.#bytes.length - this.position;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
