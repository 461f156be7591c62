/**
 * Malformed records under each bad-record policy, on a real broker: `fail` stops the job with an
 * error naming topic, partition and offset; `drop` skips them; `dead-letter` writes each one (with
 * its position and the parser's error) to a user sink, and the good records pass either way.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { KafkaDeadLetter } from "@weir/connector-kafka";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runJob } from "@weir/runtime";
import { type BadRecordsParams, GOOD, type Reading } from "./jobs/kafka-bad-records.job.ts";
import { createTopic, produce } from "./support/kafka-data.ts";

const JOB = new URL("./jobs/kafka-bad-records.job.ts", import.meta.url);
const TOPIC = "readings";
/** Offsets (in partition 0) of the malformed records. */
const BAD = new Map<number, string>([
  [3, "{not json"],
  [250, ""],
  [251, '{"n": 1'],
]);
const TOTAL = 400;
let broker: KafkaBroker;

before(async () => {
  broker = await startKafkaBroker();
  await createTopic(broker.bootstrapServers, TOPIC, 1);
  await produce(
    broker.bootstrapServers,
    TOPIC,
    Array.from({ length: TOTAL }, (_, i) => ({
      value: BAD.get(i) ?? JSON.stringify({ n: i }),
      partition: 0,
    })),
  );
});
after(async () => {
  await broker?.stop();
});

const goodNumbers = () =>
  Array.from({ length: TOTAL }, (_, i) => i)
    .filter((i) => !BAD.has(i))
    .sort((a, b) => a - b);

test("fail (the default): the job fails naming topic, partition and offset of the bad record", async () => {
  const params: BadRecordsParams = { bootstrap: broker.bootstrapServers, topic: TOPIC, policy: "fail" };
  await assert.rejects(
    runJob(JOB, { params }),
    /cannot deserialize the record at topic readings partition 0 offset 3: .*JSON/,
  );
});

test("drop: malformed records are skipped, every good one arrives once", async () => {
  const params: BadRecordsParams = { bootstrap: broker.bootstrapServers, topic: TOPIC, policy: "drop" };
  const result = await runJob(JOB, { params });
  const got = result
    .collected(GOOD)
    .map((r: Reading) => r.n)
    .sort((a, b) => a - b);
  assert.deepEqual(got, goodNumbers());
});

test("dead-letter: each malformed record lands in the user's sink with its position and error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-dlq-"));
  try {
    const params: BadRecordsParams = {
      bootstrap: broker.bootstrapServers,
      topic: TOPIC,
      policy: "dead-letter",
      deadLetterDir: dir,
    };
    const result = await runJob(JOB, { params });
    assert.deepEqual(
      result
        .collected(GOOD)
        .map((r: Reading) => r.n)
        .sort((a, b) => a - b),
      goodNumbers(),
    );
    const letters = readdirSync(dir)
      .filter((f) => !f.startsWith("."))
      .flatMap((f) => readFileSync(join(dir, f), "utf8").trim().split("\n"))
      .map((line) => JSON.parse(line) as KafkaDeadLetter)
      .sort((a, b) => a.offset - b.offset);
    assert.deepEqual(
      letters.map((l) => [l.topic, l.partition, l.offset, l.value]),
      [...BAD].map(([offset, value]) => [TOPIC, 0, offset, value]),
    );
    for (const letter of letters) assert.match(letter.error, /JSON/, "the parser's error is kept");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
