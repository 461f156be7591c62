/**
 * Changelog value formats on the `kafka` SQL sink, on a real broker through `weir/sql-runner`: a
 * GROUP BY aggregate (a retract stream) is written as debezium-json (keyed, two partitions), as
 * canal-json and as maxwell-json, each record one row kind in the format's envelope; the topic read back through
 * a source table of the same format materializes to exactly the aggregate's rows. An updating
 * query into a kafka table with an insert-only format is refused at planning, as Flink does.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runSqlScript } from "weir/sql-runner";
import { createTopic, produce, readAll } from "./support/kafka-data.ts";

let broker: KafkaBroker;
let servers: string;

// 60 clicks over 5 users: user u<i % 5>, so each user has 12 and every count passes 1..12.
const CLICKS = 60;
const expectedCounts = () =>
  Array.from({ length: 5 }, (_, u) => ({ k: `u${u}`, cnt: CLICKS / 5 })).sort((a, b) =>
    a.k.localeCompare(b.k),
  );

before(async () => {
  broker = await startKafkaBroker();
  servers = broker.bootstrapServers;
  await createTopic(servers, "clicks", 2);
  await produce(
    servers,
    "clicks",
    Array.from({ length: CLICKS }, (_, i) => ({
      value: JSON.stringify({ id: i, k: `u${i % 5}` }),
      partition: i % 2,
    })),
  );
  await createTopic(servers, "counts-debezium", 2);
  await createTopic(servers, "counts-canal", 1);
  await createTopic(servers, "counts-maxwell", 1);
});
after(async () => {
  await broker?.stop();
});

const clicks = () => `
CREATE TABLE src (id INT, k STRING) WITH (
  'connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = '${servers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'
);`;

const countsTable = (name: string, topic: string, format: string, extra = "") => `
CREATE TABLE ${name} (k STRING, cnt BIGINT) WITH (
  'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${servers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
  'value.format' = '${format}'${extra}
);`;

function selectRows(results: readonly unknown[]): { k: string; cnt: number | bigint }[] {
  const last = results.at(-1) as { kind: string; rows: { k: string; cnt: number | bigint }[] };
  assert.equal(last.kind, "select");
  return last.rows.map((r) => ({ k: r.k, cnt: Number(r.cnt) })).sort((a, b) => a.k.localeCompare(b.k));
}

test("a GROUP BY count written as debezium-json reads back as the aggregate's final rows", async () => {
  const keyed = ",\n  'key.format' = 'json', 'key.fields' = 'k', 'value.fields-include' = 'ALL'";
  await runSqlScript(`${clicks()}
${countsTable("kafka_debezium", "counts-debezium", "debezium-json", keyed)}
INSERT INTO kafka_debezium SELECT k, COUNT(*) FROM src GROUP BY k;`);

  const written = await readAll(servers, "counts-debezium");
  const events = written.map((r) => ({ key: r.key, partition: r.partition, event: JSON.parse(r.value!) }));
  // Flink's envelope: +I/+U → op c with after, -U/-D → op d with before; nothing else.
  for (const { key, event } of events) {
    assert.deepEqual(Object.keys(event), ["before", "after", "op"]);
    const image = event.op === "c" ? event.after : event.before;
    assert.equal(event.op === "c" ? event.before : event.after, null);
    assert.equal(key, JSON.stringify({ k: image.k }), "each record is keyed by k");
  }
  const creates = events.filter((e) => e.event.op === "c").length;
  const deletes = events.filter((e) => e.event.op === "d").length;
  // Every change of a count after the first retracts the previous one.
  assert.equal(creates - deletes, 5, "one live row per user");
  assert.ok(deletes > 0, "the aggregate's retractions were written as op d");
  // One key, one partition: each user's changes are in order there, ending with the final count.
  for (let u = 0; u < 5; u++) {
    const own = events.filter((e) => (e.event.after ?? e.event.before).k === `u${u}`);
    assert.equal(new Set(own.map((e) => e.partition)).size, 1);
    assert.deepEqual(own.at(-1)!.event.after, { k: `u${u}`, cnt: CLICKS / 5 });
  }

  const { results } =
    await runSqlScript(`${countsTable("kafka_debezium", "counts-debezium", "debezium-json", keyed)}
SELECT k, cnt FROM kafka_debezium;`);
  assert.deepEqual(selectRows(results), expectedCounts());
});

test("canal-json round trip: INSERT/DELETE envelopes that materialize to the aggregate", async () => {
  await runSqlScript(`${clicks()}
${countsTable("kafka_canal", "counts-canal", "canal-json")}
INSERT INTO kafka_canal SELECT k, COUNT(*) FROM src GROUP BY k;`);

  const written = await readAll(servers, "counts-canal");
  const types = new Set<string>();
  for (const r of written) {
    const event = JSON.parse(r.value!) as { data: unknown[]; type: string };
    assert.deepEqual(Object.keys(event), ["data", "type"]);
    assert.equal(event.data.length, 1);
    types.add(event.type);
  }
  assert.deepEqual([...types].sort(), ["DELETE", "INSERT"]);

  const { results } = await runSqlScript(`${countsTable("kafka_canal", "counts-canal", "canal-json")}
SELECT k, cnt FROM kafka_canal;`);
  assert.deepEqual(selectRows(results), expectedCounts());

  // Canal events written by others (an UPDATE with its old values) read through the same table.
  await produce(servers, "counts-canal", [
    { value: JSON.stringify({ data: [{ k: "u0", cnt: "13" }], old: [{ cnt: "12" }], type: "UPDATE" }) },
    { value: JSON.stringify({ data: [{ k: "u1", cnt: "12" }], type: "DELETE" }) },
  ]);
  const again = await runSqlScript(`${countsTable("kafka_canal", "counts-canal", "canal-json")}
SELECT k, cnt FROM kafka_canal;`);
  assert.deepEqual(selectRows(again.results), [
    { k: "u0", cnt: 13 },
    ...expectedCounts().filter((r) => r.k !== "u0" && r.k !== "u1"),
  ]);
});

test("maxwell-json round trip: insert/delete events that materialize to the aggregate", async () => {
  await runSqlScript(`${clicks()}
${countsTable("kafka_maxwell", "counts-maxwell", "maxwell-json")}
INSERT INTO kafka_maxwell SELECT k, COUNT(*) FROM src GROUP BY k;`);
  const written = (await readAll(servers, "counts-maxwell")).map(
    (r) => JSON.parse(r.value!) as { data: { k: string; cnt: number }; type: string },
  );
  for (const event of written) assert.deepEqual(Object.keys(event), ["data", "type"]);
  assert.equal(
    written.filter((e) => e.type === "insert").length - written.filter((e) => e.type === "delete").length,
    5,
  );
  const { results } = await runSqlScript(`${countsTable("kafka_maxwell", "counts-maxwell", "maxwell-json")}
SELECT k, cnt FROM kafka_maxwell;`);
  assert.deepEqual(selectRows(results), expectedCounts());
});

test("an updating query into a kafka table with an insert-only format is refused, as Flink", async () => {
  for (const format of ["json", "csv", "avro"])
    await assert.rejects(
      runSqlScript(`${clicks()}
${countsTable("counts_plain", "counts-plain", format)}
INSERT INTO counts_plain SELECT k, COUNT(*) AS cnt FROM src GROUP BY k;`),
      /Table sink 'default_catalog\.default_database\.counts_plain' doesn't support consuming update changes which is produced by node GroupAggregate\(groupBy=\[k\], select=\[k, COUNT\(\*\) AS cnt\]\)/,
    );
});
