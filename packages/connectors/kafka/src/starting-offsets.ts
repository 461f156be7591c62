/**
 * Where a Kafka source starts reading partitions that no checkpoint positions (Flink's
 * `OffsetsInitializer` / SQL `scan.startup.mode`), and where a bounded read stops.
 *
 * Examples: `"earliest"`, `"latest"`, `{ timestamp: 1763900000000 }` (the first record at or after
 * that time), `{ committed: "earliest" }` (the consumer group's committed offsets, or the earliest
 * offset where the group has none), `{ specific: { "orders-0": 42 }, fallback: "earliest" }`.
 * A restored job ignores all of these for partitions its checkpoint holds.
 * @module
 */

import { type Consumer, FetchIsolationLevels } from "@platformatic/kafka";

/** @public */
export type StartingOffsets =
  | "earliest"
  | "latest"
  | { readonly timestamp: number }
  | { readonly committed: "earliest" | "latest" | "fail" }
  | { readonly specific: Readonly<Record<string, number>>; readonly fallback?: "earliest" | "latest" };

/** Checks a user-given value; throws naming what is wrong. */
export function validateStartingOffsets(value: StartingOffsets | undefined, where: string): StartingOffsets {
  if (value === undefined) return "earliest";
  if (value === "earliest" || value === "latest") return value;
  if (typeof value === "object" && value !== null) {
    if ("timestamp" in value) {
      if (!Number.isFinite(value.timestamp) || value.timestamp < 0)
        throw new Error(`${where}: startingOffsets.timestamp must be milliseconds since the epoch`);
      return value;
    }
    if ("committed" in value) {
      if (!["earliest", "latest", "fail"].includes(value.committed))
        throw new Error(`${where}: startingOffsets.committed must be "earliest", "latest" or "fail"`);
      return value;
    }
    if ("specific" in value) {
      for (const [split, offset] of Object.entries(value.specific))
        if (!Number.isInteger(offset) || offset < 0)
          throw new Error(`${where}: startingOffsets.specific["${split}"] must be a non-negative integer`);
      return value;
    }
  }
  throw new Error(`${where}: unknown startingOffsets ${JSON.stringify(value)}`);
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

type OffsetTable = Map<string, bigint[]>;

async function listOffsets(
  consumer: Consumer,
  partitions: readonly TopicPartition[],
  timestamp: bigint,
  isolationLevel: number,
): Promise<OffsetTable> {
  const byTopic: Record<string, number[]> = {};
  for (const { topic, partition } of partitions) {
    byTopic[topic] ??= [];
    byTopic[topic].push(partition);
  }
  return consumer.listOffsets({
    topics: Object.keys(byTopic),
    partitions: byTopic,
    timestamp,
    isolationLevel,
  });
}

function at(table: OffsetTable, tp: TopicPartition): number | undefined {
  const offset = table.get(tp.topic)?.[tp.partition];
  return offset === undefined || offset < 0n ? undefined : Number(offset);
}

/**
 * Resolves the first offset to read of each partition (same order as `partitions`). Uses the
 * consumer only for requests (it never joins its group).
 */
export async function resolveStartingOffsets(
  consumer: Consumer,
  partitions: readonly TopicPartition[],
  spec: StartingOffsets,
  readCommitted: boolean,
): Promise<number[]> {
  if (partitions.length === 0) return [];
  const isolation = readCommitted
    ? FetchIsolationLevels.READ_COMMITTED
    : FetchIsolationLevels.READ_UNCOMMITTED;
  const earliest = async () => listOffsets(consumer, partitions, -2n, isolation);
  const latest = async () => listOffsets(consumer, partitions, -1n, isolation);
  if (spec === "earliest" || spec === "latest") {
    const table = await (spec === "earliest" ? earliest() : latest());
    return partitions.map((tp) => at(table, tp) ?? 0);
  }
  if ("timestamp" in spec) {
    const byTime = await listOffsets(consumer, partitions, BigInt(Math.floor(spec.timestamp)), isolation);
    const end = await latest();
    // No record at or after the timestamp: start at the end, as Kafka's consumer does.
    return partitions.map((tp) => at(byTime, tp) ?? at(end, tp) ?? 0);
  }
  if ("committed" in spec) {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      const list = byTopic.get(topic) ?? [];
      list.push(partition);
      byTopic.set(topic, list);
    }
    const committed = await consumer.listCommittedOffsets({
      topics: [...byTopic].map(([topic, list]) => ({ topic, partitions: list })),
    });
    const missing = partitions.filter((tp) => at(committed, tp) === undefined);
    if (missing.length > 0 && spec.committed === "fail")
      throw new Error(
        `consumer group ${consumer.groupId} has no committed offset for ${missing
          .map((tp) => `${tp.topic}-${tp.partition}`)
          .join(", ")}`,
      );
    const fallback =
      missing.length === 0 ? undefined : await (spec.committed === "latest" ? latest() : earliest());
    return partitions.map(
      (tp) => at(committed, tp) ?? (fallback === undefined ? 0 : (at(fallback, tp) ?? 0)),
    );
  }
  const fallback = await ((spec.fallback ?? "earliest") === "latest" ? latest() : earliest());
  return partitions.map((tp) => spec.specific[`${tp.topic}-${tp.partition}`] ?? at(fallback, tp) ?? 0);
}

/** The offset a bounded read stops before: the current end (the last stable offset under read_committed). */
export async function resolveLatestOffsets(
  consumer: Consumer,
  partitions: readonly TopicPartition[],
  readCommitted: boolean,
): Promise<number[]> {
  if (partitions.length === 0) return [];
  const isolation = readCommitted
    ? FetchIsolationLevels.READ_COMMITTED
    : FetchIsolationLevels.READ_UNCOMMITTED;
  const table = await listOffsets(consumer, partitions, -1n, isolation);
  return partitions.map((tp) => at(table, tp) ?? 0);
}
