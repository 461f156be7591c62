/**
 * The `postgres-cdc` SQL table's `'bad-records.policy'` on a Postgres server started by the test:
 * the source column `v` is `text` in Postgres but declared `INT`, so a row such as `'five'` cannot
 * be read. The table is copied by a streaming INSERT into a Postgres `jdbc` upsert table. `fail`
 * (the default) stops the job naming the LSN, table and column; `drop` copies the good rows;
 * `dead-letter` copies them too and stores each bad change, with its position and error, in the
 * `'bad-records.dead-letter.table'` of the captured database. (The MySQL twin:
 * mysql-cdc-sql-bad-records.test.ts.)
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";
import pg from "pg";
import {
  assertDeadLetterOptionsChecked,
  type CdcDatabase,
  copyIntoDeadLetters,
  copySkippingBadRows,
  failOnBadChange,
} from "./cdc-sql-bad-records-fixture.ts";

let postgres: PostgresTestServer;
let client: pg.Client;

before(async () => {
  postgres = await startPostgres();
  client = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: "postgres",
    database: "postgres",
  });
  await client.connect();
});
after(async () => {
  await client?.end();
  postgres?.stop();
});

const db: CdcDatabase = {
  sourceOptions: (name) =>
    `'connector' = 'postgres-cdc', 'hostname' = '${postgres.host}', 'port' = '${postgres.port}', 'username' = 'postgres', ` +
    `'password' = '', 'database-name' = 'postgres', 'table-name' = '${name}', 'slot.name' = 'bad_${name}_slot'`,
  copyOptions: (name) =>
    `'connector' = 'jdbc', 'url' = 'jdbc:postgresql://${postgres.host}:${postgres.port}/postgres', 'username' = 'postgres', ` +
    `'table-name' = 'copy_${name}', 'sink.buffer-flush.interval' = '10 ms'`,
  async setUp(name, rows) {
    await client.query(`CREATE TABLE ${name} (id int PRIMARY KEY, v text)`);
    await client.query(`CREATE TABLE copy_${name} (id int PRIMARY KEY, v int)`);
    await client.query(`INSERT INTO ${name} VALUES ${rows}`);
  },
  async insert(name, rows) {
    await client.query(`INSERT INTO ${name} VALUES ${rows}`);
  },
  async copied(name) {
    const { rows } = await client.query(`SELECT id, v FROM copy_${name} ORDER BY id`);
    return rows.map((r) => `${r.id}:${r.v}`).join(" ");
  },
  async deadLetters(table) {
    const { rows } = await client.query(
      `SELECT source_table, position, error, raw_values FROM ${table} ORDER BY stored_at`,
    );
    return rows.map((l) => [
      l.source_table,
      String(l.position).replace(/[0-9A-F]+\/[0-9A-F]+/, "X"),
      l.error,
      l.raw_values,
    ]);
  },
};

test("fail (the default) stops the job naming the LSN, the table and the column", async () => {
  assert.match(
    String((await failOnBadChange(db, "f")).message),
    /Postgres CDC: cannot read a change of table "public.f" at LSN [0-9A-F]+\/[0-9A-F]+: column "v": cannot read "five" as INT/,
  );
});

test("'bad-records.policy' = 'drop' copies the good rows", async () => {
  await copySkippingBadRows(db, "d", ", 'bad-records.policy' = 'drop'");
});

test("'bad-records.policy' = 'dead-letter' copies the good rows and stores the bad ones in the dead-letter table", async () => {
  assert.deepEqual(await copyIntoDeadLetters(db, "l"), [
    ["public.l", "snapshot", 'column "v": cannot read "bad" as INT', { id: "2", v: "bad" }],
    ["public.l", "LSN X", 'column "v": cannot read "x" as INT', { id: "4", v: "x" }],
  ]);
});

test("'dead-letter' without a dead-letter table, or a table without dead-letter, is refused by name", async () => {
  await assertDeadLetterOptionsChecked(db, "o", "postgres-cdc");
});
