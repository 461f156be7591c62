/**
 * The set-up the `postgres-cdc` and `mysql-cdc` SQL bad-record suites share: a source table whose
 * column `v` is text in the database but declared `INT`, copied by a streaming INSERT into a `jdbc`
 * upsert table `copy_<name>` of the same database, and waits on what the copy holds.
 *
 * Invariant: every job started here is stopped by its test (its `abort`), and a job that stops on
 * its own while a test waits fails the wait with the job's own error, not a timeout.
 * @module
 */

import assert from "node:assert/strict";
import { runSqlScript } from "weir/sql-runner";

/** One database server under test, seen through what the suites need of it. */
export interface CdcDatabase {
  /** `'connector' = …` and the rest of source table `name`'s options (no leading comma). */
  sourceOptions(name: string): string;
  /** The `jdbc` sink options of the copy of `name` (no leading comma). */
  copyOptions(name: string): string;
  /** Creates table `name` (`id` key, `v` text), its copy `copy_name` (`id` key, `v` int), and inserts `rows`. */
  setUp(name: string, rows: string): Promise<void>;
  /** Inserts `rows` (`(4, 'x'), (5, '5')`) into source table `name`. */
  insert(name: string, rows: string): Promise<void>;
  /** The copy of `name` as `id:v` pairs in id order, e.g. `1:1 3:3`. */
  copied(name: string): Promise<string>;
  /**
   * The rows of dead-letter table `table` in the order stored, as `[source_table, position, error,
   * raw_values]` with the log position's value replaced by `X` (`LSN X`, `binlog position X`).
   */
  deadLetters(table: string): Promise<unknown[][]>;
}

export interface CopyJob {
  readonly abort: AbortController;
  /** The job's end: its error, or an error saying it finished on its own. */
  readonly running: Promise<Error>;
}

/** Starts `INSERT INTO copy_<name> SELECT * FROM <name>` with the given extra source options. */
export function copy(db: CdcDatabase, name: string, extra: string): CopyJob {
  const abort = new AbortController();
  const running = runSqlScript(
    `
    CREATE TABLE src (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (${db.sourceOptions(name)}${extra});
    CREATE TABLE dst (id INT, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH (${db.copyOptions(name)});
    INSERT INTO dst SELECT id, v FROM src;
  `,
    { signal: abort.signal },
  ).then(
    () => new Error("the streaming INSERT finished on its own"),
    (error: unknown) => error as Error,
  );
  return { abort, running };
}

/** Waits (30 s at most) until the copy of `name` is `expected`; throws the job's error if it stops. */
export async function until(
  db: CdcDatabase,
  name: string,
  expected: string,
  what: string,
  running: Promise<Error>,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let stopped: Error | undefined;
  void running.then((e) => {
    stopped = e;
  });
  while ((await db.copied(name)) !== expected) {
    if (stopped !== undefined) throw stopped;
    assert.ok(Date.now() < deadline, `${what}: ${await db.copied(name)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Copies a table with bad row 2 in its snapshot and bad row 4 among its later changes under the
 * source options `extra` (a policy that skips bad rows), and checks that exactly the good rows
 * 1, 3 and 5 arrive before the job is cancelled.
 */
export async function copySkippingBadRows(db: CdcDatabase, name: string, extra: string): Promise<void> {
  await db.setUp(name, "(1, '1'), (2, 'bad'), (3, '3')");
  const { abort, running } = copy(db, name, extra);
  try {
    await until(db, name, "1:1 3:3", "the snapshot's good rows never arrived", running);
    await db.insert(name, "(4, 'x'), (5, '5')");
    await until(db, name, "1:1 3:3 5:5", "the log's good rows never arrived", running);
  } finally {
    abort.abort();
  }
  assert.match((await running).message, /cancel/i);
}

/** Runs a job whose bad row `'five'` arrives after the snapshot and returns the job's error. */
export async function failOnBadChange(db: CdcDatabase, name: string): Promise<Error> {
  await db.setUp(name, "(1, '1')");
  const { abort, running } = copy(db, name, "");
  try {
    await until(db, name, "1:1", "the snapshot never arrived", running);
    await db.insert(name, "(2, 'five')");
    return await running;
  } finally {
    abort.abort();
  }
}

/**
 * Copies with bad rows (as {@link copySkippingBadRows}) under the dead-letter policy into table
 * `sql_dead_letters`, and returns its letters as {@link CdcDatabase.deadLetters} gives them.
 */
export async function copyIntoDeadLetters(db: CdcDatabase, name: string): Promise<unknown[][]> {
  await copySkippingBadRows(
    db,
    name,
    ", 'bad-records.policy' = 'dead-letter', 'bad-records.dead-letter.table' = 'sql_dead_letters'",
  );
  return db.deadLetters("sql_dead_letters");
}

/**
 * Checks that the dead-letter policy without a dead-letter table, and a dead-letter table under
 * another policy, are refused when the table is planned, naming the table, connector and options.
 */
export async function assertDeadLetterOptionsChecked(
  db: CdcDatabase,
  name: string,
  connector: string,
): Promise<void> {
  await db.setUp(name, "(1, '1')");
  const where = `Table 'src' \\('${connector}'\\): `;
  const none = copy(db, name, ", 'bad-records.policy' = 'dead-letter'");
  assert.match(
    (await none.running).message,
    new RegExp(`${where}'bad-records.policy' = 'dead-letter' needs option 'bad-records.dead-letter.table'`),
  );
  const stray = copy(
    db,
    name,
    ", 'bad-records.policy' = 'drop', 'bad-records.dead-letter.table' = 'letters'",
  );
  assert.match(
    (await stray.running).message,
    new RegExp(`${where}option 'bad-records.dead-letter.table' needs 'bad-records.policy' = 'dead-letter'`),
  );
}
