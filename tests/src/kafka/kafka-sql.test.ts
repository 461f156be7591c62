/**
 * The `kafka` and `upsert-kafka` SQL connectors on a real broker, through `weir/sql-runner`: a
 * JSON topic is read with metadata columns and filtered into another topic; a bounded SELECT
 * reads it back; an aggregation is written to an upsert-kafka table (keyed records, latest value
 * per key) and read back as a table (a tombstone deletes its key); bad JSON fails naming its position, or is skipped with `json.ignore-parse-errors`.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type KafkaBroker, startKafkaBroker } from "@weir/connector-kafka/testing";
import { runSqlScript } from "weir/sql-runner";
import { createTopic, produce, readAll } from "./support/kafka-data.ts";

let broker: KafkaBroker;
let servers: string;

before(async () => {
  broker = await startKafkaBroker();
  servers = broker.bootstrapServers;
  await createTopic(servers, "orders", 2);
  await produce(
    servers,
    "orders",
    Array.from({ length: 40 }, (_, i) => ({
      key: `u${i % 4}`,
      value: JSON.stringify({ id: i, customer: `u${i % 4}`, amount: i * 1.5 }),
      partition: i % 2,
      headers: { source: "test" },
    })),
  );
  await createTopic(servers, "big-orders", 1);
  await createTopic(servers, "totals", 1);
  await createTopic(servers, "dirty", 1);
  await produce(servers, "dirty", [
    { value: JSON.stringify({ id: 1 }) },
    { value: "{broken" },
    { value: JSON.stringify({ id: 3 }) },
  ]);
});
after(async () => {
  await broker?.stop();
});

const ordersTable = (name: string, extra = "") => `
CREATE TABLE ${name} (
  id INT,
  customer STRING,
  amount DOUBLE,
  part INT METADATA FROM 'partition' VIRTUAL,
  off BIGINT METADATA FROM 'offset' VIRTUAL,
  topic STRING METADATA VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = '${servers}',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json'${extra}
);`;

test("SELECT from a kafka table reads every partition, with metadata columns", async () => {
  const { results } = await runSqlScript(`${ordersTable("orders")}
SELECT id, customer, part, off, topic FROM orders WHERE id < 4;`);
  const select = results.at(-1)!;
  assert.equal(select.kind, "select");
  const rows = (select as { rows: Record<string, unknown>[] }).rows.sort(
    (a, b) => Number(a.id) - Number(b.id),
  );
  assert.deepEqual(rows, [
    { id: 0, customer: "u0", part: 0, off: 0, topic: "orders" },
    { id: 1, customer: "u1", part: 1, off: 0, topic: "orders" },
    { id: 2, customer: "u2", part: 0, off: 1, topic: "orders" },
    { id: 3, customer: "u3", part: 1, off: 1, topic: "orders" },
  ]);
});

test("INSERT INTO a kafka table writes JSON records with the key fields", async () => {
  await runSqlScript(`${ordersTable("orders")}
CREATE TABLE big (id INT, customer STRING, amount DOUBLE) WITH (
  'connector' = 'kafka', 'topic' = 'big-orders', 'properties.bootstrap.servers' = '${servers}',
  'key.format' = 'raw', 'key.fields' = 'customer', 'value.format' = 'json',
  'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = 'sql-big'
);
INSERT INTO big SELECT id, customer, amount FROM orders WHERE amount >= 45;`);
  const written = await readAll(servers, "big-orders");
  const got = written
    .map((r) => ({ key: r.key, value: JSON.parse(r.value!) as { id: number } }))
    .sort((a, b) => a.value.id - b.value.id);
  assert.deepEqual(
    got.map((r) => r.value.id),
    Array.from({ length: 10 }, (_, i) => 30 + i),
  );
  for (const r of got) assert.equal(r.key, `u${r.value.id % 4}`, "the key is the customer, as raw text");
  assert.deepEqual(got[0]!.value, { id: 30, customer: "u2", amount: 45 });
});

test("an aggregation into upsert-kafka leaves the latest total per key", async () => {
  await runSqlScript(`${ordersTable("orders")}
CREATE TABLE totals (customer STRING, total DOUBLE, PRIMARY KEY (customer) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka', 'topic' = 'totals', 'properties.bootstrap.servers' = '${servers}',
  'key.format' = 'json', 'value.format' = 'json'
);
INSERT INTO totals SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer;`);
  const written = await readAll(servers, "totals");
  const latest = new Map<string, unknown>();
  for (const r of written) latest.set(r.key!, r.value === null ? null : JSON.parse(r.value));
  const expected = new Map<string, unknown>();
  for (let c = 0; c < 4; c++) {
    let total = 0;
    for (let i = c; i < 40; i += 4) total += i * 1.5;
    expected.set(JSON.stringify({ customer: `u${c}` }), { customer: `u${c}`, total });
  }
  assert.deepEqual(latest, expected);

  // Read back as a table: the latest value per key (a tombstone deletes its key).
  await produce(servers, "totals", [{ key: JSON.stringify({ customer: "u3" }), value: null }]);
  const { results } = await runSqlScript(`
CREATE TABLE totals (customer STRING, total DOUBLE, PRIMARY KEY (customer) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka', 'topic' = 'totals', 'properties.bootstrap.servers' = '${servers}',
  'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset'
);
SELECT customer, total FROM totals;`);
  const rows = (results.at(-1) as unknown as { rows: { customer: string; total: number }[] }).rows;
  assert.deepEqual(
    rows.sort((a, b) => a.customer.localeCompare(b.customer)),
    [0, 1, 2].map((c) => ({
      customer: `u${c}`,
      total: (expected.get(JSON.stringify({ customer: `u${c}` })) as { total: number }).total,
    })),
  );
});

const dirtyTable = (extra: string) => `
CREATE TABLE dirty (id INT) WITH (
  'connector' = 'kafka', 'topic' = 'dirty', 'properties.bootstrap.servers' = '${servers}',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json'${extra}
);`;

test("malformed JSON fails the query naming topic, partition and offset", async () => {
  await assert.rejects(
    runSqlScript(`${dirtyTable("")}\nSELECT id FROM dirty;`),
    /topic dirty partition 0 offset 1/,
  );
});

test("json.ignore-parse-errors skips malformed records", async () => {
  const { results } = await runSqlScript(`${dirtyTable(",\n 'json.ignore-parse-errors' = 'true'")}
SELECT id FROM dirty;`);
  const rows = (results.at(-1) as unknown as { rows: { id: number }[] }).rows.map((r) => r.id).sort();
  assert.deepEqual(rows, [1, 3]);
});

test("unknown options are reported with the supported ones", async () => {
  await assert.rejects(
    runSqlScript(`${ordersTable("orders", ",\n 'scan.startup.mod' = 'x'")}\nSELECT id FROM orders;`),
    /Unsupported options found for 'kafka' in table 'orders': 'scan.startup.mod'/,
  );
});
