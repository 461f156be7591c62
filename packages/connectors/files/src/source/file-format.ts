/**
 * How the file source turns files into records: a line format (one record per line, or a record
 * continuing over lines, e.g. quoted CSV) or a bulk format (a whole file with its own structure,
 * e.g. Parquet). Formats hold functions, so the source builds their decoders in each reader's
 * thread (`createDecoder`), never ships them.
 *
 * Contract of a decoder: it returns the record, `null` to skip it silently (a format's own
 * leniency, such as `json.ignore-parse-errors` returning null), or throws an `Error` whose message
 * says what is wrong (a field and a reason); the source adds where — file and line — and applies its
 * bad-record policy. Worked example (JSON lines of `(id INT)`):
 * ```text
 * decode('{"id": 1}', split)    → [1]
 * decode('{"id": "x"}', split)  → throws "field 'id': cannot read "x" as INT"
 *                               → policy fail: "/data/a.jsonl:2: field 'id': cannot read …"
 * ```
 * @module
 */

import type { FileSplit } from "./file-split.ts";

/** Decodes the lines of a line format. @public */
export interface LineDecoder<T> {
  decode(text: string, split: FileSplit): T | null;
  /** True when `text` is an incomplete record that continues on the next line. */
  continuesOnNextLine?(text: string): boolean;
  /**
   * Called when `decode` returned null (a record the format skips by itself): the reason, or
   * undefined when the skip is not an error (e.g. a comment line). Skips with a reason are counted
   * and logged as drops.
   */
  skipReason?(text: string): string | undefined;
}

/** @public */
export interface LineFormat<T> {
  readonly kind: "lines";
  /** True when every record is one line, so large files may be cut into byte ranges. */
  readonly splittable: boolean;
  createDecoder(): LineDecoder<T>;
}

/** One batch of a bulk file: the records of rows `[fromRow, nextRow)`. @public */
export interface BulkBatch<T> {
  readonly records: readonly T[];
  readonly nextRow: number;
  /** True when the file has no rows at or after `nextRow`. */
  readonly done: boolean;
}

/** Reads bulk files a batch (e.g. a Parquet row group) at a time. @public */
export interface BulkDecoder<T> {
  /** The rows of `split`'s file starting at row `fromRow`; rejects with what is wrong. */
  read(split: FileSplit, fromRow: number): Promise<BulkBatch<T>>;
  /** Forgets what it cached of a file. */
  release(split: FileSplit): void;
}

/** @public */
export interface BulkReadFormat<T> {
  readonly kind: "bulk";
  createDecoder(): BulkDecoder<T>;
}

/** @public */
export type FileReadFormat<T> = LineFormat<T> | BulkReadFormat<T>;

/**
 * A record the source could not decode, as written to a dead-letter sink. @public
 */
export interface FileDeadLetter {
  /** Absolute path of the file. */
  readonly path: string;
  /** 1-based line of the record's first line; null when unknown (inside a byte range) or bulk. */
  readonly line: number | null;
  /** Line formats: byte offset of the record; bulk formats: index of the first row not read. */
  readonly offset: number;
  /** The record's text; null for bulk formats (a corrupt file has no record text). */
  readonly raw: string | null;
  readonly error: string;
}
