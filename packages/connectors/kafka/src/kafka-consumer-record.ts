/**
 * One record as read from a partition, handed to a {@link KafkaRecordDeserializer}. The reader
 * reuses one object for every record of a batch to spare an allocation per record, so a
 * deserializer must copy what it keeps (the Buffers themselves are not reused).
 *
 * Example: `{ topic: "orders", partition: 2, offset: 1041, timestamp: 1763900000000,
 * key: <Buffer 6b 31>, value: <Buffer 7b 7d>, headers: [["trace", <Buffer 01>]] }`.
 * @module
 */

/** A record read from Kafka. @public */
export interface KafkaConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  /** The record's offset in its partition (exact below 2^53, which no real partition reaches). */
  readonly offset: number;
  /** The record's timestamp in milliseconds since the epoch. */
  readonly timestamp: number;
  /** Whether `timestamp` was set by the producer or by the broker. */
  readonly timestampType: "CreateTime" | "LogAppendTime";
  /** The partition leader epoch of the record's batch (-1 when unknown). */
  readonly leaderEpoch: number;
  /** `null` for a record without key. */
  readonly key: Buffer | null;
  /** `null` for a tombstone. */
  readonly value: Buffer | null;
  /** Header names (UTF-8 decoded) and raw values, in record order; names may repeat. */
  readonly headers: readonly (readonly [string, Buffer | null])[];
}
