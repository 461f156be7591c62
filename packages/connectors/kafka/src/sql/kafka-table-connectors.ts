/**
 * The `kafka` and `upsert-kafka` SQL connectors (Flink's names and options; see
 * {@link readKafkaTableOptions}). `kafka` is an append-only table: its source emits inserts, its
 * sink accepts only inserts. `upsert-kafka` is a changelog keyed by the table's PRIMARY KEY: its
 * source emits inserts and, for tombstones, deletes (upsert mode), and its sink writes each upsert
 * as a keyed record and each delete as a tombstone; rows are routed by key to one sink subtask so
 * each key's records keep their order.
 *
 * ```sql
 * CREATE TABLE totals (user_id BIGINT, total DECIMAL(12, 2), PRIMARY KEY (user_id) NOT ENFORCED)
 * WITH ('connector' = 'upsert-kafka', 'topic' = 'totals',
 *       'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');
 * ```
 * @module
 */

import type { Sink } from "@weir/api";
import {
  ConnectorOptionError,
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
import { KafkaSink } from "../kafka-sink.ts";
import { KafkaSource } from "../kafka-source.ts";
import { metadataReaders, rowDeserializer, rowLayout, rowSerializer } from "./kafka-row-codec.ts";
import { type KafkaTableConfig, readKafkaTableOptions } from "./kafka-table-options.ts";

type Identifier = "kafka" | "upsert-kafka";

function createSource(identifier: Identifier, context: SourceContext): TableSource {
  const { table } = context;
  const config = readKafkaTableOptions(table, identifier);
  const upsert = identifier === "upsert-kafka";
  const layout = rowLayout(context.physicalType, config);
  const deserializer = rowDeserializer({
    table: table.name,
    timeZone: sessionTimeZone(context.config),
    layout,
    config,
    metadata: metadataReaders(table.name, context.metadata),
    upsert,
  });
  const source = KafkaSource.create<RowData>({
    name: `KafkaSource ${table.name}`,
    bootstrapServers: config.bootstrapServers,
    topics: config.topics,
    deserializer,
    ...(config.groupId === undefined ? {} : { groupId: config.groupId }),
    startingOffsets: config.startingOffsets,
    ...(config.bounded ? { stoppingOffsets: "latest" as const } : {}),
    isolationLevel: config.readCommitted ? "read_committed" : "read_uncommitted",
    partitionDiscoveryIntervalMs: config.partitionDiscoveryIntervalMs,
  });
  return {
    changelogMode: upsert ? { kind: "upsert", upsertKey: layout.keyIndices } : INSERT_ONLY,
    bounded: config.bounded,
    createStream() {
      const stream = context.env.fromSource(source, `Source: ${identifier} ${table.name}`);
      if (config.scanParallelism !== undefined) stream.withParallelism(config.scanParallelism);
      return stream;
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
  return {
    acceptedModes: upsert ? ["insert-only", "retract", "upsert"] : ["insert-only"],
    consume(stream) {
      if (!upsert) {
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
