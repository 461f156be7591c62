/**
 * The `kafka` and `upsert-kafka` SQL connectors (Flink's names and options; see
 * {@link readKafkaTableOptions}). `kafka` takes its changelog mode from its value format, as
 * Flink's: with an insert-only format (`json`, `csv`, `raw`, `avro`) its source emits inserts and
 * its sink accepts only inserts (an updating query is refused at planning, "Table sink '…' doesn't
 * support consuming update changes …"); with a changelog format (`debezium-json`, `canal-json`,
 * `maxwell-json`) its source emits -U/+U/-D too and its sink writes every row kind as that
 * format's envelope, one record per row (e.g. `-U` as a Debezium `"op":"d"` event). With
 * `key.fields` those records are routed by key to one sink subtask, so each key's changes reach
 * its partition in order. `upsert-kafka` is a changelog keyed by the table's PRIMARY KEY: its
 * source emits inserts and, for tombstones, deletes (upsert mode), and its sink writes each upsert
 * as a keyed record and each delete as a tombstone; rows are routed by key to one sink subtask so
 * each key's records keep their order.
 *
 * ```sql
 * CREATE TABLE totals (user_id BIGINT, total DECIMAL(12, 2), PRIMARY KEY (user_id) NOT ENFORCED)
 * WITH ('connector' = 'upsert-kafka', 'topic' = 'totals',
 *       'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');
 * ```
 *
 * Malformed records follow the table's bad-record policy (kafka-bad-record-options.ts): fail
 * naming topic, partition and offset; drop (counted in `kafkaSourceMetrics`, logged at most every
 * 10 s); or dead-letter to another topic.
 * @module
 */

import type { BadRecordPolicy, ConfigurableNonKeyedStream, Sink } from "@weir/api";
import {
  type ChangelogMode,
  ConnectorOptionError,
  createRecordDecoder,
  findRecordFormat,
  groupKeyOf,
  INSERT_ONLY,
  type RowData,
  type SinkContext,
  type SourceContext,
  sessionTimeZone,
  type TableConnectorFactory,
  type TableSink,
  type TableSource,
} from "@weir/sql";
import type { KafkaDeadLetter } from "../kafka-dead-letter.ts";
import { KafkaSerializers } from "../kafka-record-serializer.ts";
import { KafkaSink } from "../kafka-sink.ts";
import { KafkaSource } from "../kafka-source.ts";
import { metadataReaders, rowDeserializer, rowLayout, rowSerializer } from "./kafka-row-codec.ts";
import { type KafkaTableConfig, readKafkaTableOptions } from "./kafka-table-options.ts";

type Identifier = "kafka" | "upsert-kafka";

/** The table's bad-record options as the source's policy. */
function badRecordPolicy(config: KafkaTableConfig, table: string): BadRecordPolicy<KafkaDeadLetter> {
  const options = config.badRecords;
  if (options.kind === "fail") return { kind: "fail" };
  if (options.kind === "drop") return { kind: "drop" };
  return {
    kind: "dead-letter",
    sink: KafkaSink.create<KafkaDeadLetter>({
      name: `KafkaSink dead letters of ${table}`,
      bootstrapServers: config.bootstrapServers,
      topic: options.topic,
      serializer: KafkaSerializers.json<KafkaDeadLetter>(),
      deliveryGuarantee: "at-least-once",
    }),
  };
}

function createSource(identifier: Identifier, context: SourceContext): TableSource {
  const { table } = context;
  const config = readKafkaTableOptions(table, identifier);
  const upsert = identifier === "upsert-kafka";
  const layout = rowLayout(context.physicalType, config);
  // Built now so that bad format options fail at planning; its mode is the source's (non-upsert).
  const valueMode: ChangelogMode = createRecordDecoder(
    config.valueFormat,
    layout.valueType,
    config.valueFormatOptions,
    {
      tableName: table.name,
      timeZone: sessionTimeZone(context.config),
    },
  ).changelogMode;
  if (upsert && valueMode.kind !== "insert-only")
    throw new ConnectorOptionError(
      `Table '${table.name}': 'upsert-kafka' takes an insert-only value format, not the changelog format '${config.valueFormat}'`,
    );
  const deserializer = rowDeserializer({
    table: table.name,
    timeZone: sessionTimeZone(context.config),
    layout,
    config,
    metadata: metadataReaders(table.name, context.metadata),
    upsert,
  });
  const source = KafkaSource.create<RowData | RowData[]>({
    name: `KafkaSource ${table.name}`,
    bootstrapServers: config.bootstrapServers,
    topics: config.topics,
    deserializer,
    ...(config.groupId === undefined ? {} : { groupId: config.groupId }),
    startingOffsets: config.startingOffsets,
    ...(config.bounded ? { stoppingOffsets: "latest" as const } : {}),
    isolationLevel: config.readCommitted ? "read_committed" : "read_uncommitted",
    partitionDiscoveryIntervalMs: config.partitionDiscoveryIntervalMs,
    badRecords: badRecordPolicy(config, table.name),
  });
  const changelog = valueMode.kind !== "insert-only";
  return {
    changelogMode: upsert
      ? { kind: "upsert", upsertKey: layout.keyIndices }
      : changelog
        ? valueMode
        : INSERT_ONLY,
    bounded: config.bounded,
    createStream() {
      const stream = context.env.fromSource(source, `Source: ${identifier} ${table.name}`);
      if (config.scanParallelism !== undefined) stream.withParallelism(config.scanParallelism);
      // Insert-only formats: the deserializer returns one row per record.
      if (!changelog) return stream as unknown as ConfigurableNonKeyedStream<RowData>;
      // A changelog record stands for none, one or two rows (-U/+U): emitted one by one.
      const rows = stream
        .process<RowData>({
          processRecord(element, out) {
            for (const row of element as RowData[]) out.collect(row);
          },
        })
        .withName(`${table.name}: changelog rows`);
      if (config.scanParallelism !== undefined) rows.withParallelism(config.scanParallelism);
      return rows;
    },
  };
}

function kafkaSink(config: KafkaTableConfig, context: SinkContext, upsert: boolean): Sink<RowData, unknown> {
  const layout = rowLayout(context.physicalType, config);
  return KafkaSink.create<RowData>({
    name: `KafkaSink ${context.table.name}`,
    bootstrapServers: config.bootstrapServers,
    topic: config.topics[0]!,
    serializer: rowSerializer({
      table: context.table.name,
      timeZone: sessionTimeZone(context.config),
      layout,
      config,
      upsert,
    }),
    deliveryGuarantee: config.deliveryGuarantee,
    ...(config.transactionalIdPrefix === undefined
      ? {}
      : { transactionalIdPrefix: config.transactionalIdPrefix }),
    ...(config.transactionTimeoutMs === undefined
      ? {}
      : { transactionTimeoutMs: config.transactionTimeoutMs }),
  }) as Sink<RowData, unknown>;
}

function createSink(identifier: Identifier, context: SinkContext): TableSink {
  const { table } = context;
  const config = readKafkaTableOptions(table, identifier);
  if (config.topics.length !== 1)
    throw new ConnectorOptionError(
      `Table '${table.name}': a Kafka sink writes to exactly one topic, got ${config.topics.join(";")}`,
    );
  const upsert = identifier === "upsert-kafka";
  const sink = kafkaSink(config, context, upsert);
  const name = `Sink: ${identifier} ${table.name}`;
  // A changelog value format (debezium-json, canal-json, maxwell-json) writes every row kind as its envelope.
  const changelog = !upsert && findRecordFormat(config.valueFormat).changelog;
  const keyed = upsert || (changelog && config.keyFields.length > 0);
  return {
    acceptedModes: upsert
      ? ["insert-only", "retract", "upsert"]
      : changelog
        ? ["insert-only", "retract"]
        : ["insert-only"],
    consume(stream) {
      if (!keyed) {
        const handle = stream.toSink(sink).withName(name);
        if (config.sinkParallelism !== undefined) handle.withParallelism(config.sinkParallelism);
        return;
      }
      // One subtask per key keeps each key's changes in order (Kafka orders them per partition).
      const layout = rowLayout(context.physicalType, config);
      const fields = context.physicalType.fields;
      const keyOf = (row: RowData) =>
        layout.keyIndices.map((i) => {
          const value = row.fields[i] ?? null;
          return value === null ? "\u0000null" : groupKeyOf(value, fields[i]!.type);
        });
      const handle = stream
        .keyBy(keyOf)
        .process<RowData>({ processRecord: (row, out) => out.collect(row) })
        .withName(`${name} (by key)`)
        .toSink(sink)
        .withName(name);
      if (config.sinkParallelism !== undefined) handle.withParallelism(config.sinkParallelism);
    },
  };
}

function factory(identifier: Identifier): TableConnectorFactory {
  return {
    identifier,
    requiredOptions:
      identifier === "kafka"
        ? ["topic", "properties.bootstrap.servers"]
        : ["topic", "properties.bootstrap.servers", "key.format", "value.format"],
    optionalOptions: [],
    createSource: (context) => createSource(identifier, context),
    createSink: (context) => createSink(identifier, context),
  };
}

export const kafkaTableConnector: TableConnectorFactory = factory("kafka");
export const upsertKafkaTableConnector: TableConnectorFactory = factory("upsert-kafka");
