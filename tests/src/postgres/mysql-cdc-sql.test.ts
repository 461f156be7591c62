/**
 * Flink SQL with a `mysql-cdc` table: a MariaDB server started by the test (binary log on), its
 * table aggregated continuously into a Postgres `jdbc` upsert table that follows every insert,
 * update and delete of the source.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";
import { type MariadbTestServer, startMariadb } from "@weir/connector-postgres/testing/mariadb";
import mysql from "mysql2/promise";
import pg from "pg";
import { runSqlScript } from "weir/sql-runner";

let postgres: PostgresTestServer;
let mariadb: MariadbTestServer;
let pgClient: pg.Client;
let maria: mysql.Connection;

before(async () => {
  [postgres, mariadb] = await Promise.all([startPostgres(), startMariadb()]);
  pgClient = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: "postgres",
    database: "postgres",
  });
  await pgClient.connect();
  maria = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: "root" });
});
after(async () => {
  await pgClient?.end();
  await maria?.end();
  postgres?.stop();
  await mariadb?.stop();
});

async function totals(): Promise<string[][]> {
  const result = await pgClient.query("SELECT k, n::text, total::text FROM totals ORDER BY k");
  return result.rows.map((r) => [r.k, r.n, r.total]);
}

test("a mysql-cdc table aggregated into a Postgres jdbc upsert table follows the source's changes", async () => {
  await maria.query("CREATE DATABASE shop");
  await maria.query(
    "CREATE TABLE shop.orders (id INT PRIMARY KEY, region VARCHAR(10), amount DECIMAL(10,2))",
  );
  await maria.query("INSERT INTO shop.orders VALUES (1, 'eu', 10.50), (2, 'us', 20.00), (3, 'eu', 1.25)");
  await pgClient.query("CREATE TABLE totals (k text PRIMARY KEY, n bigint, total numeric(20,2))");
  const abort = new AbortController();
  const running = runSqlScript(
    `
    CREATE TABLE orders (id INT, region STRING, amount DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'mysql-cdc', 'hostname' = '${mariadb.host}', 'port' = '${mariadb.port}',
      'username' = 'root', 'password' = '', 'database-name' = 'shop', 'table-name' = 'orders',
      'server-id' = '5401');
    CREATE TABLE totals (k STRING, n BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED) WITH (
      'connector' = 'jdbc', 'url' = 'jdbc:postgresql://${postgres.host}:${postgres.port}/postgres',
      'table-name' = 'totals', 'sink.buffer-flush.interval' = '10 ms');
    INSERT INTO totals SELECT region, COUNT(*), SUM(amount) FROM orders GROUP BY region;
  `,
    { signal: abort.signal },
  ).then(
    () => new Error("the streaming INSERT finished on its own"),
    (error: unknown) => error as Error,
  );
  const until = async (expected: string[][], what: string) => {
    const deadline = Date.now() + 30_000;
    while (JSON.stringify(await totals()) !== JSON.stringify(expected)) {
      assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(await totals())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await until(
      [
        ["eu", "2", "11.75"],
        ["us", "1", "20.00"],
      ],
      "the snapshot's totals never arrived",
    );
    await maria.query("INSERT INTO shop.orders VALUES (4, 'us', 5.00)");
    await maria.query("UPDATE shop.orders SET region = 'us' WHERE id = 3");
    await maria.query("DELETE FROM shop.orders WHERE id = 1");
    await until([["us", "3", "26.25"]], "the changes' totals never arrived");
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
});
