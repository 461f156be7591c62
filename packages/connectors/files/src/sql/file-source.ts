/**
 * The bounded file source of the SQL `filesystem` connector: splits over the files under the
 * table's path (hidden `.`/`_` files skipped, as Flink and Hadoop do), records read line by line and
 * decoded by a row format.
 *
 * Splits. A file of a line-splittable format (one record per line: JSON lines, raw) larger than
 * {@link MIN_SPLIT_BYTES} is cut into byte ranges so that parallel readers share it; other files
 * (CSV, whose quoted fields may span lines) are one split each. A range owns every line that
 * *starts* inside it: a reader of a range not starting at 0 skips to the first line start at or
 * after it, and reads the last line past its end. Every line is read by exactly one split:
 * ```text
 * file: a\nbb\nccc\n     ranges [0, 4) and [4, 9): "a" and "bb" (starts at 2) | "ccc" (starts at 5)
 * ```
 * Positions. A split's position is the byte offset of the next record, taken only between records,
 * so a restored reader seeks there and continues; a record quoted across lines is never cut. Files
 * are read in chunks with synchronous reads between records, never whole. A record that does not
 * decode fails the job with `file:line: field 'x': …` (`file (byte N)` inside a range that does not
 * start the file) unless the format skips it (`<format>.ignore-parse-errors`).
 * @module
 */

import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  Boundedness,
  InputStatus,
  type ReaderOutput,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from "@weir/api";
import { FormatError, type RowData, type RowDeserializer, RowKind, type SqlValue } from "@weir/sql";

/** Files smaller than this are never cut into ranges (a range per reader is not worth a seek). */
export const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

export interface FileSplit extends SourceSplit {
  /** Absolute path. */
  readonly path: string;
  /** Partition values from the directory names, in partition-key order (NULL = default name). */
  readonly partition: readonly (string | null)[];
  readonly size: number;
  readonly modified: number;
  /** The byte range whose line starts this split owns: `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /** Byte offset of the next record; at `start` before anything was read. */
  readonly position: number;
  /** 1-based line number of the next record, when known (the split starts the file). */
  readonly line: number | null;
}

interface EnumeratorState {
  readonly pending: readonly FileSplit[] | null;
}

/** How a file's records become rows of the table; built identically in every worker. */
export interface FileRowDecoder {
  /** The format's deserializer for the non-partition columns. */
  readonly deserializer: RowDeserializer;
  /** Completes a decoded record into the output row (partition values, metadata). */
  toRow(record: readonly SqlValue[], split: FileSplit): SqlValue[];
}

export interface FileSourceOptions {
  readonly root: string;
  readonly tableName: string;
  /** True when every record is one line, so files may be cut into byte ranges. */
  readonly splittable: boolean;
  /** Builds the decoder in the reader's thread (formats hold functions, so they are not shipped). */
  readonly decoder: () => FileRowDecoder;
  /** The partition values of a file from its path relative to the root (`/`-separated). */
  readonly partitionValuesOf: (relativeFile: string) => (string | null)[];
}

function isHidden(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_");
}

/** Every visible file under `root` (or `root` itself when it is a file), sorted by path. */
export function listFiles(root: string, tableName: string): string[] {
  if (!existsSync(root)) throw new Error(`path '${root}' of table '${tableName}' does not exist`);
  if (statSync(root).isFile()) return [root];
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (isHidden(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  walk(root);
  return files;
}

/** The splits of one file: byte ranges of about `size / parallelism` when it may be cut. */
export function fileSplits(
  file: Omit<FileSplit, "splitId" | "start" | "end" | "position" | "line">,
  splittable: boolean,
  parallelism: number,
): FileSplit[] {
  const pieces = splittable ? Math.max(1, Math.min(parallelism, Math.floor(file.size / MIN_SPLIT_BYTES))) : 1;
  const length = Math.ceil(file.size / pieces);
  const splits: FileSplit[] = [];
  for (let k = 0; k < pieces; k++) {
    const start = k * length;
    const end = k === pieces - 1 ? Number.POSITIVE_INFINITY : Math.min(file.size, (k + 1) * length);
    splits.push({
      ...file,
      splitId: `${file.path}@${start}`,
      start,
      end,
      position: start,
      line: start === 0 ? 1 : null,
    });
  }
  return splits;
}

class FileEnumerator implements SplitEnumerator<FileSplit, EnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<FileSplit>;
  readonly #options: FileSourceOptions;
  #pending: FileSplit[] | null;

  constructor(
    ctx: SplitEnumeratorContext<FileSplit>,
    options: FileSourceOptions,
    pending: readonly FileSplit[] | null,
  ) {
    this.#ctx = ctx;
    this.#options = options;
    this.#pending = pending === null ? null : [...pending];
  }

  start(): void {
    if (this.#pending !== null) return;
    const { root, tableName, splittable } = this.#options;
    const rootIsFile = existsSync(root) && statSync(root).isFile();
    this.#pending = listFiles(root, tableName).flatMap((path) => {
      const stat = statSync(path);
      const rel = rootIsFile ? path.split(sep).pop()! : relative(root, path).split(sep).join("/");
      const file = {
        path,
        partition: this.#options.partitionValuesOf(rel),
        size: stat.size,
        modified: Math.floor(stat.mtimeMs),
      };
      return fileSplits(file, splittable, this.#ctx.parallelism);
    });
  }

  addReader(): void {}

  handleSplitRequest(subtask: number): void {
    const next = this.#pending?.shift();
    if (next === undefined) this.#ctx.signalNoMoreSplits(subtask);
    else this.#ctx.assignSplits(subtask, [next]);
  }

  addSplitsBack(splits: readonly FileSplit[]): void {
    this.#pending = [...splits, ...(this.#pending ?? [])];
  }

  snapshotState(): EnumeratorState {
    return { pending: this.#pending === null ? null : [...this.#pending] };
  }

  close(): void {}
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/** Reads one split's lines with their byte offsets. */
class LineReader {
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

interface OpenSplit {
  readonly split: FileSplit;
  readonly lines: LineReader;
  /** Line number of the next line, when known. */
  line: number | null;
}

class FileReader implements SourceReader<RowData, FileSplit> {
  readonly #ctx: SourceReaderContext;
  readonly #decoder: FileRowDecoder;
  readonly #queue: FileSplit[] = [];
  #current: OpenSplit | null = null;
  #noMoreSplits = false;
  #wake: (() => void) | null = null;

  constructor(ctx: SourceReaderContext, decoder: FileRowDecoder) {
    this.#ctx = ctx;
    this.#decoder = decoder;
  }

  start(): void {
    this.#ctx.sendSplitRequest();
  }

  addSplits(splits: readonly FileSplit[]): void {
    this.#queue.push(...splits);
    this.#notify();
  }

  notifyNoMoreSplits(): void {
    this.#noMoreSplits = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  isAvailable(): Promise<void> {
    if (this.#queue.length > 0 || this.#noMoreSplits) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  pollNext(output: ReaderOutput<RowData>): InputStatus {
    const limit = this.#ctx.batchSizeHint;
    const deserializer = this.#decoder.deserializer;
    const continues = deserializer.continuesOnNextLine?.bind(deserializer);
    let emitted = 0;
    while (emitted < limit) {
      let current = this.#current;
      if (current === null) {
        const next = this.#queue.shift();
        if (next === undefined)
          return this.#noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        current = this.#current = { split: next, lines: new LineReader(next), line: next.line };
      }
      let text = current.lines.next();
      if (text === null) {
        current.lines.close();
        this.#current = null;
        this.#ctx.sendSplitRequest();
        continue;
      }
      const firstLine = current.line;
      const offset = current.lines.lineStart;
      if (current.line !== null) current.line++;
      if (text === "") continue;
      if (continues !== undefined) {
        while (continues(text)) {
          const more = current.lines.continuation();
          if (more === null) break;
          if (current.line !== null) current.line++;
          text = `${text}\n${more}`;
        }
      }
      let record: SqlValue[] | null;
      try {
        record = deserializer.deserialize(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const where =
          firstLine !== null
            ? `${current.split.path}:${firstLine}`
            : `${current.split.path} (byte ${offset})`;
        throw new FormatError(`${where}: ${reason}`);
      }
      if (record === null) continue;
      output.collect({ kind: RowKind.INSERT, fields: this.#decoder.toRow(record, current.split) });
      emitted++;
    }
    return InputStatus.MORE_AVAILABLE;
  }

  snapshotState(): readonly FileSplit[] {
    const splits: FileSplit[] = [];
    const current = this.#current;
    if (current !== null)
      splits.push({ ...current.split, position: current.lines.position, line: current.line });
    splits.push(...this.#queue);
    return splits;
  }

  close(): void {
    this.#current?.lines.close();
    this.#current = null;
  }
}

/** The bounded source over the files of one table. */
export class FileTableSource implements Source<RowData, FileSplit, EnumeratorState> {
  readonly boundedness = Boundedness.BOUNDED;
  readonly #options: FileSourceOptions;

  constructor(options: FileSourceOptions) {
    this.#options = options;
  }

  createEnumerator(ctx: SplitEnumeratorContext<FileSplit>): FileEnumerator {
    return new FileEnumerator(ctx, this.#options, null);
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<FileSplit>, state: EnumeratorState): FileEnumerator {
    return new FileEnumerator(ctx, this.#options, state.pending);
  }

  createReader(ctx: SourceReaderContext): FileReader {
    return new FileReader(ctx, this.#options.decoder());
  }
}
