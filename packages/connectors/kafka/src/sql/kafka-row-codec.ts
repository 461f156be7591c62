/**
 * Kafka records ↔ SQL rows for the `kafka` and `upsert-kafka` tables: the value (and optionally
 * the key) go through the table's row formats (`json`, `csv`, `raw` from @weir/sql), key fields
 * and value fields are placed at their physical column positions, and requested metadata
 * (`topic`, `partition`, `offset`, `timestamp`, `timestamp-type`, `headers`, `leader-epoch`) is
 * appended after the physical columns, as the SQL connector contract says.
 *
 * Worked example, `(k STRING, v INT, off BIGINT METADATA FROM 'offset')` with
 * `'key.fields' = 'k'`, `'key.format' = 'raw'`, `'value.format' = 'json'`,
 * `'value.fields-include' = 'EXCEPT_KEY'`: the record key `a`, value `{"v":1}` at offset 7
 * become `+I["a", 1, 7n]`.
 *
 * Invariant: a format that skips a record (its `*.ignore-parse-errors`) skips the whole record;
 * any other format failure is thrown and handled by the source's bad-record policy, which names
 * topic, partition and offset.
 * @module
 */

import {
  ConnectorOptionError,
  createRowDeserializer,
  createRowSerializer,
  type LogicalRowType,
  type LogicalType,
  type Row,
  type RowData,
  type RowDeserializer,
  RowKind,
  type RowSerializer,
  type SqlValue,
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

export function rowDeserializer(options: RowDeserializerOptions): KafkaRecordDeserializer<RowData> {
  const { layout, config, metadata } = options;
  const context = { tableName: options.table, timeZone: options.timeZone };
  const value: RowDeserializer = createRowDeserializer(
    config.valueFormat,
    layout.valueType,
    config.valueFormatOptions,
    context,
  );
  const key: RowDeserializer | undefined =
    config.keyFormat === undefined
      ? undefined
      : createRowDeserializer(config.keyFormat, layout.keyType, config.keyFormatOptions, context);
  const width = layout.physical.fields.length;
  const { keyIndices, valueIndices } = layout;
  return {
    deserialize(record) {
      const fields: Row = new Array(width + metadata.length).fill(null);
      let kind: RowKind = RowKind.INSERT;
      if (record.value === null) {
        if (!options.upsert) return undefined;
        kind = RowKind.DELETE;
      } else {
        const valueRow = value.deserialize(decoder.decode(record.value));
        if (valueRow === null) return undefined;
        for (let i = 0; i < valueIndices.length; i++) fields[valueIndices[i]!] = valueRow[i] ?? null;
      }
      if (key !== undefined && record.key !== null) {
        const keyRow = key.deserialize(decoder.decode(record.key));
        if (keyRow === null) return undefined;
        for (let i = 0; i < keyIndices.length; i++) fields[keyIndices[i]!] = keyRow[i] ?? null;
      } else if (kind === RowKind.DELETE) {
        // A tombstone without a key deletes nothing we could name.
        return undefined;
      }
      for (let i = 0; i < metadata.length; i++) fields[width + i] = metadata[i]!(record);
      return { kind, fields };
    },
  };
}

export interface RowSerializerOptions {
  readonly table: string;
  readonly timeZone: string;
  readonly layout: RowLayout;
  readonly config: KafkaTableConfig;
  /** upsert-kafka: DELETE writes a tombstone, UPDATE_BEFORE is skipped. */
  readonly upsert: boolean;
}

export function rowSerializer(options: RowSerializerOptions): KafkaRecordSerializer<RowData> {
  const { layout, config } = options;
  const context = { tableName: options.table, timeZone: options.timeZone };
  const value: RowSerializer = createRowSerializer(
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
  const project = (row: Row, indices: readonly number[]): Row => indices.map((i) => row[i] ?? null);
  return {
    serialize(row): KafkaProducerRecord | null {
      if (options.upsert && row.kind === RowKind.UPDATE_BEFORE) return null;
      const keyText = key === undefined ? undefined : key.serialize(project(row.fields, keyIndices));
      if (row.kind === RowKind.DELETE || row.kind === RowKind.UPDATE_BEFORE) {
        if (!options.upsert)
          throw new Error(
            `table '${options.table}' takes only inserts, got a ${row.kind === RowKind.DELETE ? "DELETE" : "UPDATE_BEFORE"}`,
          );
        return { key: keyText ?? null, value: null };
      }
      return { key: keyText ?? null, value: value.serialize(project(row.fields, valueIndices)) };
    },
  };
}
