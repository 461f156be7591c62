/**
 * The SQL `nats` connector: a debezium-json changelog read from a JetStream stream materializes to
 * the table's final state; INSERT INTO a NATS table publishes the query's rows; bad options and
 * malformed messages fail with messages naming the option or the message's place.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NatsDeadLetter } from "@weir/connector-nats";
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

// The drop and dead-letter counters are per task thread (the mini-cluster runs tasks in workers):
// packages/connectors/nats/src/sql/nats-table-bad-records.test.ts asserts them in one thread.
test("'bad-records.policy' = 'drop' (or ignore-parse-errors) skips malformed messages", async () => {
  const s = await createTestStream("SQLDROP");
  try {
    await s.publish(`${s.subject}.x`, [
      '{"id":1,"name":"a","weight":1}',
      "{broken",
      '{"id":2,"name":"b","weight":2}',
      "[also broken",
      '{"id":3,"name":"c","weight":3}',
    ]);
    for (const extra of [", 'bad-records.policy' = 'drop'", ", 'json.ignore-parse-errors' = 'true'"]) {
      const { results } = await runSqlScript(`${productsTable(s.name, "json", extra)}
SELECT id FROM products;`);
      const select = results.find((r) => r.kind === "select");
      assert.ok(select?.kind === "select");
      assert.deepEqual(
        select.rows.map((r) => r.id),
        [1, 2, 3],
        extra,
      );
    }
  } finally {
    await s.close();
  }
});

test("'bad-records.policy' = 'dead-letter' publishes each malformed message as JSON to the dead-letter subject", async () => {
  const s = await createTestStream("SQLDLQ");
  try {
    await s.publish(`${s.subject}.in`, [
      '{"id":1,"name":"a","weight":1}',
      "{broken",
      '{"id":2,"name":"b","weight":2}',
    ]);
    const { results } =
      await runSqlScript(`CREATE TABLE products (id BIGINT, name STRING, weight DECIMAL(10, 2))
WITH ('connector' = 'nats', 'servers' = '${NATS_URL}', 'stream' = '${s.name}', 'subject' = '${s.subject}.in',
  'consumer.durable-name' = 'sql', 'scan.startup.mode' = 'all', 'scan.bounded' = 'true', 'format' = 'json',
  'bad-records.policy' = 'dead-letter', 'bad-records.dead-letter.subject' = '${s.subject}.dlq');
SELECT id FROM products;`);
    const select = results.find((r) => r.kind === "select");
    assert.ok(select?.kind === "select");
    assert.deepEqual(
      select.rows.map((r) => r.id),
      [1, 2],
    );
    const letters = (await s.readAll())
      .filter((m) => m.subject === `${s.subject}.dlq`)
      .map((m) => JSON.parse(new TextDecoder().decode(m.data)) as NatsDeadLetter);
    assert.equal(letters.length, 1);
    assert.equal(letters[0]!.stream, s.name);
    assert.equal(letters[0]!.subject, `${s.subject}.in`);
    assert.equal(letters[0]!.sequence, 2);
    assert.equal(letters[0]!.data, "{broken");
    assert.equal(Buffer.from(letters[0]!.dataBase64, "base64").toString(), "{broken");
    assert.match(letters[0]!.error, /invalid JSON/);
  } finally {
    await s.close();
  }
});

test("contradictory bad-record options fail the query naming them", async () => {
  const table = (
    extra: string,
  ) => `CREATE TABLE t (a INT) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}',
  'stream' = 'S', 'subject' = 'orders.>', 'format' = 'json', 'consumer.durable-name' = 'x'${extra});
SELECT a FROM t;`;
  await assert.rejects(
    runSqlScript(table(", 'json.ignore-parse-errors' = 'true', 'bad-records.policy' = 'fail'")),
    /'json.ignore-parse-errors' = 'true' means the drop policy; it contradicts 'bad-records.policy' = 'fail'/,
  );
  await assert.rejects(
    runSqlScript(table(", 'bad-records.dead-letter.subject' = 'dlq'")),
    /option 'bad-records.dead-letter.subject' needs 'bad-records.policy' = 'dead-letter'/,
  );
  await assert.rejects(
    runSqlScript(table(", 'bad-records.policy' = 'dead-letter'")),
    /'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.subject'/,
  );
  await assert.rejects(
    runSqlScript(
      table(", 'bad-records.policy' = 'dead-letter', 'bad-records.dead-letter.subject' = 'orders.dlq'"),
    ),
    /'orders.dlq' is read by the table itself \(subject 'orders.>'\)/,
  );
  // A sink table's options are checked too (the same table may be read elsewhere).
  await assert.rejects(
    runSqlScript(`CREATE TABLE dst (a INT) WITH ('connector' = 'nats', 'servers' = '${NATS_URL}',
  'subject' = 'out', 'format' = 'json', 'bad-records.dead-letter.subject' = 'dlq');
INSERT INTO dst VALUES (1);`),
    /option 'bad-records.dead-letter.subject' needs 'bad-records.policy' = 'dead-letter'/,
  );
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
