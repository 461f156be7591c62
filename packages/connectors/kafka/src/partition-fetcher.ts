/**
 * Fetches record batches of many partitions at chosen offsets, one request per partition leader,
 * through @platformatic/kafka's low-level `fetch` (no consumer-group membership: Weir assigns
 * partitions and keeps offsets in checkpoints). Batches come back as the broker sent them; the
 * reader skips control batches and, under read_committed, aborted transactions (see
 * {@link committedBatches}).
 * @module
 */

import { Consumer, FetchIsolationLevels, IS_CONTROL, type RecordsBatch } from "@platformatic/kafka";
import { baseClientOptions, type KafkaClientOptions } from "./kafka-client-options.ts";

export interface FetchPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface FetchedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly batches: readonly RecordsBatch[];
  readonly abortedTransactions: readonly { producerId: bigint; firstOffset: bigint }[] | null;
}

export interface PartitionFetcherOptions extends KafkaClientOptions {
  readonly name: string;
  readonly groupId: string;
  readonly readCommitted: boolean;
  readonly maxWaitMs: number;
  readonly maxBytesPerPartition: number;
}

export class PartitionFetcher {
  readonly #consumer: Consumer;
  readonly #options: PartitionFetcherOptions;

  constructor(options: PartitionFetcherOptions, subtask: number) {
    this.#options = options;
    this.#consumer = new Consumer({
      ...baseClientOptions(options, options.name, `reader-${subtask}`),
      groupId: options.groupId,
      autocommit: false,
      isolationLevel: options.readCommitted
        ? FetchIsolationLevels.READ_COMMITTED
        : FetchIsolationLevels.READ_UNCOMMITTED,
      retries: 3,
    });
  }

  get consumer(): Consumer {
    return this.#consumer;
  }

  async fetch(positions: readonly FetchPosition[]): Promise<FetchedPartition[]> {
    const topics = [...new Set(positions.map((p) => p.topic))];
    this.#consumer.topics.trackAll(...topics);
    const metadata = await this.#consumer.metadata({ topics });
    const byNode = new Map<number, Map<string, FetchPosition[]>>();
    const topicById = new Map<string, string>();
    for (const position of positions) {
      const info = metadata.topics.get(position.topic);
      const leader = info?.partitions[position.partition]?.leader;
      if (info === undefined || leader === undefined)
        throw new Error(`${this.#options.name}: no leader known for ${position.topic}-${position.partition}`);
      topicById.set(info.id, position.topic);
      let topicsOfNode = byNode.get(leader);
      if (topicsOfNode === undefined) {
        topicsOfNode = new Map();
        byNode.set(leader, topicsOfNode);
      }
      const list = topicsOfNode.get(info.id) ?? [];
      list.push(position);
      topicsOfNode.set(info.id, list);
    }
    const responses = await Promise.all(
      [...byNode].map(([node, topicsOfNode]) =>
        this.#consumer.fetch({
          node,
          maxWaitTime: this.#options.maxWaitMs,
          minBytes: 1,
          maxBytes: this.#options.maxBytesPerPartition * Math.max(1, positions.length),
          topics: [...topicsOfNode].map(([topicId, list]) => ({
            topicId,
            partitions: list.map((p) => ({
              partition: p.partition,
              fetchOffset: BigInt(p.offset),
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: this.#options.maxBytesPerPartition,
            })),
          })),
        }),
      ),
    );
    const fetched: FetchedPartition[] = [];
    for (const response of responses) {
      for (const topicResponse of response.responses) {
        const topic = topicById.get(topicResponse.topicId);
        if (topic === undefined) continue;
        for (const p of topicResponse.partitions) {
          if (p.records === undefined || p.records === null || p.records.length === 0) continue;
          fetched.push({
            topic,
            partition: p.partitionIndex,
            batches: p.records,
            abortedTransactions: p.abortedTransactions,
          });
        }
      }
    }
    return fetched;
  }

  async close(): Promise<void> {
    await this.#consumer.close(true).catch(() => {});
  }
}

/** The batches a reader may deliver, and the offset after the last batch fetched. */
export interface DeliverableBatches {
  readonly batches: RecordsBatch[];
  readonly endOffset: number;
  readonly records: number;
}

/**
 * Drops control batches (transaction markers) and, under read_committed, the batches of aborted
 * transactions: a producer id becomes "aborted" from the first offset the broker lists for it
 * until its abort marker (the way Kafka's own consumer does it), whether or not the marker arrived
 * in the same response.
 */
export function committedBatches(fetched: FetchedPartition, readCommitted: boolean): DeliverableBatches {
  const batches: RecordsBatch[] = [];
  let endOffset = 0;
  let records = 0;
  const aborted = readCommitted
    ? [...(fetched.abortedTransactions ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
    : [];
  let next = 0;
  const abortedProducers = new Set<bigint>();
  for (const batch of fetched.batches) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    endOffset = Number(last) + 1;
    if (readCommitted && batch.producerId >= 0n) {
      while (next < aborted.length && aborted[next]!.firstOffset <= last)
        abortedProducers.add(aborted[next++]!.producerId);
      if (batch.attributes & IS_CONTROL) {
        // Control record key: version (int16), type (int16; 0 = abort, 1 = commit).
        if (batch.records[0]?.key?.readInt16BE(2) === 0) abortedProducers.delete(batch.producerId);
        continue;
      }
      if (abortedProducers.has(batch.producerId)) continue;
    }
    if (batch.attributes & IS_CONTROL) continue;
    batches.push(batch);
    records += batch.records.length;
  }
  return { batches, endOffset, records };
}
