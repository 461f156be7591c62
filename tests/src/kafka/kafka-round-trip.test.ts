/**
 * Kafka source and sink against a real broker: a bounded job copies a topic (all partitions,
 * keys kept) with each delivery guarantee; a failure mid-stream restores the source offsets and
 * the sink's transactions from a checkpoint, and a read_committed reader then sees every record
 * exactly once. Also: completed checkpoints publish offsets to the consumer group; the Committer
 * finishes a pre-committed transaction by id and epoch (idempotently) while a new writer aborts
 * what a failed attempt left open; periodic discovery picks up partitions added to a topic.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Admin } from "@platformatic/kafka";
import { EventTimeExtension } from "@weir/api";
import { KafkaDeserializers, KafkaSerializers, KafkaSink, KafkaSource } from "@weir/connector-kafka";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runJob } from "@weir/runtime";
import type { KafkaPipeParams, PipeRecord } from "./jobs/kafka-pipe.job.ts";
import { committedOffsets, createTopic, produce, readAll } from "./support/kafka-data.ts";

const JOB = new URL("./jobs/kafka-pipe.job.ts", import.meta.url);
let broker: KafkaBroker;

before(async () => {
  broker = await startKafkaBroker();
});
after(async () => {
  await broker?.stop();
});

async function inputTopic(name: string, records: number, partitions: number): Promise<void> {
  await createTopic(broker.bootstrapServers, name, partitions);
  const rows = Array.from({ length: records }, (_, i) => ({
    key: String(i % 10),
    value: JSON.stringify({ key: i % 10, seq: Math.floor(i / 10) }),
    partition: i % partitions,
  }));
  await produce(broker.bootstrapServers, name, rows);
}

/** `key:seq` of every output record, sorted, and checks that keys were kept. */
async function outputOf(topic: string): Promise<string[]> {
  const records = await readAll(broker.bootstrapServers, topic, "read_committed");
  return records
    .map((r) => {
      const value = JSON.parse(r.value!) as PipeRecord;
      assert.equal(r.key, String(value.key), "the record key is the element's key");
      return `${value.key}:${value.seq}`;
    })
    .sort();
}

const expected = (records: number) =>
  Array.from({ length: records }, (_, i) => `${i % 10}:${Math.floor(i / 10)}`).sort();

for (const guarantee of ["at-least-once", "exactly-once", "none"] as const) {
  test(`a bounded job copies every partition of a topic (${guarantee})`, async () => {
    const input = `copy-in-${guarantee}`;
    const output = `copy-out-${guarantee}`;
    await inputTopic(input, 3_000, 3);
    await createTopic(broker.bootstrapServers, output, 2);
    const params: KafkaPipeParams = {
      bootstrap: broker.bootstrapServers,
      input,
      output,
      guarantee,
      transactionalIdPrefix: `copy-${guarantee}`,
      bounded: true,
      failAt: -1,
    };
    await runJob(JOB, { parallelism: 2, params });
    assert.deepEqual(await outputOf(output), expected(3_000));
  });
}

test("after a failure, offsets and transactions are restored from the checkpoint: every record once", async () => {
  const input = "restore-in";
  const output = "restore-out";
  await inputTopic(input, 20_000, 4);
  await createTopic(broker.bootstrapServers, output, 3);
  const params: KafkaPipeParams = {
    bootstrap: broker.bootstrapServers,
    input,
    output,
    guarantee: "exactly-once",
    transactionalIdPrefix: "restore",
    bounded: true,
    failAt: 6_000,
  };
  const log: string[] = [];
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 256,
    params,
    checkpointing: { intervalMs: 100, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: 2, delayMs: 50 },
    log: (line) => log.push(line),
  });
  assert.equal(result.restarts, 1, log.join("\n"));
  assert.match(log.join("\n"), /from checkpoint \d+/, "the restart restored a checkpoint");
  assert.deepEqual(await outputOf(output), expected(20_000));
  // What the failed attempt wrote after its last checkpoint is in the log, but aborted.
  const uncommitted = await readAll(broker.bootstrapServers, output, "read_uncommitted");
  assert.ok(uncommitted.length >= 20_000);
});

test("completed checkpoints publish the source's offsets to its consumer group", async () => {
  const input = "group-in";
  await inputTopic(input, 8_000, 2);
  await createTopic(broker.bootstrapServers, "group-out", 1);
  const params: KafkaPipeParams = {
    bootstrap: broker.bootstrapServers,
    input,
    output: "group-out",
    guarantee: "at-least-once",
    bounded: true,
    failAt: -1,
    groupId: "weir-group-test",
  };
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 64,
    params,
    checkpointing: { intervalMs: 30, storage: { kind: "memory" } },
  });
  assert.ok(result.completedCheckpoints > 0);
  const committed = await committedOffsets(broker.bootstrapServers, "weir-group-test", input, 2);
  assert.ok(
    committed.some((offset) => offset > 0n),
    `the group has committed offsets (${committed.join(", ")})`,
  );
  for (const offset of committed) assert.ok(offset <= 4_000n, "never beyond the end of a partition");
});

test("a pre-committed transaction is committed by id and epoch from a new committer, twice without harm", async () => {
  const topic = "two-phase";
  await createTopic(broker.bootstrapServers, topic, 2);
  const sink = KafkaSink.create<string>({
    bootstrapServers: broker.bootstrapServers,
    topic,
    serializer: KafkaSerializers.string(),
    deliveryGuarantee: "exactly-once",
    transactionalIdPrefix: "two-phase",
  });
  const writer = sink.createWriter({ indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 });
  await writer.write(["a", "b", "c"]);
  await writer.flush(false);
  const committables = await writer.prepareCommit!();
  // The transaction, and the marker that has the committer end earlier attempts' leftovers.
  const transactions = committables.filter((c) => "transactionalId" in c);
  assert.equal(transactions.length, 1);
  assert.match(transactions[0]!.transactionalId, /^two-phase-0-\d+$/);
  assert.equal(committables.length, 2);
  await writer.close();
  assert.deepEqual(
    await readAll(broker.bootstrapServers, topic, "read_uncommitted").then((r) => r.length),
    3,
  );

  // The committer of a restored job: a fresh object that only has the plain-data committable.
  const committer = sink.createCommitter!();
  await committer.commit(structuredClone(committables));
  await committer.commit(structuredClone(committables));
  await committer.close?.();
  const committed = await readAll(broker.bootstrapServers, topic, "read_committed");
  assert.deepEqual(committed.map((r) => r.value).sort(), ["a", "b", "c"]);

  // A transaction pre-committed by a failed attempt whose checkpoint never completed is aborted
  // when the next attempt's first checkpoint completes (its committer runs the writer's recovery),
  // and a committable of an aborted transaction is refused with an error naming it.
  const failed = sink.createWriter({ indexOfSubtask: 0, parallelism: 1, attemptNumber: 1 });
  await failed.write(["lost"]);
  await failed.flush(false);
  const orphan = (await failed.prepareCommit!()).filter((c) => "transactionalId" in c);
  const next = sink.createWriter({ indexOfSubtask: 0, parallelism: 1, attemptNumber: 2 });
  await next.write(["d"]);
  const nextCommittables = await next.prepareCommit!();
  const committer2 = sink.createCommitter!();
  await committer2.commit(nextCommittables);
  await next.close();
  await assert.rejects(
    async () => committer2.commit(orphan),
    new RegExp(`transaction ${orphan[0]!.transactionalId} .*can no longer be committed`),
  );
  await committer2.close?.();
  const finalRecords = await readAll(broker.bootstrapServers, topic, "read_committed");
  assert.deepEqual(finalRecords.map((r) => r.value).sort(), ["a", "b", "c", "d"]);
});

test("periodic discovery hands partitions added to a topic to their readers, from their earliest offset", async () => {
  const topic = "growing";
  await createTopic(broker.bootstrapServers, topic, 1);
  const assigned: { subtask: number; splitId: string; offset: number }[] = [];
  const source = KafkaSource.create({
    bootstrapServers: broker.bootstrapServers,
    topics: topic,
    deserializer: KafkaDeserializers.string(),
    startingOffsets: "latest",
    partitionDiscoveryIntervalMs: 100,
  });
  const enumerator = source.createEnumerator({
    parallelism: 2,
    registeredReaders: () => [0, 1],
    assignSplits: (subtask, splits) => {
      for (const s of splits) assigned.push({ subtask, splitId: s.splitId, offset: s.offset });
    },
    signalNoMoreSplits: () => assert.fail("an unbounded source never ends its readers' splits"),
  });
  await produce(broker.bootstrapServers, topic, [{ value: "x", partition: 0 }]);
  await enumerator.start();
  try {
    assert.deepEqual(
      assigned.map((a) => [a.splitId, a.offset]),
      [["growing-0", 1]],
      "the first partition starts at its latest offset",
    );
    const admin = new Admin({ clientId: "t", bootstrapBrokers: [broker.bootstrapServers] });
    await admin.createPartitions({ topics: [{ name: topic, count: 3 }] });
    await admin.close();
    await produce(broker.bootstrapServers, topic, [{ value: "y", partition: 2 }]);
    const deadline = Date.now() + 10_000;
    while (assigned.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      assigned.map((a) => [a.splitId, a.offset]).sort(),
      [
        ["growing-0", 1],
        ["growing-1", 0],
        ["growing-2", 0],
      ],
      "new partitions are read from the start, so nothing written to them is missed",
    );
    const owners = new Map(assigned.map((a) => [a.splitId, a.subtask]));
    assert.notEqual(
      owners.get("growing-1"),
      owners.get("growing-2"),
      "consecutive partitions, different readers",
    );
    assert.deepEqual(enumerator.snapshotState(1).assigned.slice().sort(), [
      "growing-0",
      "growing-1",
      "growing-2",
    ]);
  } finally {
    await enumerator.close();
  }
});

test("per-partition watermarks: the slowest partition holds event time back until it turns idle", async () => {
  const topic = "event-time";
  await createTopic(broker.bootstrapServers, topic, 2);
  await produce(broker.bootstrapServers, topic, [
    { value: "a", partition: 0, timestamp: 1_000 },
    { value: "b", partition: 0, timestamp: 2_000 },
    { value: "c", partition: 0, timestamp: 3_000 },
    { value: "d", partition: 1, timestamp: 1_500 },
  ]);
  const source = KafkaSource.create({
    bootstrapServers: broker.bootstrapServers,
    topics: topic,
    deserializer: KafkaDeserializers.string(),
    watermarks: { maxOutOfOrdernessMs: 0, idlenessMs: 400 },
  });
  assert.equal(source.declareWatermarks?.().length, 2, "event time and idle status are declared");
  const events: string[] = [];
  const output = {
    collect: () => assert.fail("records carry their Kafka timestamp"),
    collectWithTimestamp: (value: string, timestamp: number) => events.push(`${value}@${timestamp}`),
    emitWatermark: (w: { identifier: string; value: unknown }) =>
      events.push(EventTimeExtension.isIdleStatusWatermark(w as never) ? `idle=${w.value}` : `W${w.value}`),
  };
  const reader = source.createReader({
    indexOfSubtask: 0,
    parallelism: 1,
    batchSizeHint: 100,
    sendSplitRequest: () => {},
    currentTime: () => Date.now(),
  });
  const pollUntil = async (done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done() && Date.now() < deadline) {
      reader.pollNext(output as never);
      await Promise.race([reader.isAvailable(), new Promise((r) => setTimeout(r, 50))]);
    }
    assert.ok(done(), `timed out; seen: ${events.join(" ")}`);
  };
  await reader.start();
  reader.addSplits(
    [0, 1].map((partition) => ({
      splitId: `${topic}-${partition}`,
      topic,
      partition,
      offset: 0,
      stoppingOffset: null,
    })),
  );
  try {
    await pollUntil(() => events.includes("idle=true"));
    const beforeIdle = events.slice(0, events.indexOf("idle=true"));
    assert.deepEqual(beforeIdle.filter((e) => e.includes("@")).sort(), [
      "a@1000",
      "b@2000",
      "c@3000",
      "d@1500",
    ]);
    const marks = beforeIdle.filter((e) => e.startsWith("W")).map((e) => Number(e.slice(1)));
    assert.ok(marks.length > 0, "event time advanced");
    assert.deepEqual(
      marks,
      [...marks].sort((a, b) => a - b),
      "only increases",
    );
    assert.equal(marks.at(-1), 1_499, "partition 1 (at 1500) holds event time back; partition 0 is at 3000");

    await produce(broker.bootstrapServers, topic, [{ value: "e", partition: 1, timestamp: 5_000 }]);
    await pollUntil(() => events.includes("W4999"));
    const after = events.slice(events.indexOf("idle=true") + 1);
    assert.deepEqual(
      after.slice(0, 3),
      ["e@5000", "idle=false", "W4999"],
      "a record ends idleness; idle partition 0 no longer holds event time back",
    );
  } finally {
    await reader.close();
  }
});
