/**
 * Test helpers that talk to the broker directly with @platformatic/kafka (not through the
 * connector under test): create topics, produce records, and read a topic back to its end, as a
 * `read_committed` or `read_uncommitted` consumer would see it.
 * @module
 */

import {
  Admin,
  Connection,
  Consumer,
  FetchIsolationLevels,
  IS_CONTROL,
  listTransactionsV1,
  Producer,
  type RecordsBatch,
} from "@platformatic/kafka";

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
}

export async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ clientId: "weir-test-admin", bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

export async function produce(
  bootstrap: string,
  topic: string,
  records: readonly {
    key?: string;
    value: string | Buffer | null;
    partition?: number;
    headers?: Record<string, string>;
    /** Milliseconds since the epoch (default: now). */
    timestamp?: number;
  }[],
): Promise<void> {
  const producer = new Producer({
    clientId: "weir-test-producer",
    bootstrapBrokers: [bootstrap],
    idempotent: true,
  });
  try {
    for (let i = 0; i < records.length; i += 1000) {
      await producer.send({
        messages: records.slice(i, i + 1000).map((r) => ({
          topic,
          ...(r.key === undefined ? {} : { key: Buffer.from(r.key) }),
          ...(r.value === null
            ? {}
            : { value: typeof r.value === "string" ? Buffer.from(r.value) : r.value }),
          ...(r.partition === undefined ? {} : { partition: r.partition }),
          ...(r.timestamp === undefined ? {} : { timestamp: BigInt(r.timestamp) }),
          ...(r.headers === undefined
            ? {}
            : {
                headers: new Map(Object.entries(r.headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
              }),
        })),
      });
    }
  } finally {
    await producer.close();
  }
}

/**
 * Every record of `topic` up to its end. Under read_committed it first waits (up to 15 s) until no
 * transaction is open on the topic, then reads up to that stable end.
 */
export async function readAll(
  bootstrap: string,
  topic: string,
  isolation: "read_committed" | "read_uncommitted" = "read_committed",
): Promise<ReadRecord[]> {
  const level =
    isolation === "read_committed"
      ? FetchIsolationLevels.READ_COMMITTED
      : FetchIsolationLevels.READ_UNCOMMITTED;
  const consumer = new Consumer({
    clientId: "weir-test-reader",
    groupId: `weir-test-reader-${topic}`,
    bootstrapBrokers: [bootstrap],
    isolationLevel: level,
  });
  try {
    consumer.topics.trackAll(topic);
    const metadata = await consumer.metadata({ topics: [topic] });
    const info = metadata.topics.get(topic)!;
    // Transaction markers are written after a commit returns: wait until no transaction is open
    // (the last stable offset reaches the end), as after a finished job it soon does.
    let ends = (await consumer.listOffsets({ topics: [topic], isolationLevel: level })).get(topic)!;
    const deadline = Date.now() + 15_000;
    while (level === FetchIsolationLevels.READ_COMMITTED && Date.now() < deadline) {
      const high = (
        await consumer.listOffsets({ topics: [topic], isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED })
      ).get(topic)!;
      if (high.every((h, i) => h === ends[i])) break;
      await new Promise((r) => setTimeout(r, 50));
      ends = (await consumer.listOffsets({ topics: [topic], isolationLevel: level })).get(topic)!;
    }
    const result: ReadRecord[] = [];
    for (let partition = 0; partition < info.partitionsCount; partition++) {
      const end = ends[partition]!;
      const batches: RecordsBatch[] = [];
      const aborted: { producerId: bigint; firstOffset: bigint }[] = [];
      let offset = 0n;
      while (offset < end) {
        const response = await consumer.fetch({
          node: info.partitions[partition]!.leader,
          maxWaitTime: 100,
          isolationLevel: level,
          topics: [
            {
              topicId: info.id,
              partitions: [
                {
                  partition,
                  fetchOffset: offset,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                  partitionMaxBytes: 4 * 1024 * 1024,
                },
              ],
            },
          ],
        });
        let progressed = false;
        for (const t of response.responses)
          for (const p of t.partitions) {
            if (p.partitionIndex !== partition) continue;
            aborted.push(...(p.abortedTransactions ?? []));
            for (const batch of p.records ?? []) {
              const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
              if (last < offset) continue;
              offset = last + 1n;
              progressed = true;
              batches.push(batch);
            }
          }
        if (!progressed) break;
      }
      // A batch is aborted when its producer has an aborted transaction that starts at or before
      // it and whose abort marker comes after it.
      const abortMarkers = batches.filter(
        (b) => b.attributes & IS_CONTROL && b.records[0]?.key?.readInt16BE(2) === 0,
      );
      const isAborted = (batch: RecordsBatch) =>
        level === FetchIsolationLevels.READ_COMMITTED &&
        aborted.some((a) => {
          if (a.producerId !== batch.producerId || a.firstOffset > batch.firstOffset) return false;
          const marker = abortMarkers.find(
            (m) => m.producerId === a.producerId && m.firstOffset > a.firstOffset,
          );
          return marker !== undefined && batch.firstOffset < marker.firstOffset;
        });
      for (const batch of batches) {
        if (batch.attributes & IS_CONTROL || isAborted(batch)) continue;
        for (const r of batch.records) {
          const at = batch.firstOffset + BigInt(r.offsetDelta);
          if (at >= end) continue;
          result.push({
            partition,
            offset: Number(at),
            key: r.key === null ? null : r.key.toString(),
            value: r.value === null ? null : r.value.toString(),
            headers: Object.fromEntries(
              r.headers.map(([k, v]) => [k?.toString() ?? "", v?.toString() ?? ""]),
            ),
            timestamp: Number(batch.firstTimestamp + r.timestampDelta),
          });
        }
      }
    }
    return result;
  } finally {
    await consumer.close(true);
  }
}

/** The offsets `group` has committed for each partition of `topic` (-1 where none). */
export async function committedOffsets(
  bootstrap: string,
  group: string,
  topic: string,
  partitions: number,
): Promise<bigint[]> {
  const admin = new Admin({ clientId: "weir-test-admin", bootstrapBrokers: [bootstrap] });
  try {
    const groups = await admin.listConsumerGroupOffsets({
      groups: [
        {
          groupId: group,
          topics: [{ name: topic, partitionIndexes: Array.from({ length: partitions }, (_, i) => i) }],
        },
      ],
    });
    const found = groups[0]?.topics.find((t) => t.name === topic)?.partitions ?? [];
    return Array.from(
      { length: partitions },
      (_, i) => found.find((p) => p.partitionIndex === i)?.committedOffset ?? -1n,
    );
  } finally {
    await admin.close();
  }
}

/** The transactional ids in state `Ongoing` on the (single) broker at `bootstrap`. */
export async function openTransactions(bootstrap: string): Promise<string[]> {
  const connection = new Connection("weir-test-transactions");
  const colon = bootstrap.lastIndexOf(":");
  try {
    await connection.connect(bootstrap.slice(0, colon), Number(bootstrap.slice(colon + 1)));
    const response = await listTransactionsV1.api.async(connection, ["Ongoing"], [], -1n, null);
    return response.transactionStates.map((t) => t.transactionalId).sort();
  } finally {
    await connection.close();
  }
}

/**
 * Per partition of `topic`: how many offsets a read_committed reader cannot see yet (high
 * watermark minus last stable offset); all zero when no transaction is open on the topic.
 */
export async function unstableOffsets(bootstrap: string, topic: string): Promise<number[]> {
  const consumer = new Consumer({
    clientId: "weir-test-offsets",
    groupId: `weir-test-offsets-${topic}`,
    bootstrapBrokers: [bootstrap],
  });
  try {
    const offsets = async (isolationLevel: number) =>
      (await consumer.listOffsets({ topics: [topic], isolationLevel })).get(topic)!;
    const stable = await offsets(FetchIsolationLevels.READ_COMMITTED);
    const high = await offsets(FetchIsolationLevels.READ_UNCOMMITTED);
    return high.map((h, i) => Number(h - stable[i]!));
  } finally {
    await consumer.close(true);
  }
}
