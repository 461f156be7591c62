/**
 * Counters of this thread's Kafka source readers (for monitoring and tests): records the
 * bad-record policy dropped or handed to a dead-letter sink. Counted per record, logged at most once
 * per interval (`DroppedRecordLog` of `@weir/api`).
 * @module
 */

/** @public */
export interface KafkaSourceMetrics {
  /** Malformed records skipped under the `drop` policy. */
  droppedRecords: number;
  /** Malformed records handed to a dead-letter sink. */
  deadLetters: number;
}

const metrics: KafkaSourceMetrics = { droppedRecords: 0, deadLetters: 0 };

/** This thread's counters (live object). @public */
export function kafkaSourceMetrics(): KafkaSourceMetrics {
  return metrics;
}
