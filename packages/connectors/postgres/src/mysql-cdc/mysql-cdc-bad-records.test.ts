/**
 * The MySQL CDC source's bad-record policies (fail, drop, dead-letter into a table or a sink)
 * against a real MariaDB started by the test. Two kinds of bad change: a value the declared column
 * type cannot hold (`VARCHAR` text declared `INT`), and a rows event the decoder cannot split into
 * columns (a `POINT` column: binlog type GEOMETRY), which is one bad change for the whole event.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type mysql from "mysql2/promise";
import type { DeadLetter } from "../cdc/bad-records.ts";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { pollUntil } from "../testing/cdc-reader-harness.ts";
import { useMariadbDatabase } from "../testing/mariadb-server.ts";
import { mysqlCdcReaderHarness } from "../testing/mysql-cdc-reader-harness.ts";
import { recordingSink } from "../testing/recording-sink.ts";
import { mysqlCdcSourceMetrics } from "./mysql-bad-records.ts";
import { MysqlCdcSource } from "./mysql-cdc-source.ts";

const shop = useMariadbDatabase("shop");

const declared = [{ name: "id" }, { name: "v", type: { kind: "INT", nullable: true } as const }];

const { options, reader } = mysqlCdcReaderHarness(shop, 300);

/** A table `name (id INT PRIMARY KEY, v VARCHAR(10))` holding the good row (0, '0'). */
async function table(name: string): Promise<void> {
  await shop.db.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, v VARCHAR(10))`);
  await shop.db.query(`INSERT INTO ${name} VALUES (0, '0')`);
}

/** A table with a POINT column (binlog type GEOMETRY, which the decoder does not read). */
async function geometryTable(name: string): Promise<void> {
  await shop.db.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, v VARCHAR(10), g POINT)`);
  await shop.db.query(`INSERT INTO ${name} VALUES (0, '0', NULL)`);
}

const fields = (events: readonly ChangeEvent[]) => events.map((e) => [e.kind, ...e.fields]);

test("fail (default): the error names the table, the binlog position and the column", async () => {
  await table("bad_fail");
  const r = reader(options([{ table: "bad_fail", columns: declared }]));
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await shop.db.query("INSERT INTO bad_fail VALUES (1, '5'), (2, 'five'), (3, '3')");
  await assert.rejects(
    pollUntil(r, events, () => false),
    /^Error: MySQL CDC: cannot read a change of table "shop.bad_fail" at binlog position binlog\.\d+:\d+: column "v": cannot read "five" as INT; values \["2", "five"\]$/,
  );
  assert.deepEqual(fields(events), [
    [0, 0, 0],
    [0, 1, 5],
  ]);
  await r.close();
});

test("fail: a rows event the decoder cannot read fails naming the column and its binlog type", async () => {
  await geometryTable("geo_fail");
  const r = reader(options([{ table: "geo_fail", columns: declared }]));
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await shop.db.query("INSERT INTO geo_fail VALUES (1, '1', POINT(1, 2))");
  await assert.rejects(
    pollUntil(r, events, () => false),
    /MySQL CDC: cannot read a change of table "shop.geo_fail" at binlog position binlog\.\d+:\d+: undecodable insert event: column "g" of shop.geo_fail has binlog type 255, which the MySQL CDC source cannot decode/,
  );
  await r.close();
});

test("an undecodable rows event of a table that is not captured is ignored", async () => {
  await table("captured_only");
  await geometryTable("not_captured");
  const r = reader(options([{ table: "captured_only", columns: declared }]));
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await shop.db.query("INSERT INTO not_captured VALUES (1, '1', POINT(1, 2))");
  await shop.db.query("INSERT INTO captured_only VALUES (1, '1')");
  await pollUntil(r, events, (e) => e.length >= 2);
  assert.deepEqual(fields(events), [
    [0, 0, 0],
    [0, 1, 1],
  ]);
  await r.close();
});

test("drop: bad changes are skipped, counted, and logged at most once per interval", async () => {
  await table("bad_drop");
  await geometryTable("geo_drop");
  const lines: string[] = [];
  const metricsBefore = mysqlCdcSourceMetrics().droppedChanges;
  const r = reader(
    options(
      [
        { table: "bad_drop", columns: declared },
        { table: "geo_drop", columns: declared },
      ],
      { badRecords: { kind: "drop", logIntervalMs: 60_000, log: (line) => lines.push(line) } },
    ),
  );
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 2);
  await shop.db.query("INSERT INTO bad_drop VALUES (1, 'x'), (2, '2'), (3, 'y')");
  await shop.db.query("UPDATE bad_drop SET v = 'z' WHERE id = 2");
  await shop.db.query("INSERT INTO geo_drop VALUES (1, '1', POINT(1, 2))");
  await shop.db.query("INSERT INTO bad_drop VALUES (4, '4')");
  await pollUntil(r, events, (e) => e.length >= 4);
  assert.deepEqual(fields(events), [
    [0, 0, 0],
    [0, 0, 0],
    [0, 2, 2],
    [0, 4, 4],
  ]);
  const dropped = (r as unknown as { droppedChanges: number }).droppedChanges;
  assert.equal(dropped, 4, "x, y, the update to z and the undecodable insert");
  assert.equal(mysqlCdcSourceMetrics().droppedChanges - metricsBefore, 4);
  assert.equal(lines.length, 1, "one line per 60 s interval");
  assert.match(
    lines[0]!,
    /^MySQL CDC source \(server id \d+\): dropped 1 malformed record\(s\); latest at table "shop.bad_drop" at binlog position binlog\.\d+:\d+: column "v": cannot read "x" as INT$/,
  );
  await r.close();
});

test("dead-letter table: bad snapshot rows, bad row images and undecodable events are stored; the rest flows on", async () => {
  await shop.db.query("CREATE TABLE bad_letter (id INT PRIMARY KEY, v VARCHAR(10))");
  await shop.db.query("INSERT INTO bad_letter VALUES (1, 'snap-bad'), (2, '2')");
  await geometryTable("geo_letter");
  const metricsBefore = mysqlCdcSourceMetrics().deadLetters;
  const r = reader(
    options(
      [
        { table: "bad_letter", columns: declared },
        { table: "geo_letter", columns: declared },
      ],
      { badRecords: { policy: "dead-letter", table: "cdc_dead_letters" } },
    ),
  );
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 2);
  // One rows event with a bad row between two good ones: polling stops inside it and goes on after.
  await shop.db.query("INSERT INTO bad_letter VALUES (3, '3'), (4, 'stream-bad'), (5, '5')");
  await shop.db.query("UPDATE bad_letter SET v = 'upd-bad' WHERE id = 2");
  await shop.db.query("INSERT INTO geo_letter VALUES (1, '1', POINT(1, 2))");
  await shop.db.query("INSERT INTO bad_letter VALUES (6, '6')");
  await pollUntil(r, events, (e) => e.length >= 5);
  assert.equal((r as unknown as { deadLetters: number }).deadLetters, 4);
  await r.close();
  assert.deepEqual(fields(events), [
    [0, 2, 2],
    [0, 0, 0],
    [0, 3, 3],
    [0, 5, 5],
    [0, 6, 6],
  ]);
  assert.equal(mysqlCdcSourceMetrics().deadLetters - metricsBefore, 4);
  const [letters] = await shop.db.query<mysql.RowDataPacket[]>(
    "SELECT source_table, position, error, raw_values FROM cdc_dead_letters ORDER BY stored_at",
  );
  assert.deepEqual(
    letters.map((l) => [
      l.source_table,
      String(l.position).replace(/binlog\.\d+:\d+/, "X"),
      l.error,
      typeof l.raw_values === "string" ? JSON.parse(l.raw_values) : l.raw_values,
    ]),
    [
      [
        "shop.bad_letter",
        "snapshot",
        'column "v": cannot read "snap-bad" as INT',
        { id: "1", v: "snap-bad" },
      ],
      [
        "shop.bad_letter",
        "binlog position X",
        'column "v": cannot read "stream-bad" as INT',
        { id: "4", v: "stream-bad" },
      ],
      [
        "shop.bad_letter",
        "binlog position X",
        'column "v": cannot read "upd-bad" as INT',
        { id: "2", v: "upd-bad" },
      ],
      [
        "shop.geo_letter",
        "binlog position X",
        'undecodable insert event: column "g" of shop.geo_letter has binlog type 255, which the MySQL CDC source cannot decode',
        {},
      ],
    ],
  );
});

test("dead-letter sink (shared form): each bad change is written and committed before the source moves on; a checkpoint meanwhile does not cover it", async () => {
  await table("shared_letter");
  const written: DeadLetter[] = [];
  const committed: DeadLetter[] = [];
  let releaseCommit: () => void = () => {};
  const commitGate = new Promise<void>((resolve) => {
    releaseCommit = resolve;
  });
  const opts = options([{ table: "shared_letter", columns: declared }], {
    badRecords: { kind: "dead-letter", sink: recordingSink(written, committed, commitGate) },
  });
  const r = reader(opts);
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await shop.db.query("INSERT INTO shared_letter VALUES (1, 'bad'), (2, '2')");
  // While the letter's commit is held back, the good row after it is not emitted.
  await pollUntil(r, events, () => written.length >= 1);
  await pollUntil(r, events, () => false, { polls: 20 });
  assert.deepEqual(fields(events), [[0, 0, 0]]);
  // A checkpoint now does not cover the bad change: restored from it, the letter is stored again.
  const held = r.snapshotState(1)[0]!;
  releaseCommit();
  await pollUntil(r, events, (e) => e.length >= 2);
  await r.close();
  assert.deepEqual(fields(events), [
    [0, 0, 0],
    [0, 2, 2],
  ]);
  assert.deepEqual(
    committed.map((l) => [l.table, l.error, l.rawValues]),
    [["shop.shared_letter", 'column "v": cannot read "bad" as INT', { id: "1", v: "bad" }]],
  );
  assert.match(committed[0]!.position, /^binlog position binlog\.\d+:\d+$/);
  assert.equal(written.length, 1);

  const again: DeadLetter[] = [];
  const restored = reader(
    { ...opts, badRecords: { kind: "dead-letter", sink: recordingSink([], again) } },
    held,
  );
  const replayed: ChangeEvent[] = [];
  await pollUntil(restored, replayed, (e) => e.length >= 1);
  await restored.close();
  assert.deepEqual(fields(replayed), [[0, 2, 2]]);
  assert.deepEqual(
    again.map((l) => [l.table, l.rawValues]),
    [["shop.shared_letter", { id: "1", v: "bad" }]],
  );
});

test("a malformed policy is refused by name", () => {
  assert.throws(
    () =>
      MysqlCdcSource.create(
        options([{ table: "t" }], { badRecords: { kind: "dead-letter", sink: {} as never } }),
      ),
    /MySQL CDC source \(server id \d+\): badRecords.sink must be a Sink/,
  );
  assert.throws(
    () => MysqlCdcSource.create(options([{ table: "t" }], { badRecords: "skip" as never })),
    /badRecords must be "fail", "drop" or a policy object, got "skip"/,
  );
});
