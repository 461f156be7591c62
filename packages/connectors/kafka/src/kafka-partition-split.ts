/**
 * The Kafka source's unit of work: one topic-partition with the next offset to read. Splits are
 * plain data and live in checkpoints, so a restored reader resumes each partition exactly where
 * the checkpoint's barrier left it.
 *
 * Invariant: `offset` is the offset of the next record the reader would emit; every record below
 * it has been emitted before the barrier of the checkpoint that holds the split.
 *
 * Example: `{ splitId: "orders-3", topic: "orders", partition: 3, offset: 1042, stoppingOffset: null }`
 * reads partition 3 of `orders` from offset 1042 on, without end.
 * @module
 */

import type { SourceSplit } from "@weir/api";

/** @public */
export interface KafkaPartitionSplit extends SourceSplit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
  /** Bounded reads stop before this offset; `null` reads forever. */
  readonly stoppingOffset: number | null;
}

export function partitionSplitId(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Java's `String.hashCode`, so partitions spread over readers as they do in Flink. */
function stringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The reader subtask that owns a partition: consecutive partitions of one topic go to consecutive
 * readers, starting at a topic-dependent reader, so several topics do not all pile onto reader 0.
 */
export function partitionOwner(topic: string, partition: number, parallelism: number): number {
  const start = ((Math.imul(stringHash(topic), 31) & 0x7fffffff) >>> 0) % parallelism;
  return (start + partition) % parallelism;
}
