/**
 * Length-prefixed framing for byte streams (TCP): every frame is a u32 little-endian length
 * followed by that many bytes. The decoder reassembles frames from arbitrary chunk boundaries.
 *
 * Invariant: a frame longer than `maxFrameBytes` is refused before any of it is buffered, so a
 * peer that sends garbage (or a hostile length) cannot make the receiver allocate without bound.
 *
 * Example: chunks `[05 00 00 00 68 65]`, `[6c 6c 6f 01 00 00 00 21]` -> frames "hello", "!".
 * @module
 */

export const LENGTH_PREFIX_BYTES = 4;

export class FrameTooLargeError extends Error {
  override name = "FrameTooLargeError";
}

export class LengthPrefixedDecoder {
  readonly #maxFrameBytes: number;
  readonly #onFrame: (frame: Buffer) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(maxFrameBytes: number, onFrame: (frame: Buffer) => void) {
    this.#maxFrameBytes = maxFrameBytes;
    this.#onFrame = onFrame;
  }

  /** Feeds one chunk; calls `onFrame` for every frame it completes, in order. */
  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes < LENGTH_PREFIX_BYTES) return;
    let buffer = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    let offset = 0;
    while (buffer.length - offset >= LENGTH_PREFIX_BYTES) {
      const length = buffer.readUInt32LE(offset);
      if (length > this.#maxFrameBytes)
        throw new FrameTooLargeError(
          `frame of ${length} bytes exceeds the limit of ${this.#maxFrameBytes} bytes`,
        );
      if (buffer.length - offset - LENGTH_PREFIX_BYTES < length) break;
      const start = offset + LENGTH_PREFIX_BYTES;
      this.#onFrame(buffer.subarray(start, start + length));
      offset = start + length;
    }
    if (offset === buffer.length) {
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    buffer = buffer.subarray(offset);
    this.#pending = [buffer];
    this.#pendingBytes = buffer.length;
  }
}

/** The 4-byte length prefix of a frame whose body is `bodyBytes` long. */
export function lengthPrefix(bodyBytes: number): Buffer {
  const prefix = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES);
  prefix.writeUInt32LE(bodyBytes, 0);
  return prefix;
}
