/**
 * The `mysql-cdc` SQL table's `'bad-records.policy'` on a MariaDB server started by the test: the
 * source column `v` is `VARCHAR` in MariaDB but declared `INT`, so a row such as `'five'` cannot be
 * read. The table is copied by a streaming INSERT into a MariaDB `jdbc` upsert table. `fail` (the
 * default) stops the job naming the binlog position, table and column; `drop` copies the good rows;
 * `dead-letter` copies them too and stores each bad change, with its position and error, in the
 * `'bad-records.dead-letter.table'` of the captured database.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { useMariadbDatabase } from "@weir/connector-postgres/testing/mariadb";
import type mysql from "mysql2/promise";
import {
  assertDeadLetterOptionsChecked,
  type CdcDatabase,
  copyIntoDeadLetters,
  copySkippingBadRows,
  failOnBadChange,
} from "./cdc-sql-bad-records-fixture.ts";

const shop = useMariadbDatabase("shop");

let serverId = 6400;

const db: CdcDatabase = {
  sourceOptions: (name) =>
    `'connector' = 'mysql-cdc', 'hostname' = '${shop.server.host}', 'port' = '${shop.server.port}', 'username' = 'root', 'password' = '', ` +
    `'database-name' = 'shop', 'table-name' = '${name}', 'server-id' = '${serverId++}'`,
  copyOptions: (name) =>
    `'connector' = 'jdbc', 'url' = 'jdbc:mariadb://${shop.server.host}:${shop.server.port}/shop', 'username' = 'root', ` +
    `'table-name' = 'copy_${name}', 'sink.buffer-flush.interval' = '10 ms'`,
  async setUp(name, rows) {
    await shop.db.query(`CREATE TABLE shop.${name} (id INT PRIMARY KEY, v VARCHAR(10))`);
    await shop.db.query(`CREATE TABLE shop.copy_${name} (id INT PRIMARY KEY, v INT)`);
    await shop.db.query(`INSERT INTO shop.${name} VALUES ${rows}`);
  },
  async insert(name, rows) {
    await shop.db.query(`INSERT INTO shop.${name} VALUES ${rows}`);
  },
  async copied(name) {
    const [rows] = await shop.db.query<mysql.RowDataPacket[]>(
      `SELECT id, v FROM shop.copy_${name} ORDER BY id`,
    );
    return rows.map((r) => `${r.id}:${r.v}`).join(" ");
  },
  async deadLetters(table) {
    const [letters] = await shop.db.query<mysql.RowDataPacket[]>(
      `SELECT source_table, position, error, raw_values FROM shop.${table} ORDER BY stored_at`,
    );
    return letters.map((l) => [
      l.source_table,
      String(l.position).replace(/binlog\.\d+:\d+/, "X"),
      l.error,
      typeof l.raw_values === "string" ? JSON.parse(l.raw_values) : l.raw_values,
    ]);
  },
};

test("fail (the default) stops the job naming the binlog position, the table and the column", async () => {
  assert.match(
    String((await failOnBadChange(db, "f")).message),
    /MySQL CDC: cannot read a change of table "shop.f" at binlog position binlog\.\d+:\d+: column "v": cannot read "five" as INT/,
  );
});

test("'bad-records.policy' = 'drop' copies the good rows", async () => {
  await copySkippingBadRows(db, "d", ", 'bad-records.policy' = 'drop'");
});

test("'bad-records.policy' = 'dead-letter' copies the good rows and stores the bad ones in the dead-letter table", async () => {
  assert.deepEqual(await copyIntoDeadLetters(db, "l"), [
    ["shop.l", "snapshot", 'column "v": cannot read "bad" as INT', { id: "2", v: "bad" }],
    ["shop.l", "binlog position X", 'column "v": cannot read "x" as INT', { id: "4", v: "x" }],
  ]);
});

test("'dead-letter' without a dead-letter table, or a table without dead-letter, is refused by name", async () => {
  await assertDeadLetterOptionsChecked(db, "o", "mysql-cdc");
});
