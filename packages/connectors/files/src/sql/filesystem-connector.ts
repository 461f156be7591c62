/**
 * The SQL `filesystem` connector (Flink's FileSystem SQL connector): a bounded source over the files
 * under `path` and an exactly-once sink writing part files there, in a row format (`json` lines,
 * `csv`, `raw`).
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
 * Sink files roll at every checkpoint, at the end of input and past `sink.rolling-policy.file-size`;
 * `sink.rolling-policy.rollover-interval` and `…check-interval` are accepted for Flink scripts but
 * have no effect (parts never stay open longer than a checkpoint interval anyway).
 * `'sink.partition-commit.policy.kind' = 'success-file'` writes an empty `_SUCCESS` (or
 * `sink.partition-commit.success-file.name`) into each partition directory that received data, when
 * the checkpoint or end of input that committed the data completes (partitioned tables only).
 *
 * Invariant: the sink only takes inserts (an updating query is refused at planning, as in Flink)
 * and makes files visible only at checkpoints or the end of input (see `FileSink`).
 * @module
 */

import { basename, resolve } from "node:path";
import {
  ConnectorOptionError,
  checkTableOptions,
  createRowDeserializer,
  createRowSerializer,
  formatOptionKeys,
  type LookupContext,
  OptionReader,
  type OptionSpec,
  type ResolvedTable,
  type RowData,
  type LogicalRowType as RowType,
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
import { type FileSplit, FileTableSource } from "./file-source.ts";
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
];

const METADATA_KEYS = ["file.path", "file.name", "file.size", "file.modification-time"];

/** The table's options checked against the connector's and its format's keys; returns the format. */
function checkOptions(table: ResolvedTable): string {
  const format = table.options.format;
  const formats = rowFormatIdentifiers();
  const formatKeys = format !== undefined && formats.includes(format) ? formatOptionKeys(format) : [];
  const spec: OptionSpec = { required: ["path", "format"], optional: [...CONNECTOR_OPTIONS, ...formatKeys] };
  checkTableOptions("filesystem", table, spec);
  if (!formats.includes(format!))
    throw new ConnectorOptionError(
      `Invalid value for option 'format' of table '${table.name}': '${format}' (expected one of ${formats.join(", ")})`,
    );
  if (table.options["source.monitor-interval"] !== undefined)
    throw new ConnectorOptionError(
      `Table '${table.name}': 'source.monitor-interval' (continuous file monitoring) is not supported; the filesystem source is bounded`,
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
  const timeZone = sessionTimeZone(context.config);
  const { dataIndices, partitionIndices, dataType } = physicalColumns(physicalType, table);
  const arity = physicalType.fields.length;
  const metadataKeys = context.metadata.map((m) => m.key);
  const partitionTypes = partitionIndices.map((i) => physicalType.fields[i]!.type);
  // Validates the format options now, so a bad option fails at planning, not in a worker.
  createRowDeserializer(format, dataType, table.options, { tableName: table.name, timeZone });
  const source = new FileTableSource({
    root,
    tableName: table.name,
    // A CSV record may span lines (quoted line breaks), so CSV files are never cut into ranges.
    splittable: format !== "csv",
    partitionValuesOf: (rel) => partitionValuesOf(rel, table.partitionKeys, defaultName),
    decoder: () => {
      const deserializer = createRowDeserializer(format, dataType, table.options, {
        tableName: table.name,
        timeZone,
      });
      // Partition values are the same for every row of a file: converted once per split.
      let lastSplit: FileSplit | null = null;
      let partitionValues: SqlValue[] = [];
      return {
        deserializer,
        toRow(record, split) {
          if (partitionIndices.length === 0 && metadataKeys.length === 0) return record as SqlValue[];
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
          for (let m = 0; m < metadataKeys.length; m++)
            row[arity + m] = metadataValue(metadataKeys[m]!, split);
          return row;
        },
      };
    },
  });
  return {
    changelogMode: { kind: "insert-only" },
    bounded: true,
    createStream() {
      return context.env
        .fromSource(source, `filesystem: ${table.name}`)
        .withName(`TableSourceScan(table=[${table.name}])`);
    },
  };
}

const EXTENSIONS: Readonly<Record<string, string>> = { json: "json", csv: "csv", raw: "txt" };

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
  const serializer = createRowSerializer(format, dataType, table.options, {
    tableName: table.name,
    timeZone,
  });
  const partitioned = partitionIndices.length > 0;
  const encode = partitioned
    ? (row: RowData) => serializer.serialize(dataIndices.map((i) => row.fields[i] ?? null))
    : (row: RowData) => serializer.serialize(row.fields);
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
  const sink = FileSink.forRows<RowData>(root, {
    format: format === "csv" ? "csv" : "jsonl",
    encode,
    extension: EXTENSIONS[format] ?? format,
    rollingPolicy: { maxPartBytes },
    ...(bucketAssigner !== undefined ? { bucketAssigner } : {}),
    // As in Flink, partition commit applies to partitioned tables only.
    ...(partitioned && successFileName !== undefined ? { successFileName } : {}),
  });
  return {
    acceptedModes: ["insert-only"],
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
  const { dataIndices, partitionIndices, dataType } = physicalColumns(context.physicalType, context.table);
  return new FilesystemLookup(context, { format, dataIndices, partitionIndices, dataType });
}
