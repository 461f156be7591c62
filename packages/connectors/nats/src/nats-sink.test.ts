import assert from "node:assert/strict";
import { test } from "node:test";
import { NatsSink, natsSinkMetrics } from "./nats-sink.ts";
import { createTestStream, NATS_URL } from "./testing/nats-test-streams.ts";

const encode = (n: number) => new TextEncoder().encode(String(n));
const writerContext = { indexOfSubtask: 0, parallelism: 1, attemptNumber: 0 };

test("the sink stores every record once a flush returns, with message ids and extra headers", async () => {
  const s = await createTestStream("SINK");
  try {
    const sink = new NatsSink<number>({
      servers: NATS_URL,
      subject: (n) => `${s.subject}.${n % 2 === 0 ? "even" : "odd"}`,
      serializer: encode,
      headers: (n) => ({ "x-n": String(n) }),
      messageIdPrefix: "job-a",
    });
    const writer = sink.createWriter(writerContext);
    await writer.write([1, 2, 3]);
    await writer.flush(false);
    const [committable] = (await writer.prepareCommit?.()) ?? [];
    assert.equal(committable?.next, 3);
    const run = committable?.run;
    await writer.write([4]);
    await writer.flush(true);
    await writer.close();
    const stored = await s.readAll();
    assert.deepEqual(
      stored.map((m) => [
        m.subject.slice(s.subject.length + 1),
        new TextDecoder().decode(m.data),
        m.headers?.get("Nats-Msg-Id"),
        m.headers?.get("x-n"),
      ]),
      [
        ["odd", "1", `job-a:${run}:0:0`, "1"],
        ["even", "2", `job-a:${run}:0:1`, "2"],
        ["odd", "3", `job-a:${run}:0:2`, "3"],
        ["even", "4", `job-a:${run}:0:3`, "4"],
      ],
    );
  } finally {
    await s.close();
  }
});

test("after a restore, replayed records get their earlier ids and JetStream drops them as duplicates", async () => {
  const s = await createTestStream("DEDUP");
  try {
    const options = {
      servers: NATS_URL,
      subject: `${s.subject}.out`,
      serializer: encode,
      messageIdPrefix: "job-b",
    };
    // Attempt 0: checkpoint 1 covers 1, 2; then 3, 4 are published, a checkpoint barrier passes
    // that never completes, 5 is published and the job fails.
    const first = new NatsSink<number>(options);
    const w1 = first.createWriter(writerContext);
    await w1.write([1, 2]);
    await w1.flush(false);
    const checkpoint1 = (await w1.prepareCommit?.()) ?? [];
    await w1.write([3, 4]);
    await w1.flush(false);
    await w1.prepareCommit?.();
    await w1.write([5]);
    await w1.flush(false);
    await w1.close();
    // Attempt 1 restores checkpoint 1: the runtime re-commits its committables before any record,
    // then the source replays 3, 4, 5 (its barriers elsewhere) and goes on with 6.
    const second = new NatsSink<number>(options);
    const w2 = second.createWriter({ ...writerContext, attemptNumber: 1 });
    await second.createCommitter().commit(checkpoint1);
    const duplicatesBefore = natsSinkMetrics().duplicates;
    await w2.write([3]);
    await w2.flush(false);
    await w2.prepareCommit?.();
    await w2.write([4, 5, 6]);
    await w2.flush(true);
    await w2.close();
    assert.equal(
      natsSinkMetrics().duplicates - duplicatesBefore,
      3,
      "the replayed 3, 4 and 5 were recognized",
    );
    const stored = await s.readAll();
    assert.deepEqual(
      stored.map((m) => new TextDecoder().decode(m.data)),
      ["1", "2", "3", "4", "5", "6"],
      "each record stored once",
    );
  } finally {
    await s.close();
  }
});

test("a publish to a subject without a stream fails the flush with a clear error", async () => {
  const sink = new NatsSink<number>({
    servers: NATS_URL,
    subject: `nowhere-${Date.now()}.x`,
    serializer: encode,
    messageIdPrefix: "job-c",
  });
  const writer = sink.createWriter(writerContext);
  await writer.write([1]);
  await assert.rejects(
    Promise.resolve(writer.flush(false)),
    /NATS sink job-c \(subtask 0\): a publish was not acknowledged: no stream listens on the subject/,
  );
  await writer.close();
});

test("bad sink options fail at construction naming the option", () => {
  const base = { servers: NATS_URL, subject: "a", serializer: encode, messageIdPrefix: "p" };
  assert.throws(
    () => new NatsSink({ ...base, messageIdPrefix: "" }),
    /'messageIdPrefix' must be a non-empty string/,
  );
  assert.throws(() => new NatsSink({ ...base, subject: "" }), /'subject' must be a subject/);
  assert.throws(() => new NatsSink({ ...base, maxInFlight: -1 }), /'maxInFlight' must be a positive integer/);
});
