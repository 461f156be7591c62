import assert from "node:assert/strict";
import { test } from "node:test";
import { InputStatus, type ReaderOutput, type Sink, type SourceReader } from "@weir/api";
import type { NatsDeadLetter } from "./nats-message.ts";
import { NatsDeserializers } from "./nats-message.ts";
import { NatsSink } from "./nats-sink.ts";
import { NatsSource, type NatsSourceOptions, type NatsSplit, natsSourceMetrics } from "./nats-source.ts";
import { createTestStream, NATS_URL, type TestStream } from "./testing/nats-test-streams.ts";

interface Read<T> {
  records: T[];
  timestamps: number[];
}

function outputInto<T>(read: Read<T>): ReaderOutput<T> {
  return {
    collect: (r) => read.records.push(r),
    collectWithTimestamp: (r, ts) => {
      read.records.push(r);
      read.timestamps.push(ts);
    },
    emitWatermark: () => {},
  };
}

/** Builds a source's enumerator and one reader (subtask 0 of 1) holding every split. */
async function openReader<T>(
  options: NatsSourceOptions<T>,
  restored?: readonly NatsSplit[],
): Promise<SourceReader<T, NatsSplit>> {
  const source = new NatsSource(options);
  const assigned: NatsSplit[] = [];
  const enumerator = source.createEnumerator({
    parallelism: 1,
    registeredReaders: () => [0],
    assignSplits: (_subtask, splits) => assigned.push(...splits),
    signalNoMoreSplits: () => {},
  });
  await enumerator.start();
  const reader = source.createReader({
    indexOfSubtask: 0,
    parallelism: 1,
    batchSizeHint: 10,
    sendSplitRequest: () => {},
    currentTime: () => Date.now(),
  });
  await reader.start();
  if (restored === undefined) enumerator.handleSplitRequest(0);
  reader.addSplits(restored ?? assigned);
  reader.notifyNoMoreSplits();
  return reader;
}

/** Polls until the end of input or until `enough` holds; fails after 10 s. */
async function pollUntil<T>(
  reader: SourceReader<T, NatsSplit>,
  read: Read<T>,
  enough?: () => boolean,
): Promise<"end" | "enough"> {
  const output = outputInto(read);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = reader.pollNext(output);
    if (status === InputStatus.END_OF_INPUT) return "end";
    if (enough?.()) return "enough";
    if (Date.now() > deadline) throw new Error(`timed out after ${read.records.length} records`);
    if (status === InputStatus.NOTHING_AVAILABLE)
      await Promise.race([reader.isAvailable(), new Promise((r) => setTimeout(r, 50))]);
  }
}

async function withStream(prefix: string, body: (stream: TestStream) => Promise<void>): Promise<void> {
  const stream = await createTestStream(prefix);
  try {
    await body(stream);
  } finally {
    await stream.close();
  }
}

const numbers = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => JSON.stringify({ i: from + i }));

test("a bounded source reads every message with subject, sequence, headers and timestamp", async () => {
  await withStream("SRC", async (s) => {
    await s.publish(`${s.subject}.a`, ["one", "two"], { trace: "t-1" });
    await s.publish(`${s.subject}.b`, ["three"]);
    const before = Date.now();
    const seen: string[] = [];
    const read: Read<string> = { records: [], timestamps: [] };
    const reader = await openReader<string>({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d1",
      bounded: true,
      deserializer: {
        deserialize(m, collect) {
          seen.push(`${m.subject}#${m.sequence}#${m.headers?.get("trace")?.[0] ?? "-"}`);
          collect(new TextDecoder().decode(m.data));
        },
      },
    });
    try {
      assert.equal(await pollUntil(reader, read), "end");
      assert.deepEqual(read.records, ["one", "two", "three"]);
      assert.deepEqual(seen, [`${s.subject}.a#1#t-1`, `${s.subject}.a#2#t-1`, `${s.subject}.b#3#-`]);
      for (const ts of read.timestamps) assert.ok(Math.abs(ts - before) < 60_000, `timestamp ${ts} near now`);
    } finally {
      await reader.close();
    }
  });
});

test("subject filters make one split each; a restored split resumes at its checkpointed sequence", async () => {
  await withStream("SPLIT", async (s) => {
    await s.publish(`${s.subject}.x`, numbers(0, 50));
    await s.publish(`${s.subject}.y`, numbers(50, 60));
    const options: NatsSourceOptions<{ i: number }> = {
      servers: NATS_URL,
      stream: s.name,
      subjects: [`${s.subject}.x`],
      durableName: "d2",
      bounded: true,
      deserializer: NatsDeserializers.json(),
    };
    const read: Read<{ i: number }> = { records: [], timestamps: [] };
    const first = await openReader(options);
    await pollUntil(first, read, () => read.records.length >= 20);
    const checkpoint = first.snapshotState(1);
    const position = checkpoint[0]!.position!;
    assert.equal(position, read.records.length + 1, "the position is the next sequence");
    // A failure before checkpoint 1 completes: nothing acknowledged, the reader is gone.
    await first.close();
    const again: Read<{ i: number }> = { records: [], timestamps: [] };
    const second = await openReader(options, checkpoint);
    try {
      assert.equal(await pollUntil(second, again), "end");
      assert.deepEqual(
        again.records.map((r) => r.i),
        Array.from({ length: 50 - (position - 1) }, (_, k) => position - 1 + k),
        "exactly the messages after the checkpoint, in order, and none of subject y",
      );
      second.snapshotState(2);
      await second.notifyCheckpointComplete?.(2);
      await new Promise((r) => setTimeout(r, 200));
      const info = await s.jsm.consumers.info(s.name, "d2");
      assert.equal(
        info.ack_floor.stream_seq,
        50,
        `the completed checkpoint acknowledged everything read ${JSON.stringify(info)}`,
      );
    } finally {
      await second.close();
    }
  });
});

test("unacknowledged messages come back after the ack wait; the reader skips and counts them", async () => {
  await withStream("REDELIVER", async (s) => {
    await s.publish(`${s.subject}.a`, numbers(0, 5));
    const read: Read<{ i: number }> = { records: [], timestamps: [] };
    const reader = await openReader<{ i: number }>({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d3",
      deserializer: NatsDeserializers.json(),
      ackWaitMs: 300,
    });
    const metrics = natsSourceMetrics();
    const skippedBefore = metrics.skippedRedeliveries;
    try {
      await pollUntil(reader, read, () => read.records.length === 5);
      await pollUntil(reader, read, () => metrics.skippedRedeliveries - skippedBefore >= 5);
      assert.equal(read.records.length, 5, "redeliveries are not emitted twice");
      assert.ok(metrics.redeliveredMessages >= 5);
    } finally {
      await reader.close();
    }
  });
});

test("startFrom sequence and new", async () => {
  await withStream("START", async (s) => {
    await s.publish(`${s.subject}.a`, numbers(0, 10));
    const read: Read<{ i: number }> = { records: [], timestamps: [] };
    const reader = await openReader<{ i: number }>({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d4",
      bounded: true,
      startFrom: { kind: "sequence", sequence: 8 },
      deserializer: NatsDeserializers.json(),
    });
    await pollUntil(reader, read);
    await reader.close();
    assert.deepEqual(
      read.records.map((r) => r.i),
      [7, 8, 9],
    );
    const fresh: Read<{ i: number }> = { records: [], timestamps: [] };
    const tail = await openReader<{ i: number }>({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d5",
      startFrom: { kind: "new" },
      deserializer: NatsDeserializers.json(),
    });
    try {
      await pollUntil(tail, fresh, () => true);
      await new Promise((r) => setTimeout(r, 200));
      await s.publish(`${s.subject}.a`, numbers(10, 12));
      await pollUntil(tail, fresh, () => fresh.records.length === 2);
      assert.deepEqual(
        fresh.records.map((r) => r.i),
        [10, 11],
      );
    } finally {
      await tail.close();
    }
  });
});

test("a malformed message fails the reader naming stream, subject and sequence (default policy)", async () => {
  await withStream("BADFAIL", async (s) => {
    await s.publish(`${s.subject}.a`, [JSON.stringify({ i: 1 }), "{oops"]);
    const read: Read<unknown> = { records: [], timestamps: [] };
    const reader = await openReader({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d6",
      bounded: true,
      deserializer: NatsDeserializers.json(),
    });
    try {
      await assert.rejects(
        pollUntil(reader, read),
        new RegExp(
          `cannot deserialize the message at stream '${s.name}' subject '${s.subject}.a' sequence 2: .*JSON`,
        ),
      );
      assert.equal(read.records.length, 1);
    } finally {
      await reader.close();
    }
  });
});

test("the drop policy skips, counts and logs malformed messages at a limited rate", async () => {
  await withStream("BADDROP", async (s) => {
    await s.publish(`${s.subject}.a`, ["{1", JSON.stringify({ i: 1 }), "{2", "{3"]);
    const lines: string[] = [];
    const read: Read<unknown> = { records: [], timestamps: [] };
    const before = natsSourceMetrics().droppedRecords;
    const reader = await openReader({
      servers: NATS_URL,
      stream: s.name,
      durableName: "d7",
      bounded: true,
      deserializer: NatsDeserializers.json(),
      badRecords: { kind: "drop", logIntervalMs: 60_000, log: (line) => lines.push(line) },
    });
    try {
      assert.equal(await pollUntil(reader, read), "end");
      assert.deepEqual(read.records, [{ i: 1 }]);
      assert.equal(natsSourceMetrics().droppedRecords - before, 3);
      assert.equal(lines.length, 1, "one line per interval");
      assert.match(
        lines[0]!,
        /dropped 1 malformed record\(s\); latest at stream '.*' subject '.*\.a' sequence 1/,
      );
    } finally {
      await reader.close();
    }
  });
});

test("the dead-letter policy writes malformed messages to a user sink (here a NATS subject)", async () => {
  await withStream("BADDLQ", async (s) => {
    await s.publish(`${s.subject}.a`, [JSON.stringify({ i: 1 }), "not json", JSON.stringify({ i: 2 })]);
    const dlq: Sink<NatsDeadLetter, unknown> = new NatsSink<NatsDeadLetter>({
      servers: NATS_URL,
      subject: `${s.subject}.dlq`,
      messageIdPrefix: `${s.name}-dlq`,
      serializer: (letter) => new TextEncoder().encode(JSON.stringify(letter)),
    });
    const read: Read<unknown> = { records: [], timestamps: [] };
    const reader = await openReader({
      servers: NATS_URL,
      stream: s.name,
      subjects: [`${s.subject}.a`],
      durableName: "d8",
      bounded: true,
      deserializer: NatsDeserializers.json(),
      badRecords: { kind: "dead-letter", sink: dlq },
    });
    try {
      assert.equal(await pollUntil(reader, read), "end");
      assert.deepEqual(read.records, [{ i: 1 }, { i: 2 }]);
    } finally {
      await reader.close();
    }
    const stored = (await s.readAll()).filter((m) => m.subject === `${s.subject}.dlq`);
    assert.equal(stored.length, 1);
    const letter = JSON.parse(new TextDecoder().decode(stored[0]!.data)) as NatsDeadLetter;
    assert.equal(letter.sequence, 2);
    assert.equal(letter.subject, `${s.subject}.a`);
    assert.equal(letter.data, "not json");
    assert.equal(Buffer.from(letter.dataBase64, "base64").toString(), "not json");
    assert.match(letter.error, /JSON/);
  });
});

test("bad options fail at construction naming the option", () => {
  const base = { servers: NATS_URL, stream: "S", durableName: "d", deserializer: NatsDeserializers.text() };
  assert.throws(() => new NatsSource({ ...base, stream: "a.b" }), /'stream' must be a JetStream name/);
  assert.throws(
    () => new NatsSource({ ...base, servers: "" }),
    /'servers' must name at least one NATS server/,
  );
  assert.throws(
    () => new NatsSource({ ...base, fetchBatchSize: 0 }),
    /'fetchBatchSize' must be a positive integer/,
  );
  assert.throws(
    () => new NatsSource({ ...base, startFrom: { kind: "later" } as never }),
    /unknown startFrom "later"/,
  );
  assert.throws(
    () => new NatsSource({ ...base, badRecords: { kind: "dead-letter", sink: {} as never } }),
    /badRecords.sink must be a Sink/,
  );
});
