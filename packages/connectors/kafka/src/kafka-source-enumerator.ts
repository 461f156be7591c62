/**
 * The Kafka source's split enumerator (runs once per job on the coordinator). It discovers the
 * partitions of the subscribed topics, resolves where each starts (and, bounded, where it stops),
 * and hands each partition to its owner reader ({@link partitionOwner}). Unbounded sources repeat
 * discovery periodically, so partitions added to a topic are picked up (read from their earliest
 * offset, as Flink does).
 *
 * Invariant: a partition is assigned at most once per job: the set of assigned partitions is the
 * enumerator's checkpoint state, and a restored job finds those partitions (with their offsets) in
 * the readers' own restored splits.
 *
 * Example state: `{ assigned: ["orders-0", "orders-1"], pending: [] }`.
 * @module
 */

import { Consumer } from "@platformatic/kafka";
import type { SplitEnumerator, SplitEnumeratorContext } from "@weir/api";
import { baseClientOptions } from "./kafka-client-options.ts";
import { type KafkaPartitionSplit, partitionOwner, partitionSplitId } from "./kafka-partition-split.ts";
import type { ResolvedKafkaSourceOptions } from "./kafka-source-options.ts";
import { resolveLatestOffsets, resolveStartingOffsets, type TopicPartition } from "./starting-offsets.ts";

/** @public */
export interface KafkaEnumeratorState {
  /** Split ids of the partitions handed to readers so far. */
  readonly assigned: readonly string[];
  /** Splits discovered but not yet handed out (their owner had not registered). */
  readonly pending: readonly KafkaPartitionSplit[];
  /** Whether the first discovery ran (later partitions start at their earliest offset). */
  readonly initialDiscoveryDone: boolean;
}

export class KafkaSourceEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> {
  readonly #ctx: SplitEnumeratorContext<KafkaPartitionSplit>;
  readonly #options: ResolvedKafkaSourceOptions<unknown>;
  readonly #assigned: Set<string>;
  #pending: KafkaPartitionSplit[];
  #initialDiscoveryDone: boolean;
  #consumer: Consumer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #discovering: Promise<void> | undefined;
  #closed = false;
  readonly #noMoreSignalled = new Set<number>();

  constructor(
    ctx: SplitEnumeratorContext<KafkaPartitionSplit>,
    options: ResolvedKafkaSourceOptions<unknown>,
    restored?: KafkaEnumeratorState,
  ) {
    this.#ctx = ctx;
    this.#options = options;
    this.#assigned = new Set(restored?.assigned ?? []);
    this.#pending = [...(restored?.pending ?? [])];
    this.#initialDiscoveryDone = restored?.initialDiscoveryDone ?? false;
  }

  #client(): Consumer {
    this.#consumer ??= new Consumer({
      ...baseClientOptions(this.#options, this.#options.name, "enumerator"),
      groupId: this.#options.groupId,
      autocommit: false,
      retries: 3,
    });
    return this.#consumer;
  }

  async start(): Promise<void> {
    await this.#discover();
    const interval = this.#options.partitionDiscoveryIntervalMs;
    if (!this.#options.bounded && interval > 0) {
      this.#timer = setInterval(() => {
        if (this.#discovering !== undefined) return;
        this.#discovering = this.#discover()
          .catch((error: unknown) => {
            // A failed periodic discovery is retried at the next interval; the partitions known
            // so far keep being read.
            this.#options.log(
              `${this.#options.name}: partition discovery failed: ${(error as Error).message}`,
            );
          })
          .finally(() => {
            this.#discovering = undefined;
          });
      }, interval);
      this.#timer.unref();
    }
  }

  async #discover(): Promise<void> {
    const consumer = this.#client();
    const topics = this.#options.topics;
    let metadata: Awaited<ReturnType<Consumer["metadata"]>>;
    try {
      metadata = await consumer.metadata({ topics: [...topics], forceUpdate: true, autocreateTopics: false });
    } catch (error) {
      throw new Error(
        `${this.#options.name}: cannot read the partitions of ${topics.join(", ")}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const found: TopicPartition[] = [];
    for (const topic of topics) {
      const info = metadata.topics.get(topic);
      if (info === undefined) throw new Error(`${this.#options.name}: topic "${topic}" does not exist`);
      for (let partition = 0; partition < info.partitionsCount; partition++) {
        const id = partitionSplitId(topic, partition);
        if (!this.#assigned.has(id) && !this.#pending.some((s) => s.splitId === id))
          found.push({ topic, partition });
      }
    }
    if (found.length > 0) {
      const readCommitted = this.#options.readCommitted;
      const starts = await resolveStartingOffsets(
        consumer,
        found,
        this.#initialDiscoveryDone ? "earliest" : this.#options.startingOffsets,
        readCommitted,
      );
      const stops = this.#options.bounded
        ? await resolveLatestOffsets(consumer, found, readCommitted)
        : undefined;
      found.forEach((tp, i) => {
        this.#pending.push({
          splitId: partitionSplitId(tp.topic, tp.partition),
          topic: tp.topic,
          partition: tp.partition,
          offset: starts[i]!,
          stoppingOffset: stops === undefined ? null : stops[i]!,
        });
      });
    }
    this.#initialDiscoveryDone = true;
    this.#assignPending();
  }

  #assignPending(): void {
    if (this.#closed) return;
    const registered = new Set(this.#ctx.registeredReaders());
    const parallelism = this.#ctx.parallelism;
    const byOwner = new Map<number, KafkaPartitionSplit[]>();
    const keep: KafkaPartitionSplit[] = [];
    for (const split of this.#pending) {
      const owner = partitionOwner(split.topic, split.partition, parallelism);
      if (!registered.has(owner)) {
        keep.push(split);
        continue;
      }
      const list = byOwner.get(owner) ?? [];
      list.push(split);
      byOwner.set(owner, list);
    }
    this.#pending = keep;
    for (const [owner, splits] of byOwner) {
      for (const split of splits) this.#assigned.add(split.splitId);
      this.#ctx.assignSplits(owner, splits);
    }
    if (this.#options.bounded && this.#initialDiscoveryDone) {
      for (const reader of registered) {
        if (this.#noMoreSignalled.has(reader)) continue;
        if (keep.some((s) => partitionOwner(s.topic, s.partition, parallelism) === reader)) continue;
        this.#noMoreSignalled.add(reader);
        this.#ctx.signalNoMoreSplits(reader);
      }
    }
  }

  handleSplitRequest(): void {
    this.#assignPending();
  }

  addSplitsBack(splits: readonly KafkaPartitionSplit[]): void {
    for (const split of splits) {
      this.#assigned.delete(split.splitId);
      this.#pending.push(split);
    }
    this.#assignPending();
  }

  /**
   * A reader registers: at start, or again after its region restarted alone. A restarted reader
   * lost the "no more splits" signal of its first attempt, so a bounded source signals it anew.
   */
  addReader(subtask: number): void {
    this.#noMoreSignalled.delete(subtask);
  }

  snapshotState(): KafkaEnumeratorState {
    return {
      assigned: [...this.#assigned],
      pending: this.#pending.map((s) => ({ ...s })),
      initialDiscoveryDone: this.#initialDiscoveryDone,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#discovering;
    await this.#consumer?.close(true).catch(() => {});
  }
}
