/**
 * The file source (Flink's `FileSource`): reads the visible files under a path — a file or a
 * directory tree — in a line format or a bulk format (Parquet), bounded (the files present at the
 * start) or continuously monitored (`monitorIntervalMs`: new files found by a periodic scan, each
 * read once, across failures and restores).
 *
 * ```ts
 * env.fromSource(FileSource.forLines("/data/in", { decode: (line) => JSON.parse(line) }), "in");
 * env.fromSource(
 *   FileSource.forFormat("/data/events", ParquetFormat.reader({ id: "BIGINT", name: "STRING" }), {
 *     monitorIntervalMs: 10_000,
 *     badRecords: { kind: "dead-letter", sink: FileSink.forRows("/data/bad", { format: "jsonl" }) },
 *   }),
 *   "events",
 * );
 * ```
 * Exactly-once: splits carry their positions in checkpoints (see the reader), the monitored set of
 * discovered files is in the enumerator's checkpointed state (see the enumerator).
 * @module
 */

import { resolve } from "node:path";
import {
  type BadRecordPolicy,
  Boundedness,
  type Source,
  type SourceReaderContext,
  type SplitEnumeratorContext,
  validateBadRecordPolicy,
} from "@weir/api";
import { FileEnumerator, type FileEnumeratorState } from "./file-enumerator.ts";
import type { FileDeadLetter, FileReadFormat, LineDecoder } from "./file-format.ts";
import { FileSourceReader } from "./file-source-reader.ts";
import type { FileSplit } from "./file-split.ts";

/** Options of a {@link FileSource}. @public */
export interface FileSourceOptions {
  /**
   * Scan the path for new files every this many milliseconds, which makes the source unbounded
   * (Flink's `source.monitor-interval`). Default: bounded, one scan.
   */
  readonly monitorIntervalMs?: number;
  /** What to do with a record that does not decode (default `fail`, naming file and line). */
  readonly badRecords?: BadRecordPolicy<FileDeadLetter>;
  /** The name in messages and drop logs (default `FileSource(<path>)`). */
  readonly name?: string;
  /**
   * The partition values of a file from its path relative to the root (`/`-separated), kept in
   * each split's `partition`. Default: none.
   */
  readonly partitionValuesOf?: (relativeFile: string) => (string | null)[];
}

/** Options of {@link FileSource.forLines}. @public */
export interface LineSourceOptions<T> extends FileSourceOptions {
  /** One record from one line; throw to reject it (see `badRecords`), return null to skip it. */
  readonly decode: (line: string, split: FileSplit) => T | null;
  /** Whether a large file may be cut into byte ranges read in parallel (default true). */
  readonly splittable?: boolean;
}

/** @public */
export class FileSource<T> implements Source<T, FileSplit, FileEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly #root: string;
  readonly #format: FileReadFormat<T>;
  readonly #name: string;
  readonly #monitorIntervalMs: number | null;
  readonly #badRecords: BadRecordPolicy<FileDeadLetter>;
  readonly #partitionValuesOf: (relativeFile: string) => (string | null)[];

  constructor(path: string, format: FileReadFormat<T>, options: FileSourceOptions = {}) {
    this.#root = resolve(path);
    this.#format = format;
    this.#name = options.name ?? `FileSource(${this.#root})`;
    const interval = options.monitorIntervalMs;
    if (interval !== undefined && !(Number.isFinite(interval) && interval > 0))
      throw new Error(
        `${this.#name}: monitorIntervalMs must be a positive number of milliseconds, got ${interval}`,
      );
    this.#monitorIntervalMs = interval ?? null;
    this.boundedness = interval === undefined ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    this.#badRecords = validateBadRecordPolicy(options.badRecords, this.#name);
    this.#partitionValuesOf = options.partitionValuesOf ?? (() => []);
    if (format?.kind !== "lines" && format?.kind !== "bulk")
      throw new Error(`${this.#name}: format must be a line or bulk file format`);
  }

  /** A source of one record per line (or per record spanning lines, with `continuesOnNextLine`). */
  static forLines<T>(path: string, options: LineSourceOptions<T>): FileSource<T> {
    const { decode } = options;
    if (typeof decode !== "function") throw new Error("FileSource.forLines: decode must be a function");
    const decoder: LineDecoder<T> = { decode };
    return new FileSource(
      path,
      { kind: "lines", splittable: options.splittable ?? true, createDecoder: () => decoder },
      options,
    );
  }

  /** A source reading files in `format` (e.g. `ParquetFormat.reader(…)`). */
  static forFormat<T>(
    path: string,
    format: FileReadFormat<T>,
    options: FileSourceOptions = {},
  ): FileSource<T> {
    return new FileSource(path, format, options);
  }

  createEnumerator(ctx: SplitEnumeratorContext<FileSplit>): FileEnumerator {
    return new FileEnumerator(ctx, this.#enumeratorConfig(), null);
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<FileSplit>, state: FileEnumeratorState): FileEnumerator {
    return new FileEnumerator(ctx, this.#enumeratorConfig(), state);
  }

  #enumeratorConfig() {
    return {
      root: this.#root,
      name: this.#name,
      splittable: this.#format.kind === "lines" && this.#format.splittable,
      partitionValuesOf: this.#partitionValuesOf,
      monitorIntervalMs: this.#monitorIntervalMs,
    };
  }

  createReader(ctx: SourceReaderContext): FileSourceReader<T> {
    return new FileSourceReader(ctx, {
      name: this.#name,
      format: this.#format,
      badRecords: this.#badRecords,
    });
  }
}
