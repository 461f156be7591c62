/**
 * Lookups on a `filesystem` table (Flink's FileSystemLookupFunction), in any of its formats: the whole table is read into
 * memory on the first lookup, indexed by the lookup key, and read again once
 * `lookup.join.cache.ttl` (default 60 min) has passed since the last load. This is what Nexmark
 * q13 joins its static side input with.
 *
 * Invariant: an answer comes from one complete load of the files (never a half-read table); rows
 * with a NULL key column are never returned (NULL matches nothing in SQL).
 * @module
 */

import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import {
  createRowDeserializer,
  FormatError,
  type LogicalRowType,
  type LogicalType,
  type LookupContext,
  type LookupMapKey,
  lookupMapKey,
  OptionReader,
  type Row,
  type SqlValue,
  sessionTimeZone,
  type TableLookup,
  textToValue,
} from "@weir/sql";
import { parquetReadFormat } from "../parquet/parquet-reader.ts";
import { type FileSplit, listFiles } from "../source/file-split.ts";
import { DEFAULT_PARTITION_NAME, partitionValuesOf } from "./partition-path.ts";

/** Every row of a Parquet file, a row group at a time; errors name the file. */
async function readParquetFile(path: string, rowType: LogicalRowType, add: (record: Row) => void) {
  const decoder = parquetReadFormat<Row>(rowType, (values) => values).createDecoder();
  const split: FileSplit = {
    splitId: path,
    path,
    partition: [],
    size: 0,
    modified: 0,
    start: 0,
    end: Number.POSITIVE_INFINITY,
    position: 0,
    line: null,
  };
  try {
    for (let row = 0; ; ) {
      const batch = await decoder.read(split, row);
      for (const record of batch.records) add(record);
      if (batch.done) break;
      row = batch.nextRow;
    }
  } catch (error) {
    throw new FormatError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const DEFAULT_TTL_MS = 60 * 60 * 1000;

export interface FilesystemLookupOptions {
  readonly format: string;
  /** Table column indices stored in the files, in file order (the others are partition columns). */
  readonly dataIndices: readonly number[];
  readonly partitionIndices: readonly number[];
  readonly dataType: LogicalRowType;
  /** Milliseconds of processing time; injectable for tests. */
  readonly now?: () => number;
}

export class FilesystemLookup implements TableLookup {
  readonly #context: LookupContext;
  readonly #options: FilesystemLookupOptions;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #keyTypes: readonly LogicalType[];
  #index: Promise<Map<LookupMapKey, Row[]>> | null = null;
  #loadedAt = 0;

  constructor(context: LookupContext, options: FilesystemLookupOptions) {
    this.#context = context;
    this.#options = options;
    this.#ttlMs = new OptionReader(context.table).durationMs("lookup.join.cache.ttl", DEFAULT_TTL_MS);
    this.#now = options.now ?? Date.now;
    this.#keyTypes = context.keyIndices.map((i) => context.physicalType.fields[i]!.type);
  }

  lookup(keys: readonly SqlValue[]): Promise<readonly Row[]> {
    const now = this.#now();
    if (this.#index === null || now - this.#loadedAt >= this.#ttlMs) {
      this.#loadedAt = now;
      const loading = this.#load();
      // Until the new load completes, a failed load must not stay cached forever.
      loading.catch(() => {
        if (this.#index === loading) this.#index = null;
      });
      this.#index = loading;
    }
    return this.#index.then((index) => index.get(this.#key(keys)) ?? []);
  }

  #key(values: readonly SqlValue[]): LookupMapKey {
    return lookupMapKey(values, this.#keyTypes);
  }

  async #load(): Promise<Map<LookupMapKey, Row[]>> {
    const { table, physicalType, keyIndices, config } = this.#context;
    const { format, dataIndices, partitionIndices, dataType } = this.#options;
    const reader = new OptionReader(table);
    const root = resolve(reader.string("path")!);
    const defaultName = reader.string("partition.default-name") ?? DEFAULT_PARTITION_NAME;
    const timeZone = sessionTimeZone(config);
    const parquet = format === "parquet";
    const deserializer = parquet
      ? null
      : createRowDeserializer(format, dataType, table.options, { tableName: table.name, timeZone });
    const continues = deserializer?.continuesOnNextLine?.bind(deserializer);
    const arity = physicalType.fields.length;
    const files = listFiles(root, `table '${table.name}'`);
    const index = new Map<LookupMapKey, Row[]>();
    const keyValues: SqlValue[] = new Array(keyIndices.length);
    for (const file of files) {
      const rel =
        files.length === 1 && file === root
          ? file.split(sep).pop()!
          : relative(root, file).split(sep).join("/");
      const partition = partitionValuesOf(rel, table.partitionKeys, defaultName).map((text, k) =>
        text === null ? null : textToValue(text, physicalType.fields[partitionIndices[k]!]!.type, timeZone),
      );
      const add = (record: Row): void => {
        const row: Row = new Array(arity);
        for (let d = 0; d < dataIndices.length; d++) row[dataIndices[d]!] = record[d] ?? null;
        for (let p = 0; p < partitionIndices.length; p++) row[partitionIndices[p]!] = partition[p] ?? null;
        let hasNull = false;
        for (let k = 0; k < keyIndices.length; k++) {
          const value = row[keyIndices[k]!] ?? null;
          if (value === null) hasNull = true;
          keyValues[k] = value;
        }
        if (hasNull) return;
        const key = this.#key(keyValues);
        const bucket = index.get(key);
        if (bucket === undefined) index.set(key, [row]);
        else bucket.push(row);
      };
      if (deserializer === null) {
        await readParquetFile(file, dataType, add);
        continue;
      }
      const lines = (await readFile(file, "utf8")).split("\n");
      for (let i = 0; i < lines.length; i++) {
        let text = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
        const firstLine = i + 1;
        if (text === "") continue;
        while (continues?.(text) && i + 1 < lines.length) text = `${text}\n${lines[++i]}`;
        let record: Row | null;
        try {
          record = deserializer.deserialize(text);
        } catch (error) {
          throw new FormatError(
            `${file}:${firstLine}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (record !== null) add(record);
      }
    }
    return index;
  }

  close(): void {
    this.#index = null;
  }
}
