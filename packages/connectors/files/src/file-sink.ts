/**
 * An exactly-once file sink, after Flink's `FileSink`: rows are written to hidden in-progress part
 * files, which are closed (fsynced) at every checkpoint barrier and at the end of input, and are
 * renamed to their visible final names only when the checkpoint covering them completes.
 *
 * Layout under the sink's directory, for subtask `s` of attempt `a`:
 * ```text
 * <bucket>/.part-s-a-n.inprogress   being written, or pre-committed and awaiting its checkpoint
 * <bucket>/part-s-a-n.jsonl         committed: visible, complete, never changed again
 * ```
 * - The part counter `n` is per writer (unique across its buckets); a name already present in the
 *   bucket, pending or final (left by an earlier run into the same directory), is skipped.
 * - Names carry the attempt number, so a restarted attempt never collides with the files of the
 *   failed one. What a failed attempt wrote after its last completed checkpoint stays hidden
 *   (`.`-prefixed, `.inprogress`) forever: readers must ignore hidden files, as they do for Flink
 *   and Hadoop output. Leftovers are not deleted automatically, because a writer cannot tell them
 *   from pre-committed files that a restored checkpoint will still commit; delete them once the
 *   job has finished.
 * - Committing is idempotent: a committable whose final file exists and whose pending file does not
 *   was already committed. If neither exists the commit fails with an error naming the file, since
 *   the records it held would otherwise be lost silently.
 * - With `successFileName` (Flink's `success-file` partition-commit policy), every commit also
 *   creates an empty marker of that name in each bucket it committed files into, after renaming
 *   them. Each subtask commits on its own, so the marker says "this bucket has committed data"
 *   (first written by whichever subtask commits first), not "no more data will come": with
 *   parallelism > 1 another subtask's files of the same checkpoint may appear moments later, and a
 *   later checkpoint may add files to a bucket that has a marker — as in Flink, where a partition
 *   can be committed again when late data arrives.
 * - Bulk formats ({@link FileSink.forBulk}, e.g. Parquet) write a file that is complete only once its
 *   footer is written, so, as in Flink, their parts roll at every checkpoint (they always do here)
 *   and are finished before being fsynced and pre-committed; size rolling is checked against the
 *   bytes the format has written so far (for Parquet, at row-group boundaries).
 * @module
 */

import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import type { Committer, Sink, SinkWriter, SinkWriterContext } from "@weir/api";

/** The formats rows can be written in. @public */
export type FileFormat = "jsonl" | "csv";

/** When a part file is closed and a new one started (besides every checkpoint). @public */
export interface RollingPolicy {
  /** Roll before a record would make the part larger than this (default 128 MiB). A record larger than the limit gets a part of its own. */
  readonly maxPartBytes?: number;
  /** Roll once a part holds this many records (default: no limit). */
  readonly maxRecordsPerPart?: number;
}

/** Options of {@link FileSink.forRows}. @public */
export interface FileSinkOptions<T> {
  /** `jsonl`: one `JSON.stringify(record)` a line. `csv`: RFC 4180, CRLF line ends, `columns` in order. */
  readonly format: FileFormat;
  /** CSV only (and required for it): the record fields written, in column order. */
  readonly columns?: readonly (keyof T)[];
  /** CSV only: start each part file with a header row of the column names (default false). */
  readonly header?: boolean;
  readonly rollingPolicy?: RollingPolicy;
  /**
   * The bucket (partition) of a record: a directory relative to the sink's directory, such as
   * `"dt=2026-11-23"` or `"region=eu/hour=07"`; `""` is the sink's directory itself (the default).
   * Absolute paths, `.` and `..` segments, hidden (`.`-prefixed) and empty segments are rejected.
   */
  readonly bucketAssigner?: (record: T) => string;
  /** The start of part file names (default `"part"`). */
  readonly partPrefix?: string;
  /**
   * Custom text of one record, without its line end (e.g. a SQL row format); replaces the built-in
   * encoding of `format`, which then only names the file extension unless `extension` is given.
   */
  readonly encode?: (record: T) => string;
  /** The part files' extension (default: the format's). */
  readonly extension?: string;
  /**
   * When set (e.g. `"_SUCCESS"`), each commit also creates an empty file of this name in every
   * bucket it committed part files into (see the module doc for what it promises). Default: none.
   */
  readonly successFileName?: string;
}

/**
 * One part file of a bulk format being written. The sink calls `add` for every record of the part,
 * then `finish` exactly once before it fsyncs and closes the file: the format writes what it still
 * buffers and its footer. Until `finish` the file need not be readable. @public
 */
export interface BulkPartWriter<T> {
  add(record: T): void;
  /** Bytes written to the file so far (size rolling compares this with `maxPartBytes`). */
  readonly bytesWritten: number;
  finish(): void;
}

/** A bulk (whole-file) format, e.g. Parquet: opens a part writer on a file descriptor. @public */
export interface BulkFormat<T> {
  /** The part files' extension, e.g. `"parquet"`. */
  readonly extension: string;
  open(fd: number): BulkPartWriter<T>;
}

/** Options of {@link FileSink.forBulk}. @public */
export interface BulkFileSinkOptions<T> {
  readonly format: BulkFormat<T>;
  readonly rollingPolicy?: RollingPolicy;
  /** As for {@link FileSinkOptions.bucketAssigner}. */
  readonly bucketAssigner?: (record: T) => string;
  readonly partPrefix?: string;
  readonly successFileName?: string;
}

/** A pre-committed part file: paths relative to the sink's directory. @public */
export interface FileCommittable {
  readonly bucket: string;
  /** The hidden in-progress file, closed and fsynced. */
  readonly pendingPath: string;
  /** The visible name it is renamed to on commit. */
  readonly finalPath: string;
  readonly records: number;
  readonly bytes: number;
}

const DEFAULT_MAX_PART_BYTES = 128 * 1024 * 1024;

/** Checks a bucket path and returns it; throws naming the bucket when it is not a safe relative directory. */
function validateBucket(bucket: unknown): string {
  if (typeof bucket !== "string") throw new Error(`FileSink: bucket ${String(bucket)} is not a string`);
  if (bucket === "") return bucket;
  const bad = (why: string) => new Error(`FileSink: invalid bucket ${JSON.stringify(bucket)}: ${why}`);
  if (bucket.includes("\0")) throw bad("it contains a NUL character");
  if (bucket.includes("\\")) throw bad("use '/' to separate directories");
  if (bucket.startsWith("/") || /^[A-Za-z]:/.test(bucket)) throw bad("it must be a relative path");
  for (const segment of bucket.split("/")) {
    if (segment === "..") throw bad("'..' segments are not allowed");
    if (segment === "" || segment === ".") throw bad("empty or '.' segments are not allowed");
    if (segment.startsWith("."))
      throw bad("hidden ('.'-prefixed) directories are reserved for in-progress files");
  }
  return bucket;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value > 0)))
    throw new Error(`FileSink: ${name} must be a positive integer, got ${value}`);
  return value;
}

/** Formats one CSV field after RFC 4180: quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

interface OpenPart {
  readonly committable: Omit<FileCommittable, "records" | "bytes">;
  readonly fd: number;
  records: number;
  bytes: number;
  /** Encoded lines not yet written to `fd`. */
  chunks: string[];
  /** The bulk format's writer of this part; null for row formats. */
  readonly bulk: BulkPartWriter<unknown> | null;
}

class FileSinkWriter<T> implements SinkWriter<T, FileCommittable> {
  readonly #directory: string;
  readonly #ctx: SinkWriterContext;
  readonly #encode: (record: T) => string;
  readonly #header: string | undefined;
  readonly #maxPartBytes: number;
  readonly #maxRecords: number;
  readonly #assign: (record: T) => string;
  readonly #prefix: string;
  readonly #extension: string;
  readonly #bulk: BulkFormat<T> | null;
  readonly #parts = new Map<string, OpenPart>();
  readonly #validBuckets = new Set<string>();
  /** Parts rolled since the last pre-commit: closed, awaiting the next checkpoint. */
  #rolled: FileCommittable[] = [];
  #counter = 0;

  constructor(directory: string, ctx: SinkWriterContext, options: ResolvedOptions<T>) {
    this.#directory = directory;
    this.#ctx = ctx;
    this.#encode = options.encode;
    this.#header = options.header;
    this.#maxPartBytes = options.maxPartBytes;
    this.#maxRecords = options.maxRecords;
    this.#assign = options.assign;
    this.#prefix = options.prefix;
    this.#extension = options.extension;
    this.#bulk = options.bulk;
  }

  write(records: readonly T[]): void {
    const touched = new Set<OpenPart>();
    for (const record of records) {
      let bucket = this.#assign(record);
      if (!this.#validBuckets.has(bucket)) {
        bucket = validateBucket(bucket);
        this.#validBuckets.add(bucket);
      }
      const bulk = this.#bulk !== null;
      const line = bulk ? "" : this.#encode(record);
      const size = bulk ? 0 : Buffer.byteLength(line);
      let part = this.#parts.get(bucket);
      if (
        part !== undefined &&
        part.records > 0 &&
        (part.records >= this.#maxRecords ||
          (part.bulk === null ? part.bytes : part.bulk.bytesWritten) + size > this.#maxPartBytes)
      ) {
        this.#rolled.push(this.#closePart(part));
        this.#parts.delete(bucket);
        part = undefined;
      }
      if (part === undefined) {
        part = this.#openPart(bucket);
        this.#parts.set(bucket, part);
      }
      part.records++;
      if (part.bulk !== null) {
        part.bulk.add(record);
        continue;
      }
      part.chunks.push(line);
      part.bytes += size;
      touched.add(part);
    }
    for (const part of touched) if (this.#parts.get(part.committable.bucket) === part) this.#drain(part);
  }

  /** Everything written is handed to the OS on every write; durability comes with `prepareCommit`. */
  flush(): void {
    for (const part of this.#parts.values()) this.#drain(part);
  }

  /** Closes and fsyncs every open part: they and the parts rolled since the last call are returned. */
  prepareCommit(): readonly FileCommittable[] {
    const committables = this.#rolled;
    this.#rolled = [];
    for (const part of this.#parts.values()) committables.push(this.#closePart(part));
    this.#parts.clear();
    return committables;
  }

  /** Closes open files without committing them: they stay hidden. */
  close(): void {
    for (const part of this.#parts.values()) closeSync(part.fd);
    this.#parts.clear();
  }

  #openPart(bucket: string): OpenPart {
    const dir = join(this.#directory, bucket);
    mkdirSync(dir, { recursive: true });
    const { indexOfSubtask, attemptNumber } = this.#ctx;
    for (;;) {
      const name = `${this.#prefix}-${indexOfSubtask}-${attemptNumber}-${this.#counter++}`;
      const pendingName = `.${name}.inprogress`;
      const finalName = `${name}.${this.#extension}`;
      if (existsSync(join(dir, finalName))) continue;
      let fd: number;
      try {
        fd = openSync(join(dir, pendingName), "wx");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw error;
      }
      const rel = (file: string) => (bucket === "" ? file : `${bucket}/${file}`);
      const part: OpenPart = {
        committable: { bucket, pendingPath: rel(pendingName), finalPath: rel(finalName) },
        fd,
        records: 0,
        bytes: 0,
        chunks: [],
        bulk: this.#bulk === null ? null : (this.#bulk.open(fd) as BulkPartWriter<unknown>),
      };
      if (this.#header !== undefined) {
        part.chunks.push(this.#header);
        part.bytes += Buffer.byteLength(this.#header);
      }
      return part;
    }
  }

  #drain(part: OpenPart): void {
    if (part.chunks.length === 0) return;
    const text = part.chunks.join("");
    part.chunks = [];
    writeSync(part.fd, text);
  }

  #closePart(part: OpenPart): FileCommittable {
    if (part.bulk !== null) {
      part.bulk.finish();
      part.bytes = fstatSync(part.fd).size;
    }
    this.#drain(part);
    fsyncSync(part.fd);
    closeSync(part.fd);
    return { ...part.committable, records: part.records, bytes: part.bytes };
  }
}

/** Renames pending part files to their final names, idempotently. */
class FileCommitter implements Committer<FileCommittable> {
  readonly #directory: string;
  readonly #successFileName: string | undefined;

  constructor(directory: string, successFileName: string | undefined) {
    this.#directory = directory;
    this.#successFileName = successFileName;
  }

  commit(committables: readonly FileCommittable[]): void {
    const dirs = new Set<string>();
    for (const c of committables) {
      const pending = join(this.#directory, c.pendingPath);
      const final = join(this.#directory, c.finalPath);
      const pendingExists = existsSync(pending);
      const finalExists = existsSync(final);
      if (!pendingExists && finalExists) continue; // Committed before: nothing to do.
      if (!pendingExists)
        throw new Error(
          `FileSink: cannot commit ${final}: neither it nor its pending file ${pending} exists; ` +
            `its ${c.records} records would be lost`,
        );
      if (finalExists)
        throw new Error(
          `FileSink: cannot commit ${pending}: ${final} already exists and would be overwritten`,
        );
      renameSync(pending, final);
      dirs.add(join(this.#directory, c.bucket));
    }
    if (this.#successFileName !== undefined) {
      // Also for buckets committed before a restart: the marker may not have been written then.
      for (const c of committables) {
        const dir = join(this.#directory, c.bucket);
        const marker = join(dir, this.#successFileName);
        if (existsSync(marker)) continue;
        closeSync(openSync(marker, "a"));
        dirs.add(dir);
      }
    }
    // Makes the renames durable.
    for (const dir of dirs) {
      const fd = openSync(dir, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
}

interface ResolvedOptions<T> {
  readonly encode: (record: T) => string;
  readonly header: string | undefined;
  readonly maxPartBytes: number;
  readonly maxRecords: number;
  readonly assign: (record: T) => string;
  readonly prefix: string;
  readonly extension: string;
  readonly bulk: BulkFormat<T> | null;
}

function checkSuccessFileName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name))
    throw new Error(
      `FileSink: invalid successFileName ${JSON.stringify(name)}: it must be a plain file name`,
    );
  return name;
}

function commonOptions<T>(options: {
  readonly partPrefix?: string;
  readonly rollingPolicy?: RollingPolicy;
  readonly bucketAssigner?: (record: T) => string;
}) {
  const prefix = options.partPrefix ?? "part";
  if (prefix === "" || /[/\\\0]/.test(prefix) || prefix.startsWith("."))
    throw new Error(`FileSink: invalid partPrefix ${JSON.stringify(prefix)}`);
  const maxPartBytes = positiveInteger(
    "rollingPolicy.maxPartBytes",
    options.rollingPolicy?.maxPartBytes,
    DEFAULT_MAX_PART_BYTES,
  );
  const maxRecords = positiveInteger(
    "rollingPolicy.maxRecordsPerPart",
    options.rollingPolicy?.maxRecordsPerPart,
    Number.POSITIVE_INFINITY,
  );
  const assign = options.bucketAssigner ?? (() => "");
  return { prefix, maxPartBytes, maxRecords, assign };
}

function resolveOptions<T>(options: FileSinkOptions<T>): ResolvedOptions<T> {
  const { prefix, maxPartBytes, maxRecords, assign } = commonOptions(options);
  const custom = options.encode;
  if (custom !== undefined) {
    const extension = options.extension ?? options.format;
    return {
      encode: (record) => `${custom(record)}\n`,
      header: undefined,
      maxPartBytes,
      maxRecords,
      assign,
      prefix,
      extension,
      bulk: null,
    };
  }
  if (options.format === "jsonl") {
    if (options.columns !== undefined || options.header !== undefined)
      throw new Error("FileSink: columns and header are CSV options");
    const encode = (record: T): string => {
      const json = JSON.stringify(record) as string | undefined;
      if (json === undefined) throw new Error(`FileSink: record ${String(record)} has no JSON form`);
      return `${json}\n`;
    };
    return {
      encode,
      header: undefined,
      maxPartBytes,
      maxRecords,
      assign,
      prefix,
      extension: "jsonl",
      bulk: null,
    };
  }
  if (options.format === "csv") {
    const columns = options.columns;
    if (columns === undefined || columns.length === 0)
      throw new Error("FileSink: the csv format needs columns");
    const encode = (record: T): string => `${columns.map((c) => csvField(record[c])).join(",")}\r\n`;
    const header =
      options.header === true ? `${columns.map((c) => csvField(String(c))).join(",")}\r\n` : undefined;
    return { encode, header, maxPartBytes, maxRecords, assign, prefix, extension: "csv", bulk: null };
  }
  throw new Error(`FileSink: unknown format ${JSON.stringify(options.format)}`);
}

/** Builders of exactly-once file sinks. @public */
export const FileSink = {
  /**
   * A sink writing rows under `directory`, in buckets, as part files made visible only when the
   * checkpoint covering them completes (or at the end of a bounded input). Options are checked now.
   */
  forRows<T>(directory: string, options: FileSinkOptions<T>): Sink<T, FileCommittable> {
    const dir = resolve(directory);
    const resolved = resolveOptions(options);
    const successFileName = checkSuccessFileName(options.successFileName);
    return {
      createWriter: (ctx) => new FileSinkWriter<T>(dir, ctx, resolved),
      createCommitter: () => new FileCommitter(dir, successFileName),
    };
  },

  /**
   * A sink writing records under `directory` in a bulk format (e.g. {@link ParquetFormat}): one
   * file per part, finished and rolled at every checkpoint (and by `rollingPolicy`), committed as
   * for {@link FileSink.forRows}.
   */
  forBulk<T>(directory: string, options: BulkFileSinkOptions<T>): Sink<T, FileCommittable> {
    const dir = resolve(directory);
    const format = options.format;
    if (typeof format?.open !== "function" || typeof format.extension !== "string")
      throw new Error("FileSink: format must be a bulk format (with extension and open)");
    const resolved: ResolvedOptions<T> = {
      ...commonOptions(options),
      encode: () => "",
      header: undefined,
      extension: format.extension,
      bulk: format,
    };
    const successFileName = checkSuccessFileName(options.successFileName);
    return {
      createWriter: (ctx) => new FileSinkWriter<T>(dir, ctx, resolved),
      createCommitter: () => new FileCommitter(dir, successFileName),
    };
  },
};
