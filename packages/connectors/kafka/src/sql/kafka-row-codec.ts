/**
 * Kafka records ↔ SQL rows for the `kafka` and `upsert-kafka` tables: the value goes through the
 * table's record format (`json`, `csv`, `raw`, `avro`, `debezium-json`, `canal-json` from
 * @weir/sql) and the key through a row format (`json`, `csv`, `raw`); key fields and value fields
 * are placed at their physical column positions, and requested metadata
 * (`topic`, `partition`, `offset`, `timestamp`, `timestamp-type`, `headers`, `leader-epoch`) is
 * appended after the physical columns, as the SQL connector contract says.
 *
 * Worked example, `(k STRING, v INT, off BIGINT METADATA FROM 'offset')` with
 * `'key.fields' = 'k'`, `'key.format' = 'raw'`, `'value.format' = 'json'`,
 * `'value.fields-include' = 'EXCEPT_KEY'`: the record key `a`, value `{"v":1}` at offset 7
 * become `+I["a", 1, 7n]`.
 *
 * Invariant: any format failure is thrown and handled by the source's bad-record policy, which
 * names topic, partition and offset. Under Flink's `*.ignore-parse-errors` (the drop policy) the
 * format stays lenient as in Flink (e.g. a JSON field of the wrong type becomes NULL); a record it
 * skips whole is decoded again strictly for the reason, and that error is thrown, so the drop is
 * counted and logged like any other.
 * @module
 */

import {
  ConnectorOptionError,
  createRecordDecoder,
  createRecordEncoder,
  createRowDeserializer,
  createRowSerializer,
  findRecordFormat,
  type LogicalRowType,
  type LogicalType,
  type RecordDecoder,
  type RecordEncoder,
  type Row,
  type RowData,
  type RowDeserializer,
  RowKind,
  type RowSerializer,
  type SqlValue,
  timestampValueFromMillis,
} from "@weir/sql";
import type { KafkaConsumerRecord } from "../kafka-consumer-record.ts";
import type { KafkaRecordDeserializer } from "../kafka-record-deserializer.ts";
import type { KafkaProducerRecord, KafkaRecordSerializer } from "../kafka-record-serializer.ts";
import type { KafkaTableConfig } from "./kafka-table-options.ts";

/** The readable metadata keys and the type family each accepts. */
const METADATA: Readonly<
  Record<string, { kinds: readonly string[]; read: (r: KafkaConsumerRecord) => SqlValue }>
> = {
  topic: { kinds: ["VARCHAR", "CHAR"], read: (r) => r.topic },
  partition: { kinds: ["INT"], read: (r) => r.partition },
  offset: { kinds: ["BIGINT"], read: (r) => BigInt(r.offset) },
  timestamp: { kinds: ["TIMESTAMP_LTZ"], read: (r) => r.timestamp },
  "timestamp-type": { kinds: ["VARCHAR", "CHAR"], read: (r) => r.timestampType },
  "leader-epoch": { kinds: ["INT"], read: (r) => (r.leaderEpoch < 0 ? null : r.leaderEpoch) },
  headers: {
    kinds: ["MAP"],
    read: (r) => {
      const map = new Map<SqlValue, SqlValue>();
      for (const [name, value] of r.headers) map.set(name, value === null ? null : new Uint8Array(value));
      return map;
    },
  },
};

export const READABLE_METADATA_KEYS = Object.keys(METADATA);

export interface RowLayout {
  readonly physical: LogicalRowType;
  /** Physical indices of the key fields, in key order. */
  readonly keyIndices: readonly number[];
  /** Physical indices of the value fields, in value order. */
  readonly valueIndices: readonly number[];
  readonly keyType: LogicalRowType;
  readonly valueType: LogicalRowType;
}

export function rowLayout(physical: LogicalRowType, config: KafkaTableConfig): RowLayout {
  const names = physical.fields.map((f) => f.name);
  const keyIndices = config.keyFields.map((f) => names.indexOf(f));
  const keySet = new Set(keyIndices);
  const valueIndices = names
    .map((_, i) => i)
    .filter((i) => config.valueFieldsInclude === "ALL" || !keySet.has(i));
  const prefix = config.keyFieldsPrefix;
  return {
    physical,
    keyIndices,
    valueIndices,
    keyType: {
      ...physical,
      fields: keyIndices.map((i) => {
        const field = physical.fields[i]!;
        return { ...field, name: field.name.slice(prefix.length) };
      }),
    },
    valueType: { ...physical, fields: valueIndices.map((i) => physical.fields[i]!) },
  };
}

function typeKind(type: LogicalType): string {
  return (type as { kind: string }).kind;
}

/** Checks requested metadata keys and types; throws naming the key. */
export function metadataReaders(
  table: string,
  metadata: readonly { readonly key: string; readonly type: LogicalType }[],
): ((r: KafkaConsumerRecord) => SqlValue)[] {
  return metadata.map(({ key, type }) => {
    const spec = METADATA[key];
    if (spec === undefined)
      throw new ConnectorOptionError(
        `Table '${table}': unknown metadata key '${key}' for 'kafka'. Supported: ${READABLE_METADATA_KEYS.join(", ")}`,
      );
    if (!spec.kinds.includes(typeKind(type)))
      throw new ConnectorOptionError(
        `Table '${table}': metadata '${key}' cannot be read as ${typeKind(type)} (expected ${spec.kinds.join(" or ")})`,
      );
    // A record's timestamp is epoch millis; the declared TIMESTAMP_LTZ(p) decides its representation.
    if (key === "timestamp") return (r) => timestampValueFromMillis(r.timestamp, type);
    return spec.read;
  });
}

const decoder = new TextDecoder();

export interface RowDeserializerOptions {
  readonly table: string;
  readonly timeZone: string;
  readonly layout: RowLayout;
  readonly config: KafkaTableConfig;
  readonly metadata: readonly ((r: KafkaConsumerRecord) => SqlValue)[];
  /** upsert-kafka: a tombstone is a DELETE of its key. */
  readonly upsert: boolean;
}

/** Format options with every `ignore-parse-errors` switched off: the strict twin of a lenient format. */
function strictOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  const strict: Record<string, string> = { ...options };
  for (const key of Object.keys(strict)) if (key.endsWith(".ignore-parse-errors")) strict[key] = "false";
  return strict;
}

/**
 * The table's deserializer: one row per record (`RowData`), or, for a changelog value format
 * (`debezium-json`, `canal-json`), the rows of the record (`RowData[]`: none, one, or `-U`/`+U`).
 */
export function rowDeserializer(
  options: RowDeserializerOptions,
): KafkaRecordDeserializer<RowData | RowData[]> {
  const { layout, config, metadata } = options;
  const context = { tableName: options.table, timeZone: options.timeZone };
  const value: RecordDecoder = createRecordDecoder(
    config.valueFormat,
    layout.valueType,
    config.valueFormatOptions,
    context,
  );
  const key: RowDeserializer | undefined =
    config.keyFormat === undefined
      ? undefined
      : createRowDeserializer(config.keyFormat, layout.keyType, config.keyFormatOptions, context);
  const lenient = config.badRecords.kind === "drop" && config.badRecords.lenient.length > 0;
  const strictValue = lenient
    ? createRecordDecoder(
        config.valueFormat,
        layout.valueType,
        strictOptions(config.valueFormatOptions),
        context,
      )
    : undefined;
  const strictKey =
    lenient && config.keyFormat !== undefined
      ? createRowDeserializer(
          config.keyFormat,
          layout.keyType,
          strictOptions(config.keyFormatOptions),
          context,
        )
      : undefined;
  const changelog = value.changelogMode.kind !== "insert-only";
  const width = layout.physical.fields.length;
  const { keyIndices, valueIndices } = layout;
  const decoded: RowData[] = [];
  return {
    deserialize(record) {
      let keyRow: Row | null = null;
      if (key !== undefined && record.key !== null) {
        const text = decoder.decode(record.key);
        keyRow = key.deserialize(text);
        // Skipped by a lenient key format: the strict one says why (and throws), or it is skipped.
        if (keyRow === null) {
          strictKey?.deserialize(text);
          return undefined;
        }
      }
      const complete = (kind: RowKind, valueRow: readonly (SqlValue | undefined)[] | null): RowData => {
        const fields: Row = new Array(width + metadata.length).fill(null);
        if (valueRow !== null)
          for (let i = 0; i < valueIndices.length; i++) fields[valueIndices[i]!] = valueRow[i] ?? null;
        if (keyRow !== null)
          for (let i = 0; i < keyIndices.length; i++) fields[keyIndices[i]!] = keyRow[i] ?? null;
        for (let i = 0; i < metadata.length; i++) fields[width + i] = metadata[i]!(record);
        return { kind, fields };
      };
      if (record.value === null) {
        // A tombstone: in upsert-kafka the DELETE of its key (without a key it names nothing).
        if (!options.upsert || keyRow === null) return undefined;
        return complete(RowKind.DELETE, null);
      }
      decoded.length = 0;
      value.decode(record.value, decoded);
      if (decoded.length === 0) {
        strictValue?.decode(record.value, decoded);
        return undefined;
      }
      if (!changelog) return complete(RowKind.INSERT, decoded[0]!.fields);
      return decoded.map((row) => complete(row.kind, row.fields));
    },
  };
}

export interface RowSerializerOptions {
  readonly table: string;
  readonly timeZone: string;
  readonly layout: RowLayout;
  readonly config: KafkaTableConfig;
  /**
   * upsert-kafka: DELETE writes a tombstone, UPDATE_BEFORE is skipped. Otherwise every row goes
   * through the value format, whose encoder refuses the kinds it cannot write.
   */
  readonly upsert: boolean;
}

export function rowSerializer(options: RowSerializerOptions): KafkaRecordSerializer<RowData> {
  const { layout, config } = options;
  const context = { tableName: options.table, timeZone: options.timeZone };
  const value: RecordEncoder = createRecordEncoder(
    config.valueFormat,
    layout.valueType,
    config.valueFormatOptions,
    context,
  );
  const key: RowSerializer | undefined =
    config.keyFormat === undefined
      ? undefined
      : createRowSerializer(config.keyFormat, layout.keyType, config.keyFormatOptions, context);
  const { keyIndices, valueIndices } = layout;
  const changelog = findRecordFormat(config.valueFormat).changelog;
  const project = (row: Row, indices: readonly number[]): Row => indices.map((i) => row[i] ?? null);
  return {
    serialize(row): KafkaProducerRecord | null {
      if (options.upsert && row.kind === RowKind.UPDATE_BEFORE) return null;
      const keyText = key === undefined ? undefined : key.serialize(project(row.fields, keyIndices));
      if (options.upsert && (row.kind === RowKind.DELETE || row.kind === RowKind.UPDATE_BEFORE))
        return { key: keyText ?? null, value: null };
      if (!changelog && (row.kind === RowKind.DELETE || row.kind === RowKind.UPDATE_BEFORE))
        throw new Error(
          `table '${options.table}' takes only inserts with value format '${config.valueFormat}', got a ${row.kind === RowKind.DELETE ? "DELETE" : "UPDATE_BEFORE"}`,
        );
      const bytes = value.encode({ kind: row.kind, fields: project(row.fields, valueIndices) });
      return { key: keyText ?? null, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    },
  };
}
