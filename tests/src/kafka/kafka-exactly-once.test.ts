/**
 * Exactly-once from Kafka to Kafka, proven by counting under kills: the self-checking job
 * (per-key sequence numbers → keyed count → exactly-once Kafka sink) runs with checkpoints while
 * 24 faults strike, at least 20 of them worker threads killed outright (no close, no abort) in the
 * sink's write, in its pre-commit and in the keyed checker — each after the attempt pre-committed a
 * checkpoint, so every kill leaves committed, pre-committed and open transactions behind. A
 * read_committed reader of the output then finds every sequence number of every key exactly once,
 * each with the count its key's state had reached (seq + 1), and prints
 * `lost=<n> duplicated=<n> kills=<n> faults=<n>`.
 */

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runJob } from "@weir/runtime";
import { type Checked, type KafkaExactlyOnceParams, plannedKills } from "./jobs/kafka-exactly-once.job.ts";
import { createTopic, produce, readAll } from "./support/kafka-data.ts";

const JOB = new URL("./jobs/kafka-exactly-once.job.ts", import.meta.url);
const KEYS = 40;
const PER_KEY = 500;
const PARTITIONS = 4;
const FAULTS = 24;
const KILLS = plannedKills(FAULTS, 2);

let broker: KafkaBroker;
before(async () => {
  broker = await startKafkaBroker();
});
after(async () => {
  await broker?.stop();
});

test(`Kafka → keyed state → exactly-once Kafka: lost=0 duplicated=0 under ${KILLS} worker kills (${FAULTS} faults)`, async () => {
  assert.ok(KILLS >= 20, `the plan has ${KILLS} kills`);
  const markers = mkdtempSync(join(tmpdir(), "weir-kafka-kills-"));
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
    markers,
    // About 2000 records/s per subtask: the 20000 records outlast the faults.
    throttle: { every: 4, ms: 2 },
  };
  const log: string[] = [];
  const started = Date.now();
  const result = await runJob(JOB, {
    parallelism: 2,
    batchSize: 32,
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
  const kills = readdirSync(markers).filter((name) => name.startsWith("kill-")).length;
  rmSync(markers, { recursive: true, force: true });
  console.log(log.join("\n"));
  console.log(`lost=${lost} duplicated=${duplicated} kills=${kills} faults=${faults}`);
  console.log(
    `(${records.length} committed records, ${result.completedCheckpoints} checkpoints, ${seconds.toFixed(1)} s)`,
  );
  // Each attempt strikes at most once; a spurious failure on a loaded machine would take the place
  // of one planned fault, so the counts are bounds rather than the plan's exact figures.
  assert.ok(kills >= 20, `only ${kills} of ${KILLS} planned kills struck:\n${log.join("\n")}`);
  assert.ok(faults >= kills, "every kill cost a restart");
  assert.equal(lost, 0, "no record lost");
  assert.equal(duplicated, 0, "no record duplicated");
  assert.equal(stateAnomalies, 0, "each record saw its key's count at seq + 1: state exactly-once too");
  assert.equal(records.length, KEYS * PER_KEY);
});
