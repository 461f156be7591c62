/**
 * Flink SQL over Postgres through `weir sql`'s script runner: `jdbc` tables read (bounded) and
 * written (upsert by primary key), and a `postgres-cdc` table aggregated continuously into a `jdbc`
 * table that follows every change of the source. Real Postgres, started by the test.
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PostgresTestServer, startPostgres } from "@weir/connector-postgres/testing";
import pg from "pg";
import { runSqlScript } from "weir/sql-runner";

let server: PostgresTestServer;
let db: pg.Client;
let url: string;

before(async () => {
  server = await startPostgres();
  db = new pg.Client({ host: server.host, port: server.port, user: "postgres", database: "postgres" });
  await db.connect();
  url = `jdbc:postgresql://${server.host}:${server.port}/postgres`;
});
after(async () => {
  await db?.end();
  server?.stop();
});

async function totals(table: string): Promise<string[][]> {
  const result = await db.query(`SELECT k, n::text, total::text FROM ${table} ORDER BY k`);
  return result.rows.map((r) => [r.k, r.n, r.total]);
}

test("SELECT from a jdbc table, and INSERT an aggregate into a jdbc upsert table (bounded)", async () => {
  await db.query("CREATE TABLE items (id int PRIMARY KEY, name text, amount numeric(10,2))");
  await db.query("INSERT INTO items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 10) g");
  await db.query("CREATE TABLE item_totals (k text PRIMARY KEY, n bigint, total numeric(20,2))");
  const { results } = await runSqlScript(`
    CREATE TABLE items (id INT, name STRING, amount DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED)
      WITH ('connector' = 'jdbc', 'url' = '${url}', 'table-name' = 'items');
    CREATE TABLE item_totals (k STRING, n BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED)
      WITH ('connector' = 'jdbc', 'url' = '${url}', 'table-name' = 'item_totals');
    SELECT id, name, amount FROM items WHERE id <= 3;
    INSERT INTO item_totals
      SELECT CASE WHEN MOD(id, 2) = 0 THEN 'even' ELSE 'odd' END, COUNT(*), SUM(amount)
      FROM items GROUP BY CASE WHEN MOD(id, 2) = 0 THEN 'even' ELSE 'odd' END;
  `);
  const select = results.find((r) => r.kind === "select");
  assert.deepEqual(select?.kind === "select" ? select.rows : undefined, [
    { id: 1, name: "item 1", amount: "1.50" },
    { id: 2, name: "item 2", amount: "3.00" },
    { id: 3, name: "item 3", amount: "4.50" },
  ]);
  assert.deepEqual(await totals("item_totals"), [
    ["even", "5", "45.00"],
    ["odd", "5", "37.50"],
  ]);
});

test("jdbc into MariaDB from SQL, and postgres-cdc metadata columns", async () => {
  await db.query("CREATE TABLE people (id int PRIMARY KEY, name text)");
  await db.query("INSERT INTO people VALUES (1, 'Ada'), (2, 'Grace')");
  const maria = await import("mysql2/promise");
  const mariadb = await maria.createConnection({
    host: "127.0.0.1",
    port: 3306,
    user: "root",
    database: "test",
  });
  const target = `weir_people_${process.pid}`;
  await mariadb.query(`CREATE TABLE ${target} (id int PRIMARY KEY, name text, source_table text)`);
  try {
    await runSqlScript(`
      CREATE TABLE people (id INT, name STRING, tbl STRING METADATA FROM 'table_name' VIRTUAL,
        PRIMARY KEY (id) NOT ENFORCED) WITH (
        'connector' = 'postgres-cdc', 'hostname' = '${server.host}', 'port' = '${server.port}',
        'username' = 'postgres', 'database-name' = 'postgres', 'table-name' = 'people',
        'slot.name' = 'sql_people', 'scan.startup.mode' = 'snapshot');
      CREATE TABLE copy (id INT, name STRING, source_table STRING, PRIMARY KEY (id) NOT ENFORCED)
        WITH ('connector' = 'jdbc', 'url' = 'jdbc:mariadb://127.0.0.1:3306/test', 'username' = 'root',
              'table-name' = '${target}');
      INSERT INTO copy SELECT id, name, tbl FROM people;
    `);
    const [rows] = await mariadb.query(`SELECT id, name, source_table FROM ${target} ORDER BY id`);
    assert.deepEqual(
      (rows as Record<string, unknown>[]).map((r) => ({ ...r })),
      [
        { id: 1, name: "Ada", source_table: "people" },
        { id: 2, name: "Grace", source_table: "people" },
      ],
    );
  } finally {
    await mariadb.query(`DROP TABLE IF EXISTS ${target}`);
    await mariadb.end();
  }
});

test("a postgres-cdc table aggregated into a jdbc upsert table follows inserts, updates and deletes", async () => {
  await db.query("CREATE TABLE accounts (id int PRIMARY KEY, amount numeric(10,2))");
  await db.query("ALTER TABLE accounts REPLICA IDENTITY FULL");
  await db.query("INSERT INTO accounts SELECT g, g * 1.5 FROM generate_series(1, 10) g");
  await db.query("CREATE TABLE account_totals (k text PRIMARY KEY, n bigint, total numeric(20,2))");
  const abort = new AbortController();
  const running = runSqlScript(
    `
    CREATE TABLE accounts (id INT, amount DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'postgres-cdc', 'hostname' = '${server.host}', 'port' = '${server.port}',
      'username' = 'postgres', 'password' = '', 'database-name' = 'postgres', 'schema-name' = 'public',
      'table-name' = 'accounts', 'slot.name' = 'sql_accounts', 'decoding.plugin.name' = 'pgoutput');
    CREATE TABLE account_totals (k STRING, n BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED)
      WITH ('connector' = 'jdbc', 'url' = '${url}', 'table-name' = 'account_totals',
            'sink.buffer-flush.interval' = '10 ms');
    INSERT INTO account_totals
      SELECT CASE WHEN MOD(id, 2) = 0 THEN 'even' ELSE 'odd' END, COUNT(*), SUM(amount)
      FROM accounts GROUP BY CASE WHEN MOD(id, 2) = 0 THEN 'even' ELSE 'odd' END;
  `,
    { signal: abort.signal },
  ).then(
    () => new Error("the streaming INSERT finished on its own"),
    (error: unknown) => error as Error,
  );
  const until = async (expected: string[][], what: string) => {
    const deadline = Date.now() + 30_000;
    while (JSON.stringify(await totals("account_totals")) !== JSON.stringify(expected)) {
      assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(await totals("account_totals"))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await until(
      [
        ["even", "5", "45.00"],
        ["odd", "5", "37.50"],
      ],
      "the snapshot's totals never arrived",
    );
    await db.query("UPDATE accounts SET amount = amount + 1 WHERE id = 2");
    await db.query("DELETE FROM accounts WHERE id = 3");
    await db.query("INSERT INTO accounts VALUES (11, 100)");
    await db.query("DELETE FROM accounts WHERE id % 2 = 0");
    await until([["odd", "5", "133.00"]], "the changes' totals never arrived");
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
});
