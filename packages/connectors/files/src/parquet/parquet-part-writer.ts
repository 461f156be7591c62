/**
 * Writes one Parquet part file for the file sink's bulk path: rows are buffered column by column
 * and written as a row group (through hyparquet-writer) every `rowGroupRows` rows; `finish` writes
 * the last row group and the footer. The file is incomplete — unreadable — until `finish`, which is
 * why bulk formats roll on every checkpoint: a pending part must be a complete file.
 *
 * Invariant: every byte hyparquet-writer produces reaches the file descriptor in order (the buffer
 * is handed to `writeSync` after each row group and at the end); the sink fsyncs after `finish`.
 * @module
 */

import { writeSync } from "node:fs";
import type { SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { BulkPartWriter } from "../file-sink.ts";
import { PARQUET_COMPRESSORS } from "./parquet-codecs.ts";
import type { ParquetCodec } from "./parquet-schema.ts";

/** A ByteWriter that empties its buffer into a file descriptor whenever hyparquet flushes. */
class FdWriter extends ByteWriter {
  readonly #fd: number;

  constructor(fd: number) {
    super(1 << 16);
    this.#fd = fd;
  }

  flush(): void {
    if (this.index === 0) return;
    writeSync(this.#fd, new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

export interface ParquetPartOptions<T> {
  /** Flattened schema, root first. */
  readonly schema: readonly SchemaElement[];
  /** The top-level column names, in schema order. */
  readonly names: readonly string[];
  /** Column `i`'s value of a record, as hyparquet-writer takes it. */
  readonly columns: readonly ((record: T) => unknown)[];
  readonly codec: ParquetCodec;
  readonly rowGroupRows: number;
}

export class ParquetPartWriter<T> implements BulkPartWriter<T> {
  readonly #options: ParquetPartOptions<T>;
  readonly #out: FdWriter;
  readonly #writer: ParquetWriter;
  readonly #names: string[];
  #buffered: unknown[][];
  #rows = 0;

  constructor(fd: number, options: ParquetPartOptions<T>) {
    this.#options = options;
    this.#out = new FdWriter(fd);
    this.#writer = new ParquetWriter({
      writer: this.#out,
      schema: [...options.schema],
      codec: options.codec,
      compressors: PARQUET_COMPRESSORS,
      createdBy: "weir",
    });
    this.#names = [...options.names];
    this.#buffered = this.#names.map(() => []);
  }

  /** Bytes of the row groups written so far (not the 4-byte header): size rolling sees whole groups. */
  get bytesWritten(): number {
    return this.#out.offset - 4;
  }

  add(record: T): void {
    const columns = this.#options.columns;
    for (let i = 0; i < columns.length; i++) this.#buffered[i]!.push(columns[i]!(record));
    if (++this.#rows >= this.#options.rowGroupRows) this.#writeRowGroup();
  }

  #writeRowGroup(): void {
    if (this.#rows === 0) return;
    const columnData = this.#names.map((name, i) => ({ name, data: this.#buffered[i]! }));
    // Synchronous: FdWriter.flush returns nothing, so hyparquet-writer never defers a group.
    void this.#writer.write({ columnData, rowGroupSize: this.#rows });
    this.#buffered = this.#names.map(() => []);
    this.#rows = 0;
  }

  finish(): void {
    this.#writeRowGroup();
    void this.#writer.finish();
  }
}
