/**
 * Turning Kafka records into stream elements. A deserializer sees the whole record (key, value,
 * headers, topic, partition, offset, timestamp) and returns one element; throwing marks the record
 * as malformed, and the source's bad-record policy decides what happens (fail, drop, dead-letter).
 *
 * Example: `KafkaDeserializers.json<Order>()` turns the value `{"id":1}` into `{ id: 1 }`;
 * `KafkaDeserializers.string()` into `'{"id":1}'`; a custom one can read the key or headers:
 * `{ deserialize: (r) => ({ user: r.key?.toString(), at: r.timestamp }) }`.
 * @module
 */

import type { KafkaConsumerRecord } from "./kafka-consumer-record.ts";

/**
 * Reads one element from one record; throws on a malformed record. Returning `undefined` skips
 * the record (its offset still counts as read), e.g. for a format told to ignore parse errors.
 * @public
 */
export interface KafkaRecordDeserializer<T> {
  deserialize(record: KafkaConsumerRecord): T | undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function requireValue(record: KafkaConsumerRecord): Buffer {
  if (record.value === null) throw new Error("the record has no value (a tombstone)");
  return record.value;
}

/** The built-in deserializers of record values. @public */
export const KafkaDeserializers = {
  /** The value's bytes as they are (a tombstone is an error). */
  bytes(): KafkaRecordDeserializer<Buffer> {
    return { deserialize: requireValue };
  },
  /** The value as UTF-8 text; invalid UTF-8 is an error. */
  string(): KafkaRecordDeserializer<string> {
    return { deserialize: (record) => decoder.decode(requireValue(record)) };
  },
  /** The value parsed as one JSON document (UTF-8); invalid JSON is an error. */
  json<T = unknown>(): KafkaRecordDeserializer<T> {
    return { deserialize: (record) => JSON.parse(decoder.decode(requireValue(record))) as T };
  },
  /** The whole record, copied (headers included): for jobs that want keys, headers and positions. */
  record(): KafkaRecordDeserializer<KafkaConsumerRecord> {
    return {
      deserialize: (r) => ({
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        timestamp: r.timestamp,
        timestampType: r.timestampType,
        leaderEpoch: r.leaderEpoch,
        key: r.key,
        value: r.value,
        headers: r.headers,
      }),
    };
  },
};
