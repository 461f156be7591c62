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
import { runSqlScript } from "weir/sql-runner";

let postgres: PostgresTestServer;
let db: pg.Client;

before(async () => {
  postgres = await startPostgres();
  db = new pg.Client({ host: postgres.host, port: postgres.port, user: "postgres", database: "postgres" });
  await db.connect();
});
after(async () => {
  await db?.end();
  postgres?.stop();
});

/** Starts `INSERT INTO copy_<name> SELECT * FROM <name>` with the given extra source options. */
function copy(name: string, extra: string): { abort: AbortController; running: Promise<Error> } {
  const abort = new AbortController();
  const connection = `'hostname' = '${postgres.host}', 'port' = '${postgres.port}', 'username' = 'postgres', 'password' = ''`;
  const running = runSqlScript(
    `
    CREATE TABLE src (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'postgres-cdc', ${connection}, 'database-name' = 'postgres', 'table-name' = '${name}',
      'slot.name' = 'bad_${name}_slot'${extra});
    CREATE TABLE dst (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (
      'connector' = 'jdbc', 'url' = 'jdbc:postgresql://${postgres.host}:${postgres.port}/postgres', 'username' = 'postgres',
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
  await db.query(`CREATE TABLE ${name} (id int PRIMARY KEY, v text)`);
  await db.query(`CREATE TABLE copy_${name} (id int PRIMARY KEY, v int)`);
  await db.query(`INSERT INTO ${name} VALUES ${rows}`);
}

async function copied(name: string): Promise<string> {
  const { rows } = await db.query(`SELECT id, v FROM copy_${name} ORDER BY id`);
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

test("fail (the default) stops the job naming the LSN, the table and the column", async () => {
  await setUp("f", "(1, '1')");
  const { abort, running } = copy("f", "");
  try {
    await until("f", "1:1", "the snapshot never arrived", running);
    await db.query("INSERT INTO f VALUES (2, 'five')");
    const error = await running;
    assert.match(
      String(error.message),
      /Postgres CDC: cannot read a change of table "public.f" at LSN [0-9A-F]+\/[0-9A-F]+: column "v": cannot read "five" as INT/,
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
    await db.query("INSERT INTO d VALUES (4, 'x'), (5, '5')");
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
    await db.query("INSERT INTO l VALUES (4, 'x'), (5, '5')");
    await until("l", "1:1 3:3 5:5", "the binlog's good rows never arrived", running);
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
  const { rows: letters } = await db.query(
    "SELECT source_table, position, error, raw_values FROM sql_dead_letters ORDER BY stored_at",
  );
  assert.deepEqual(
    letters.map((l) => [
      l.source_table,
      String(l.position).replace(/[0-9A-F]+\/[0-9A-F]+/, "X"),
      l.error,
      l.raw_values,
    ]),
    [
      ["public.l", "snapshot", 'column "v": cannot read "bad" as INT', { id: "2", v: "bad" }],
      ["public.l", "LSN X", 'column "v": cannot read "x" as INT', { id: "4", v: "x" }],
    ],
  );
});

test("'dead-letter' without a dead-letter table is refused by name", async () => {
  await setUp("o", "(1, '1')");
  const none = copy("o", ", 'bad-records.policy' = 'dead-letter'");
  assert.match(
    (await none.running).message,
    /Table 'src' \('postgres-cdc'\): 'bad-records.policy' = 'dead-letter' needs 'bad-records.dead-letter.table'/,
  );
});

test("a dead-letter table without the 'dead-letter' policy is refused by name", async () => {
  await setUp("p", "(1, '1')");
  const stray = copy("p", ", 'bad-records.policy' = 'drop', 'bad-records.dead-letter.table' = 'letters'");
  assert.match(
    (await stray.running).message,
    /Table 'src' \('postgres-cdc'\): 'bad-records.dead-letter.table' is only used with 'bad-records.policy' = 'dead-letter'/,
  );
});
