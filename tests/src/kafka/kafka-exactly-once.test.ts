/**
 * Exactly-once from Kafka to Kafka, proven by counting under faults: the self-checking job
 * (per-key sequence numbers → keyed count → exactly-once Kafka sink) runs with checkpoints while
 * at least 20 faults strike (exceptions and abruptly ended worker threads, in two stages). A
 * read_committed reader of the output then finds every sequence number of every key exactly once,
 * each with the count its key's state had reached (seq + 1), and prints
 * `lost=<n> duplicated=<n> faults=<n>`.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runJob } from "@weir/runtime";
import type { Checked, KafkaExactlyOnceParams } from "./jobs/kafka-exactly-once.job.ts";
import { createTopic, produce, readAll } from "./support/kafka-data.ts";

const JOB = new URL("./jobs/kafka-exactly-once.job.ts", import.meta.url);
const KEYS = 40;
const PER_KEY = 500;
const PARTITIONS = 4;
const FAULTS = 22;

let broker: KafkaBroker;
before(async () => {
  broker = await startKafkaBroker();
});
after(async () => {
  await broker?.stop();
});

test(`Kafka → keyed state → exactly-once Kafka: lost=0 duplicated=0 under ${FAULTS} faults`, async () => {
  const input = "eo-numbers";
  const output = "eo-checked";
  await createTopic(broker.bootstrapServers, input, PARTITIONS);
  await createTopic(broker.bootstrapServers, output, 3);
  // Key k's sequence lives in partition k % PARTITIONS, in order.
  const rows: { key: string; value: string; partition: number }[] = [];
  for (let seq = 0; seq < PER_KEY; seq++)
    for (let key = 0; key < KEYS; key++)
      rows.push({ key: String(key), value: JSON.stringify({ key, seq }), partition: key % PARTITIONS });
  await produce(broker.bootstrapServers, input, rows);

  const params: KafkaExactlyOnceParams = {
    bootstrap: broker.bootstrapServers,
    input,
    output,
    transactionalIdPrefix: "eo-chaos",
    parallelism: 2,
    faults: FAULTS,
  };
  const log: string[] = [];
  const started = Date.now();
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 128,
    params,
    checkpointing: { intervalMs: 100, storage: { kind: "memory" } },
    restartStrategy: { kind: "fixed-delay", attempts: FAULTS + 5, delayMs: 10 },
    log: (line) => log.push(`${((Date.now() - started) / 1000).toFixed(2)} ${line}`),
  }).catch((error: unknown) => {
    throw new Error(
      `${(error as Error).message}\nrun log:\n${log.join("\n")}\nbroker log (tail):\n${broker.log().slice(-4000)}`,
      { cause: error },
    );
  });
  const seconds = (Date.now() - started) / 1000;

  const records = await readAll(broker.bootstrapServers, output, "read_committed");
  const seen = new Map<string, number>();
  let stateAnomalies = 0;
  for (const r of records) {
    const value = JSON.parse(r.value!) as Checked;
    const id = `${value.key}:${value.seq}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (value.count !== value.seq + 1) stateAnomalies++;
  }
  let lost = 0;
  let duplicated = 0;
  for (let key = 0; key < KEYS; key++)
    for (let seq = 0; seq < PER_KEY; seq++) {
      const times = seen.get(`${key}:${seq}`) ?? 0;
      if (times === 0) lost++;
      if (times > 1) duplicated += times - 1;
    }
  const faults = result.restarts;
  console.log(log.join("\n"));
  console.log(`lost=${lost} duplicated=${duplicated} faults=${faults}`);
  console.log(
    `(${records.length} committed records, ${result.completedCheckpoints} checkpoints, ${seconds.toFixed(1)} s)`,
  );
  assert.ok(faults >= 20, `only ${faults} faults struck:\n${log.join("\n")}`);
  assert.equal(lost, 0, "no record lost");
  assert.equal(duplicated, 0, "no record duplicated");
  assert.equal(stateAnomalies, 0, "each record saw its key's count at seq + 1: state exactly-once too");
  assert.equal(records.length, KEYS * PER_KEY);
});
