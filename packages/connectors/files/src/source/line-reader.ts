/**
 * Reads one split's lines with their byte offsets, in chunks with synchronous reads, never a whole
 * file at once. A reader of a range not starting the file first skips the line running through its
 * start (it belongs to the previous range); `next` stops at the range's end, `continuation` reads on
 * past it (a record that continues on the next line).
 *
 * Invariant: `position` is the file offset of the first byte not yet returned, so a split restored
 * at `position` (between records) reads exactly the remaining records.
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";
import type { FileSplit } from "./file-split.ts";

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

export class LineReader {
  readonly #fd: number;
  readonly #end: number;
  #buffer: Buffer = Buffer.alloc(0);
  /** File offset of `#buffer[0]`. */
  #bufferStart: number;
  #pos = 0;
  #eof = false;
  /** File offset where the last line returned by `next` started. */
  lineStart = 0;

  constructor(split: FileSplit) {
    this.#fd = openSync(split.path, "r");
    this.#end = split.end;
    this.#bufferStart = split.position;
    if (split.position === split.start && split.start > 0) {
      // Not at a known line start: the line running through `start` belongs to the previous range.
      this.#bufferStart = split.start - 1;
      this.#nextRaw();
    }
  }

  /** The next line of the split without its terminator, or null when the split is done. */
  next(): string | null {
    if (this.#bufferStart + this.#pos >= this.#end) return null;
    return this.#nextRaw();
  }

  /** The next line regardless of the split's end (a record continuing past it). */
  #nextRaw(): string | null {
    for (;;) {
      const newline = this.#buffer.indexOf(NEWLINE, this.#pos);
      if (newline >= 0 || (this.#eof && this.#pos < this.#buffer.length)) {
        const stop = newline >= 0 ? newline : this.#buffer.length;
        const end = stop > this.#pos && this.#buffer[stop - 1] === CARRIAGE_RETURN ? stop - 1 : stop;
        this.lineStart = this.#bufferStart + this.#pos;
        const line = this.#buffer.toString("utf8", this.#pos, end);
        this.#pos = newline >= 0 ? newline + 1 : this.#buffer.length;
        return line;
      }
      if (this.#eof) return null;
      const tail = this.#buffer.subarray(this.#pos);
      const chunk = Buffer.allocUnsafe(tail.length + CHUNK_BYTES);
      tail.copy(chunk);
      const read = readSync(
        this.#fd,
        chunk,
        tail.length,
        CHUNK_BYTES,
        this.#bufferStart + this.#pos + tail.length,
      );
      if (read === 0) this.#eof = true;
      this.#bufferStart += this.#pos;
      this.#buffer = chunk.subarray(0, tail.length + read);
      this.#pos = 0;
    }
  }

  /** The line after the last one, for a record that continues (never stops at the split's end). */
  continuation(): string | null {
    return this.#nextRaw();
  }

  /** File offset of the next unread byte: where the next record starts once a record is complete. */
  get position(): number {
    return this.#bufferStart + this.#pos;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
