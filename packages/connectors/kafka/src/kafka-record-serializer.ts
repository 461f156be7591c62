/**
 * Turning stream elements into Kafka records for the sink. A serializer returns the record's
 * value and, optionally, its key, headers, topic, partition and timestamp; the sink's `topic`
 * applies when the serializer names none. Throwing fails the job with the serializer's error.
 *
 * Example: `KafkaSerializers.json<Order>({ key: (o) => String(o.customer) })` turns
 * `{ id: 1, customer: 7 }` into key `"7"`, value `{"id":1,"customer":7}`.
 * @module
 */

/** A record to produce. Strings are written as UTF-8. @public */
export interface KafkaProducerRecord {
  readonly topic?: string;
  readonly key?: Buffer | string | null;
  /** `null` writes a tombstone. */
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, Buffer | string>>;
  readonly partition?: number;
  /** Milliseconds since the epoch (default: the time of sending). */
  readonly timestamp?: number;
}

/** Returning `null` writes nothing for the element (e.g. an upsert sink's UPDATE_BEFORE rows). @public */
export interface KafkaRecordSerializer<T> {
  serialize(element: T): KafkaProducerRecord | null;
}

/** Options of the built-in serializers. @public */
export interface ValueSerializerOptions<T> {
  /** The record key, from the element (default: no key, so partitions are chosen round-robin). */
  readonly key?: (element: T) => Buffer | string | null;
  /** The topic, from the element (default: the sink's topic). */
  readonly topic?: (element: T) => string;
}

function withKey<T>(
  options: ValueSerializerOptions<T> | undefined,
  value: (element: T) => Buffer | string | null,
): KafkaRecordSerializer<T> {
  const key = options?.key;
  const topic = options?.topic;
  if (key === undefined && topic === undefined)
    return { serialize: (element) => ({ value: value(element) }) };
  return {
    serialize: (element) => ({
      value: value(element),
      ...(key === undefined ? {} : { key: key(element) }),
      ...(topic === undefined ? {} : { topic: topic(element) }),
    }),
  };
}

/** The built-in serializers. @public */
export const KafkaSerializers = {
  /** Elements that are Buffers, written as they are. */
  bytes(options?: ValueSerializerOptions<Buffer>): KafkaRecordSerializer<Buffer> {
    return withKey(options, (element) => element);
  },
  /** Elements that are strings, written as UTF-8. */
  string(options?: ValueSerializerOptions<string>): KafkaRecordSerializer<string> {
    return withKey(options, (element) => element);
  },
  /** Any JSON-serializable element, as one JSON document. */
  json<T>(options?: ValueSerializerOptions<T>): KafkaRecordSerializer<T> {
    return withKey(options, (element) => {
      const text = JSON.stringify(element) as string | undefined;
      if (text === undefined) throw new Error(`KafkaSerializers.json: ${String(element)} has no JSON form`);
      return text;
    });
  },
};
