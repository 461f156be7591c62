/**
 * `@weir/connector-kafka`: Kafka for Weir's DataStream API — a split-based source with offsets
 * in checkpoints and a sink with none / at-least-once / exactly-once (transactional) delivery.
 * SQL tables (`kafka`, `upsert-kafka`) are in the `./sql` subpath.
 * @module
 */

export type { KafkaClientOptions } from "./kafka-client-options.ts";
export type { KafkaConsumerRecord } from "./kafka-consumer-record.ts";
export type { KafkaDeadLetter } from "./kafka-dead-letter.ts";
export type { KafkaPartitionSplit } from "./kafka-partition-split.ts";
export { KafkaDeserializers, type KafkaRecordDeserializer } from "./kafka-record-deserializer.ts";
export {
  type KafkaProducerRecord,
  type KafkaRecordSerializer,
  KafkaSerializers,
  type ValueSerializerOptions,
} from "./kafka-record-serializer.ts";
export { KafkaSink, type KafkaSinkCommittable } from "./kafka-sink.ts";
export type { DeliveryGuarantee, KafkaSinkOptions } from "./kafka-sink-options.ts";
export { KafkaSource } from "./kafka-source.ts";
export type { KafkaEnumeratorState } from "./kafka-source-enumerator.ts";
export { type KafkaSourceMetrics, kafkaSourceMetrics } from "./kafka-source-metrics.ts";
export type { KafkaSourceOptions } from "./kafka-source-options.ts";
export type { StartingOffsets } from "./starting-offsets.ts";
export type { KafkaCommittable } from "./transaction-admin.ts";
export type { KafkaRecoveryMarker } from "./transaction-recovery.ts";
