/**
 * The `mysql-cdc` SQL table's `'bad-records.policy'` on a MariaDB server started by the test: the
 * source column `v` is `VARCHAR` in MariaDB but declared `INT`, so a row such as `'five'` cannot be
 * read. The table is copied by a streaming INSERT into a MariaDB `jdbc` upsert table. `fail` (the
 * default) stops the job naming the binlog position, table and column; `drop` copies the good rows;
 * `dead-letter` copies them too and stores each bad change, with its position and error, in the
 * `'bad-records.dead-letter.table'` of the captured database.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MariadbTestServer, startMariadb } from "@weir/connector-postgres/testing/mariadb";
import mysql from "mysql2/promise";
import { runSqlScript } from "weir/sql-runner";

let mariadb: MariadbTestServer;
let maria: mysql.Connection;

before(async () => {
  mariadb = await startMariadb();
  maria = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: "root" });
  await maria.query("CREATE DATABASE shop");
});
after(async () => {
  await maria?.end();
  await mariadb?.stop();
});

let serverId = 6400;

/** Starts `INSERT INTO copy_<name> SELECT * FROM <name>` with the given extra source options. */
function copy(name: string, extra: string): { abort: AbortController; running: Promise<Error> } {
  const abort = new AbortController();
  const connection = `'hostname' = '${mariadb.host}', 'port' = '${mariadb.port}', 'username' = 'root', 'password' = ''`;
  const running = runSqlScript(
    `
    CREATE TABLE src (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'mysql-cdc', ${connection}, 'database-name' = 'shop', 'table-name' = '${name}',
      'server-id' = '${serverId++}'${extra});
    CREATE TABLE dst (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'jdbc', 'url' = 'jdbc:mariadb://${mariadb.host}:${mariadb.port}/shop', 'username' = 'root',
      'table-name' = 'copy_${name}', 'sink.buffer-flush.interval' = '10 ms');
    INSERT INTO dst SELECT id, v FROM src;
  `,
    { signal: abort.signal },
  ).then(
    () => new Error("the streaming INSERT finished on its own"),
    (error: unknown) => error as Error,
  );
  return { abort, running };
}

async function setUp(name: string, rows: string): Promise<void> {
  await maria.query(`CREATE TABLE shop.${name} (id INT PRIMARY KEY, v VARCHAR(10))`);
  await maria.query(`CREATE TABLE shop.copy_${name} (id INT PRIMARY KEY, v INT)`);
  await maria.query(`INSERT INTO shop.${name} VALUES ${rows}`);
}

async function copied(name: string): Promise<string> {
  const [rows] = await maria.query<mysql.RowDataPacket[]>(`SELECT id, v FROM shop.copy_${name} ORDER BY id`);
  return rows.map((r) => `${r.id}:${r.v}`).join(" ");
}

async function until(name: string, expected: string, what: string, running: Promise<Error>): Promise<void> {
  const deadline = Date.now() + 30_000;
  let stopped: Error | undefined;
  void running.then((e) => {
    stopped = e;
  });
  while ((await copied(name)) !== expected) {
    if (stopped !== undefined) throw stopped;
    assert.ok(Date.now() < deadline, `${what}: ${await copied(name)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("fail (the default) stops the job naming the binlog position, the table and the column", async () => {
  await setUp("f", "(1, '1')");
  const { abort, running } = copy("f", "");
  try {
    await until("f", "1:1", "the snapshot never arrived", running);
    await maria.query("INSERT INTO shop.f VALUES (2, 'five')");
    const error = await running;
    assert.match(
      String(error.message),
      /MySQL CDC: cannot read a change of table "shop.f" at binlog position binlog\.\d+:\d+: column "v": cannot read "five" as INT/,
    );
  } finally {
    abort.abort();
  }
});

test("'bad-records.policy' = 'drop' copies the good rows", async () => {
  await setUp("d", "(1, '1'), (2, 'bad'), (3, '3')");
  const { abort, running } = copy("d", ", 'bad-records.policy' = 'drop'");
  try {
    await until("d", "1:1 3:3", "the snapshot's good rows never arrived", running);
    await maria.query("INSERT INTO shop.d VALUES (4, 'x'), (5, '5')");
    await until("d", "1:1 3:3 5:5", "the binlog's good rows never arrived", running);
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
});

test("'bad-records.policy' = 'dead-letter' copies the good rows and stores the bad ones in the dead-letter table", async () => {
  await setUp("l", "(1, '1'), (2, 'bad'), (3, '3')");
  const { abort, running } = copy(
    "l",
    ", 'bad-records.policy' = 'dead-letter', 'bad-records.dead-letter.table' = 'sql_dead_letters'",
  );
  try {
    await until("l", "1:1 3:3", "the snapshot's good rows never arrived", running);
    await maria.query("INSERT INTO shop.l VALUES (4, 'x'), (5, '5')");
    await until("l", "1:1 3:3 5:5", "the binlog's good rows never arrived", running);
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
  const [letters] = await maria.query<mysql.RowDataPacket[]>(
    "SELECT source_table, position, error, raw_values FROM shop.sql_dead_letters ORDER BY stored_at",
  );
  assert.deepEqual(
    letters.map((l) => [
      l.source_table,
      String(l.position).replace(/binlog\.\d+:\d+/, "X"),
      l.error,
      typeof l.raw_values === "string" ? JSON.parse(l.raw_values) : l.raw_values,
    ]),
    [
      ["shop.l", "snapshot", 'column "v": cannot read "bad" as INT', { id: "2", v: "bad" }],
      ["shop.l", "binlog position X", 'column "v": cannot read "x" as INT', { id: "4", v: "x" }],
    ],
  );
});

test("'dead-letter' without a dead-letter table, or a table without dead-letter, is refused by name", async () => {
  await setUp("o", "(1, '1')");
  const none = copy("o", ", 'bad-records.policy' = 'dead-letter'");
  assert.match(
    (await none.running).message,
    /Table 'src' \('mysql-cdc'\): 'bad-records.policy' = 'dead-letter' needs 'bad-records.dead-letter.table'/,
  );
  const stray = copy("o", ", 'bad-records.dead-letter.table' = 'x'");
  assert.match(
    (await stray.running).message,
    /'bad-records.dead-letter.table' is only used with 'bad-records.policy' = 'dead-letter'/,
  );
});
