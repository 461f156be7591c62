/**
 * A Kafka record the source's deserializer rejected, as the `dead-letter` bad-record policy
 * (`BadRecordPolicy<KafkaDeadLetter>` of `@weir/api`) hands it to its sink: where it was, its bytes,
 * and why it was rejected.
 *
 * Example: `{ topic: "orders", partition: 0, offset: 17, timestamp: 1700000000000, key: "a",
 * value: "{oops", valueBase64: "e29vcHM=", error: "Unexpected token o in JSON at position 1" }`.
 * @module
 */

/** @public */
export interface KafkaDeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  /** Key and value as UTF-8 text (lossy for binary data); `null` when absent. */
  readonly key: string | null;
  readonly value: string | null;
  /** The value's bytes in base64, exact for binary data; `null` for a tombstone. */
  readonly valueBase64: string | null;
  /** The deserializer's error message. */
  readonly error: string;
}
