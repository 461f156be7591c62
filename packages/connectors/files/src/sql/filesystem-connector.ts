/**
 * The SQL `filesystem` connector (Flink's FileSystem SQL connector): a source over the files under
 * `path` — bounded, or continuously monitored with `source.monitor-interval` — and an exactly-once
 * sink writing part files there, in a row format (`json` lines, `csv`, `raw`), Parquet, or a
 * changelog format (`debezium-json`, `canal-json`: one change event per line).
 *
 * ```sql
 * CREATE TABLE orders (id BIGINT, amount DECIMAL(10, 2), dt STRING) PARTITIONED BY (dt) WITH (
 *   'connector' = 'filesystem', 'path' = '/data/orders', 'format' = 'csv');
 * ```
 * Partitioned tables live in Hive-style directories (`dt=2020-04-15/…`): the partition columns are
 * not stored in the files; the source takes them from the directory names and the sink writes each
 * row under its partition's directory. Metadata columns: `file.path`, `file.name` (STRING),
 * `file.size` (BIGINT), `file.modification-time` (TIMESTAMP_LTZ(3)).
 *
 * `'source.monitor-interval' = '10 s'` makes the source unbounded: the directory is scanned at that
 * interval and every new visible file is read once (the set of files seen is checkpointed).
 * Malformed records follow `bad-records.policy` (see `bad-record-options.ts`); with `format` =
 * `parquet` a corrupt file is one bad record. Parquet reads only the columns the query uses.
 *
 * Sink files roll at every checkpoint, at the end of input and past `sink.rolling-policy.file-size`;
 * `sink.rolling-policy.rollover-interval` and `…check-interval` are accepted for Flink scripts but
 * have no effect (parts never stay open longer than a checkpoint interval anyway).
 * `'sink.partition-commit.policy.kind' = 'success-file'` writes an empty `_SUCCESS` (or
 * `sink.partition-commit.success-file.name`) into each partition directory that received data, when
 * the checkpoint or end of input that committed the data completes (partitioned tables only).
 *
 * With a changelog format the table is a changelog, as Flink's: the source emits the rows of each
 * event (`+I`, `-U`/`+U`, `-D`) and the sink takes retract input, writing each row as one event
 * (`-U`/`-D` as a Debezium `"op":"d"` / Canal `DELETE` event). A key's changes stay in order
 * within a part file; readers of several part files may see them interleaved, as in Flink.
 *
 * Invariant: with any other format the sink only takes inserts (an updating query is refused at
 * planning, as in Flink); files become visible only at checkpoints or the end of input (see
 * `FileSink`).
 * @module
 */

import { basename, resolve } from "node:path";
import type { BadRecordPolicy } from "@weir/api";
import {
  ConnectorOptionError,
  checkTableOptions,
  createRecordDecoder,
  createRecordEncoder,
  createRowDeserializer,
  createRowSerializer,
  findRecordFormat,
  formatOptionKeys,
  type LookupContext,
  OptionReader,
  type OptionSpec,
  type ResolvedTable,
  type RowData,
  RowKind,
  type LogicalRowType as RowType,
  recordFormatIdentifiers,
  recordFormatOptionKeys,
  rowFormatIdentifiers,
  type SinkContext,
  type SourceContext,
  type SqlValue,
  sessionTimeZone,
  type TableConnectorFactory,
  type TableLookup,
  type TableSink,
  type TableSource,
  textToValue,
  valueToText,
} from "@weir/sql";
import { FileSink } from "../file-sink.ts";
import { parquetBulkFormat } from "../parquet/parquet-format.ts";
import { parquetReadFormat } from "../parquet/parquet-reader.ts";
import { PARQUET_OPTIONS, parquetSqlOptions } from "../parquet/parquet-sql-options.ts";
import type { FileDeadLetter, FileReadFormat, LineDecoder } from "../source/file-format.ts";
import { FileSource } from "../source/file-source.ts";
import type { FileSplit } from "../source/file-split.ts";
import { BAD_RECORD_OPTIONS, badRecordPolicy } from "./bad-record-options.ts";
import { FilesystemLookup } from "./filesystem-lookup.ts";
import { DEFAULT_PARTITION_NAME, escapePartitionValue, partitionValuesOf } from "./partition-path.ts";

const CONNECTOR_OPTIONS = [
  "path",
  "format",
  "partition.default-name",
  "sink.rolling-policy.file-size",
  "sink.rolling-policy.rollover-interval",
  "sink.rolling-policy.check-interval",
  "sink.parallelism",
  "sink.partition-commit.policy.kind",
  "sink.partition-commit.success-file.name",
  "source.monitor-interval",
  "lookup.join.cache.ttl",
  ...BAD_RECORD_OPTIONS,
];

const METADATA_KEYS = ["file.path", "file.name", "file.size", "file.modification-time"];

/** The record formats that carry row kinds (`debezium-json`, `canal-json`), stored one event a line. */
function changelogFormats(): string[] {
  return recordFormatIdentifiers().filter((f) => findRecordFormat(f).changelog);
}

function isChangelogFormat(format: string): boolean {
  return changelogFormats().includes(format);
}

/** The table's options checked against the connector's and its format's keys; returns the format. */
function checkOptions(table: ResolvedTable): string {
  const format = table.options.format;
  const formats = [...rowFormatIdentifiers(), ...changelogFormats(), "parquet"].sort();
  const formatKeys =
    format === "parquet"
      ? PARQUET_OPTIONS
      : format !== undefined && isChangelogFormat(format)
        ? recordFormatOptionKeys(format)
        : format !== undefined && formats.includes(format)
          ? formatOptionKeys(format)
          : [];
  const spec: OptionSpec = { required: ["path", "format"], optional: [...CONNECTOR_OPTIONS, ...formatKeys] };
  checkTableOptions("filesystem", table, spec);
  if (!formats.includes(format!))
    throw new ConnectorOptionError(
      `Invalid value for option 'format' of table '${table.name}': '${format}' (expected one of ${formats.join(", ")})`,
    );
  return format!;
}

function physicalColumns(rowType: RowType, table: ResolvedTable) {
  const partitionKeys = table.partitionKeys;
  for (const key of partitionKeys)
    if (!rowType.fields.some((f) => f.name === key))
      throw new ConnectorOptionError(
        `Partition key '${key}' of table '${table.name}' is not a physical column`,
      );
  const dataIndices: number[] = [];
  rowType.fields.forEach((f, i) => {
    if (!partitionKeys.includes(f.name)) dataIndices.push(i);
  });
  const partitionIndices = partitionKeys.map((key) => rowType.fields.findIndex((f) => f.name === key));
  const dataType: RowType = {
    kind: "ROW",
    nullable: false,
    fields: dataIndices.map((i) => rowType.fields[i]!),
  };
  return { dataIndices, partitionIndices, dataType };
}

function metadataValue(key: string, split: FileSplit): SqlValue {
  switch (key) {
    case "file.path":
      return split.path;
    case "file.name":
      return basename(split.path);
    case "file.size":
      return BigInt(split.size);
    default:
      return split.modified;
  }
}

function createSource(context: SourceContext): TableSource {
  const { table, physicalType } = context;
  const format = checkOptions(table);
  for (const { key } of context.metadata)
    if (!METADATA_KEYS.includes(key))
      throw new ConnectorOptionError(
        `Table '${table.name}': unknown metadata key '${key}' for 'filesystem'; available: ${METADATA_KEYS.join(", ")}`,
      );
  const reader = new OptionReader(table);
  const root = resolve(reader.string("path")!);
  const defaultName = reader.string("partition.default-name") ?? DEFAULT_PARTITION_NAME;
  const monitor =
    table.options["source.monitor-interval"] === undefined
      ? undefined
      : reader.durationMs("source.monitor-interval", 0);
  if (monitor !== undefined && monitor <= 0)
    throw new ConnectorOptionError(
      `Invalid value for option 'source.monitor-interval' of table '${table.name}': it must be a positive duration`,
    );
  const badRecords: BadRecordPolicy<FileDeadLetter> = badRecordPolicy(table, format);
  const timeZone = sessionTimeZone(context.config);
  const { dataIndices, partitionIndices, dataType } = physicalColumns(physicalType, table);
  const arity = physicalType.fields.length;
  const metadataKeys = context.metadata.map((m) => m.key);
  const partitionTypes = partitionIndices.map((i) => physicalType.fields[i]!.type);
  /** Completes a decoded record into the table's row (partition values and metadata). */
  const rowBuilder = () => {
    // Partition values are the same for every row of a file: converted once per split.
    let lastSplit: FileSplit | null = null;
    let partitionValues: SqlValue[] = [];
    return (record: readonly SqlValue[], split: FileSplit, kind: RowKind = RowKind.INSERT): RowData => {
      if (partitionIndices.length === 0 && metadataKeys.length === 0)
        return { kind, fields: record as SqlValue[] };
      if (split !== lastSplit) {
        lastSplit = split;
        partitionValues = split.partition.map((text, k) =>
          text === null ? null : textToValue(text, partitionTypes[k]!, timeZone),
        );
      }
      const row: SqlValue[] = new Array(arity + metadataKeys.length);
      for (let i = 0; i < dataIndices.length; i++) row[dataIndices[i]!] = record[i] ?? null;
      for (let k = 0; k < partitionIndices.length; k++)
        row[partitionIndices[k]!] = partitionValues[k] ?? null;
      for (let m = 0; m < metadataKeys.length; m++) row[arity + m] = metadataValue(metadataKeys[m]!, split);
      return { kind, fields: row };
    };
  };
  const sourceOptions = {
    name: `table '${table.name}'`,
    badRecords,
    partitionValuesOf: (rel: string) => partitionValuesOf(rel, table.partitionKeys, defaultName),
    ...(monitor !== undefined ? { monitorIntervalMs: monitor } : {}),
  };
  if (isChangelogFormat(format)) {
    const formatContext = { tableName: table.name, timeZone };
    const ignoreKey = `${format}.ignore-parse-errors`;
    // Validates the format options now, so a bad option fails at planning, not in a worker.
    createRecordDecoder(format, dataType, table.options, formatContext);
    const lenient = badRecords.kind === "drop" && table.options[ignoreKey] !== undefined;
    const changes = new FileSource<RowData[]>(
      root,
      {
        kind: "lines",
        splittable: true,
        createDecoder(): LineDecoder<RowData[]> {
          const decoder = createRecordDecoder(format, dataType, table.options, formatContext);
          const strict = lenient
            ? createRecordDecoder(format, dataType, { ...table.options, [ignoreKey]: "false" }, formatContext)
            : null;
          const toRow = rowBuilder();
          const decoded: RowData[] = [];
          return {
            decode(text, split) {
              decoded.length = 0;
              decoder.decode(utf8Encoder.encode(text), decoded);
              // No rows: a tombstone, a DDL event, or a record the lenient format skipped.
              if (decoded.length === 0) return null;
              return decoded.map((row) => toRow(row.fields, split, row.kind));
            },
            ...(strict !== null
              ? {
                  skipReason(text: string): string | undefined {
                    try {
                      strict.decode(utf8Encoder.encode(text), []);
                      return undefined;
                    } catch (error) {
                      return error instanceof Error ? error.message : String(error);
                    }
                  },
                }
              : {}),
          };
        },
      },
      sourceOptions,
    );
    return {
      changelogMode: { kind: "retract" },
      bounded: monitor === undefined,
      createStream() {
        // An event stands for one row, or two for an update (-U, +U): emitted one by one.
        return context.env
          .fromSource(changes, `filesystem: ${table.name}`)
          .withName(`TableSourceScan(table=[${table.name}])`)
          .process<RowData>({
            processRecord(rows, out) {
              for (const row of rows) out.collect(row);
            },
          })
          .withName(`${table.name}: changelog rows`);
      },
    };
  }
  let fileFormat: FileReadFormat<RowData>;
  if (format === "parquet") {
    parquetSqlOptions(table);
    // Projection pushdown: only the stored columns the query uses are read; the others are NULL.
    const projected = context.projectedFields;
    const read = dataIndices.flatMap((column, k) =>
      projected === null || projected.includes(column) ? [k] : [],
    );
    fileFormat = parquetReadFormat(dataType, rowBuilder(), read);
  } else {
    const formatContext = { tableName: table.name, timeZone };
    // Validates the format options now, so a bad option fails at planning, not in a worker.
    createRowDeserializer(format, dataType, table.options, formatContext);
    const ignoreKey = `${format}.ignore-parse-errors`;
    const lenient = badRecords.kind === "drop" && table.options[ignoreKey] !== undefined;
    fileFormat = {
      kind: "lines",
      // A CSV record may span lines (quoted line breaks), so CSV files are never cut into ranges.
      splittable: format !== "csv",
      createDecoder(): LineDecoder<RowData> {
        const deserializer = createRowDeserializer(format, dataType, table.options, formatContext);
        const toRow = rowBuilder();
        // Under `<format>.ignore-parse-errors` the format skips a bad record itself (returns null);
        // a strict twin says why, for the drop count and log.
        const strict = lenient
          ? createRowDeserializer(format, dataType, { ...table.options, [ignoreKey]: "false" }, formatContext)
          : null;
        const continues = deserializer.continuesOnNextLine?.bind(deserializer);
        return {
          decode(text, split) {
            const record = deserializer.deserialize(text);
            return record === null ? null : toRow(record, split);
          },
          ...(continues !== undefined ? { continuesOnNextLine: continues } : {}),
          ...(strict !== null
            ? {
                skipReason(text: string): string | undefined {
                  try {
                    strict.deserialize(text);
                    return undefined;
                  } catch (error) {
                    return error instanceof Error ? error.message : String(error);
                  }
                },
              }
            : {}),
        };
      },
    };
  }
  const source = new FileSource<RowData>(root, fileFormat, sourceOptions);
  return {
    changelogMode: { kind: "insert-only" },
    bounded: monitor === undefined,
    createStream() {
      return context.env
        .fromSource(source, `filesystem: ${table.name}`)
        .withName(`TableSourceScan(table=[${table.name}])`);
    },
  };
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  json: "json",
  csv: "csv",
  raw: "txt",
  "debezium-json": "json",
  "canal-json": "json",
};

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * The marker name of Flink's `'sink.partition-commit.policy.kind' = 'success-file'`
 * (`sink.partition-commit.success-file.name`, default `_SUCCESS`), or undefined without the policy.
 * Only `success-file` is supported: there is no metastore, and custom policies are Java classes.
 */
function partitionCommitSuccessFile(table: ResolvedTable): string | undefined {
  const kind = table.options["sink.partition-commit.policy.kind"];
  const name = table.options["sink.partition-commit.success-file.name"];
  if (kind === undefined) {
    if (name !== undefined)
      throw new ConnectorOptionError(
        `Table '${table.name}': option 'sink.partition-commit.success-file.name' needs ` +
          "'sink.partition-commit.policy.kind' = 'success-file'",
      );
    return undefined;
  }
  const policies = kind.split(",").map((p) => p.trim().toLowerCase());
  if (policies.length !== 1 || policies[0] !== "success-file")
    throw new ConnectorOptionError(
      `Invalid value for option 'sink.partition-commit.policy.kind' of table '${table.name}': '${kind}' ` +
        "(expected success-file; metastore and custom policies are not supported)",
    );
  if (name === undefined) return "_SUCCESS";
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name))
    throw new ConnectorOptionError(
      `Invalid value for option 'sink.partition-commit.success-file.name' of table '${table.name}': ` +
        `'${name}' (expected a plain file name)`,
    );
  return name;
}

function createSink(context: SinkContext): TableSink {
  const { table, physicalType } = context;
  const format = checkOptions(table);
  const reader = new OptionReader(table);
  const root = resolve(reader.string("path")!);
  const defaultName = reader.string("partition.default-name") ?? DEFAULT_PARTITION_NAME;
  const maxPartBytes = reader.bytes("sink.rolling-policy.file-size", 128 * 1024 * 1024);
  const parallelism = reader.integer("sink.parallelism", undefined, 1);
  const successFileName = partitionCommitSuccessFile(table);
  const timeZone = sessionTimeZone(context.config);
  const { dataIndices, partitionIndices, dataType } = physicalColumns(physicalType, table);
  const partitioned = partitionIndices.length > 0;
  const partitionNames = table.partitionKeys.map((k) => escapePartitionValue(k));
  const partitionTypes = partitionIndices.map((i) => physicalType.fields[i]!.type);
  const bucketAssigner = partitioned
    ? (row: RowData) =>
        partitionIndices
          .map((index, k) => {
            const value = row.fields[index] ?? null;
            const text = value === null ? defaultName : valueToText(value, partitionTypes[k]!, timeZone);
            return `${partitionNames[k]}=${escapePartitionValue(text)}`;
          })
          .join("/")
    : undefined;
  const common = {
    rollingPolicy: { maxPartBytes },
    ...(bucketAssigner !== undefined ? { bucketAssigner } : {}),
    // As in Flink, partition commit applies to partitioned tables only.
    ...(partitioned && successFileName !== undefined ? { successFileName } : {}),
  };
  let sink: ReturnType<typeof FileSink.forRows<RowData>>;
  if (format === "parquet") {
    const { codec, timestampUnit } = parquetSqlOptions(table);
    const bulk = parquetBulkFormat<RowData>(
      dataType,
      (row, i) => row.fields[dataIndices[i]!] ?? null,
      { codec, timestampUnit },
      `Table '${table.name}'`,
    );
    sink = FileSink.forBulk<RowData>(root, { format: bulk, ...common });
  } else if (isChangelogFormat(format)) {
    const encoder = createRecordEncoder(format, dataType, table.options, { tableName: table.name, timeZone });
    // The event's JSON text has no line break (JSON escapes them), so one event is one line.
    const encode = partitioned
      ? (row: RowData) =>
          utf8Decoder.decode(
            encoder.encode({ kind: row.kind, fields: dataIndices.map((i) => row.fields[i] ?? null) }),
          )
      : (row: RowData) => utf8Decoder.decode(encoder.encode(row));
    sink = FileSink.forRows<RowData>(root, {
      format: "jsonl",
      encode,
      extension: EXTENSIONS[format] ?? "json",
      ...common,
    });
  } else {
    const serializer = createRowSerializer(format, dataType, table.options, {
      tableName: table.name,
      timeZone,
    });
    const encode = partitioned
      ? (row: RowData) => serializer.serialize(dataIndices.map((i) => row.fields[i] ?? null))
      : (row: RowData) => serializer.serialize(row.fields);
    sink = FileSink.forRows<RowData>(root, {
      format: format === "csv" ? "csv" : "jsonl",
      encode,
      extension: EXTENSIONS[format] ?? format,
      ...common,
    });
  }
  return {
    acceptedModes: isChangelogFormat(format) ? ["insert-only", "retract"] : ["insert-only"],
    consume(stream) {
      const handle = stream.toSink(sink).withName(`Sink: filesystem ${table.name}`);
      if (parallelism !== undefined) handle.withParallelism(parallelism);
    },
  };
}

export const filesystemConnector: TableConnectorFactory = {
  identifier: "filesystem",
  requiredOptions: ["path", "format"],
  optionalOptions: CONNECTOR_OPTIONS.filter((k) => k !== "path" && k !== "format"),
  createSource,
  createSink,
  createLookup,
};

function createLookup(context: LookupContext): TableLookup {
  const format = checkOptions(context.table);
  if (isChangelogFormat(format))
    throw new ConnectorOptionError(
      `Table '${context.table.name}': a lookup join reads a filesystem table of inserts, but '${format}' is a changelog format`,
    );
  const { dataIndices, partitionIndices, dataType } = physicalColumns(context.physicalType, context.table);
  return new FilesystemLookup(context, { format, dataIndices, partitionIndices, dataType });
}
