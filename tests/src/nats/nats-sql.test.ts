/**
 * The SQL `nats` connector: a debezium-json changelog read from a JetStream stream materializes to
 * the table's final state; INSERT INTO a NATS table publishes the query's rows; bad options and
 * malformed messages fail with messages naming the option or the message's place.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestStream, NATS_URL } from "@weir/connector-nats/testing";
import { runSqlScript } from "weir/sql-runner";

const productsTable = (stream: string, format: string, extra = "") => `CREATE TABLE products (
  id BIGINT, name STRING, description STRING, weight DECIMAL(10, 2)
) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = '${stream}',
  'consumer.durable-name' = 'sql', 'scan.startup.mode' = 'all', 'scan.bounded' = 'true',
  'format' = '${format}'${extra});`;

test("a debezium-json changelog on NATS materializes to the final rows", async () => {
  const s = await createTestStream("SQLDBZ");
  try {
    const image = (id: number, weight: string) =>
      `{"id":${id},"name":"p${id}","description":"d${id}","weight":${weight}}`;
    await s.publish(`${s.subject}.cdc`, [
      `{"before":null,"after":${image(1, "5.18")},"op":"c"}`,
      `{"before":null,"after":${image(2, "1.00")},"op":"r"}`,
      `{"before":${image(1, "5.18")},"after":${image(1, "5.15")},"op":"u"}`,
      `{"before":${image(2, "1.00")},"after":null,"op":"d"}`,
      `{"before":null,"after":${image(3, "2.50")},"op":"c"}`,
    ]);
    const { results } = await runSqlScript(`${productsTable(s.name, "debezium-json")}
SELECT id, name, weight FROM products;`);
    const select = results.find((r) => r.kind === "select");
    assert.ok(select?.kind === "select");
    const rows = [...select.rows].sort((a, b) => Number(a.id) - Number(b.id));
    assert.deepEqual(rows, [
      { id: 1, name: "p1", weight: "5.15" },
      { id: 3, name: "p3", weight: "2.50" },
    ]);
  } finally {
    await s.close();
  }
});

test("INSERT INTO a NATS table publishes the filtered rows; metadata columns read subject and sequence", async () => {
  const s = await createTestStream("SQLPIPE");
  try {
    await s.publish(
      `${s.subject}.in`,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, amount: i * 10 })),
    );
    await runSqlScript(`CREATE TABLE src (id INT, amount INT, subj STRING METADATA FROM 'subject', seq BIGINT METADATA FROM 'sequence')
WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = '${s.name}', 'subject' = '${s.subject}.in',
  'consumer.durable-name' = 'pipe', 'scan.startup.mode' = 'all', 'scan.bounded' = 'true', 'format' = 'json');
CREATE TABLE dst (id INT, amount INT, subj STRING, seq BIGINT)
WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'subject' = '${s.subject}.out', 'format' = 'csv');
INSERT INTO dst SELECT id, amount, subj, seq FROM src WHERE amount >= 150;`);
    const out = (await s.readAll()).filter((m) => m.subject === `${s.subject}.out`);
    assert.deepEqual(
      out.map((m) => new TextDecoder().decode(m.data)).sort(),
      [15, 16, 17, 18, 19].map((i) => `${i},${i * 10},${s.subject}.in,${i + 1}`),
    );
  } finally {
    await s.close();
  }
});

test("a malformed message fails the query naming stream, subject and sequence unless ignore-parse-errors", async () => {
  const s = await createTestStream("SQLBAD");
  try {
    await s.publish(`${s.subject}.x`, [
      '{"id":1,"name":"a","weight":1}',
      "{broken",
      '{"id":2,"name":"b","weight":2}',
    ]);
    await assert.rejects(
      runSqlScript(`${productsTable(s.name, "json")}
SELECT id FROM products;`),
      new RegExp(`stream '${s.name}' subject '${s.subject}.x' sequence 2: invalid JSON`),
    );
    const { results } =
      await runSqlScript(`${productsTable(s.name, "json", ", 'json.ignore-parse-errors' = 'true'")}
SELECT id FROM products;`);
    const select = results.find((r) => r.kind === "select");
    assert.ok(select?.kind === "select");
    assert.deepEqual(
      select.rows.map((r) => r.id),
      [1, 2],
    );
  } finally {
    await s.close();
  }
});

test("bad nats options fail naming the option", async () => {
  await assert.rejects(
    runSqlScript(`CREATE TABLE t (a INT) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = 'S', 'format' = 'json', 'consumer.durable-name' = 'x', 'scan.startup.mode' = 'later');
SELECT a FROM t;`),
    /Invalid value for option 'scan.startup.mode' of table 't': 'later'/,
  );
  await assert.rejects(
    runSqlScript(`CREATE TABLE t (a INT) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = 'S', 'format' = 'json');
SELECT a FROM t;`),
    /'consumer.durable-name'/,
  );
  await assert.rejects(
    runSqlScript(`CREATE TABLE t (a INT) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = 'S', 'format' = 'protobuf', 'consumer.durable-name' = 'x');
SELECT a FROM t;`),
    /Could not find any format factory for identifier 'protobuf'/,
  );
});
