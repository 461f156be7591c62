/**
 * GTID resume of the MySQL CDC source against a real MariaDB: a restore mid-transaction resumes
 * from the checkpointed GTID position even when its file position names no file, a restore after
 * the checkpointed binlog file was rotated and purged (where file/position fails), statements that
 * do not end a transaction (SAVEPOINT) or end one on their own (DDL), and clear errors for a
 * malformed or unknown GTID. Every changelog is checked strictly (a lost or duplicated change fails).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type { SqlValue } from "@weir/sql";
import type mysql from "mysql2/promise";
import type { ChangeEvent } from "../cdc/postgres-cdc-source.ts";
import { mysqlCdcConnector } from "../sql/mysql-cdc-connector.ts";
import { applyStrict, pollUntil } from "../testing/cdc-reader-harness.ts";
import { useMariadbDatabase } from "../testing/mariadb-server.ts";
import { mysqlCdcReaderHarness } from "../testing/mysql-cdc-reader-harness.ts";
import { MysqlCdcSource } from "./mysql-cdc-source.ts";

const shop = useMariadbDatabase("shop");

const { options, reader } = mysqlCdcReaderHarness(shop, 200);

async function rows(table: string): Promise<Map<string, SqlValue[]>> {
  const [result] = await shop.db.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${table} ORDER BY id`);
  return new Map(result.map((r) => [String(r.id), [r.id as number, r.v as string | null]]));
}

async function binlogFiles(): Promise<string[]> {
  const [result] = await shop.db.query<mysql.RowDataPacket[]>("SHOW BINARY LOGS");
  return result.map((r) => String(r.Log_name));
}

/** Polls until `count` events, then a little longer: a duplicate arriving late is caught too. */
async function pollExactly(
  r: Parameters<typeof pollUntil>[0],
  events: ChangeEvent[],
  count: number,
): Promise<void> {
  await pollUntil(r, events, (e) => e.length >= count);
  await pollUntil(r, events, () => false, { timeoutMs: 60_000, polls: 20 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await pollUntil(r, events, () => false, { timeoutMs: 60_000, polls: 5 });
  assert.equal(events.length, count);
}

test("a restore mid-transaction resumes from the GTID position, whatever its file position says", async () => {
  await shop.db.query("CREATE TABLE moved (id INT PRIMARY KEY, v VARCHAR(10))");
  await shop.db.query("INSERT INTO moved VALUES (1,'a'),(2,'a'),(3,'a'),(4,'a'),(5,'a')");
  const opts = options([{ table: "moved" }]);
  const first = reader(opts, undefined, 3);
  const events: ChangeEvent[] = [];
  await pollUntil(first, events, (e) => e.length >= 5);
  await shop.db.query("INSERT INTO moved VALUES (6,'a'),(7,'a'),(8,'a'),(9,'a'),(10,'a')");
  // One transaction of three statements: three rows events, so a checkpoint can fall between them.
  await shop.db.beginTransaction();
  await shop.db.query("UPDATE moved SET v = 'b' WHERE id <= 5");
  await shop.db.query("UPDATE moved SET v = 'b' WHERE id > 5");
  await shop.db.query("DELETE FROM moved WHERE id = 3");
  await shop.db.commit();
  await pollUntil(first, events, (e) => e.length >= 20);
  const [split] = first.snapshotState(1);
  assert.equal(split!.phase, "stream");
  assert.match(split!.gtidPosition ?? "", /^0-1-\d+$/);
  assert.ok(split!.skipChanges > 0, `the checkpoint is inside the transaction (${JSON.stringify(split)})`);
  const emitted = events.length;
  await first.close();
  await shop.db.query("FLUSH BINARY LOGS");
  await shop.db.query("INSERT INTO moved VALUES (11, 'c')");
  await shop.db.query("UPDATE moved SET v = 'd' WHERE id = 11");
  await shop.db.query("DELETE FROM moved WHERE id = 7");
  // A file position that names no file: only the GTID position can resume this.
  const second = reader(opts, { ...split!, binlogFile: "binlog.999999", binlogPosition: 4 });
  const all = events.slice(0, emitted);
  // 5 snapshot + 5 inserts + 10 updates (-U/+U) + 1 delete + insert, update (2), delete.
  await pollExactly(second, all, 5 + 5 + 20 + 1 + 1 + 2 + 1);
  const [after] = second.snapshotState(2);
  await second.close();
  assert.deepEqual(applyStrict(all, true), await rows("moved"));
  assert.equal(after!.skipChanges, 0);
  assert.ok(
    after!.gtidPosition !== split!.gtidPosition && /^0-1-\d+$/.test(after!.gtidPosition ?? ""),
    `the GTID position moved on (${split!.gtidPosition} -> ${after!.gtidPosition})`,
  );
});

test("a restore after the checkpointed binlog file was rotated and purged resumes from the GTID", async () => {
  await shop.db.query("CREATE TABLE purged (id INT PRIMARY KEY, v VARCHAR(10))");
  await shop.db.query("INSERT INTO purged VALUES (1,'a'),(2,'a'),(3,'a')");
  const opts = options([{ table: "purged" }]);
  const first = reader(opts);
  const events: ChangeEvent[] = [];
  await pollUntil(first, events, (e) => e.length >= 3);
  await shop.db.query("INSERT INTO purged VALUES (4, 'a')");
  await shop.db.query("UPDATE purged SET v = 'b' WHERE id = 1");
  await shop.db.query("DELETE FROM purged WHERE id = 2");
  await pollExactly(first, events, 3 + 1 + 2 + 1);
  const [split] = first.snapshotState(1);
  assert.equal(split!.skipChanges, 0);
  assert.ok(split!.gtidPosition !== null, "MariaDB checkpoints a GTID position");
  await first.close();
  // The checkpoint's file is rotated away and purged; the changes after it are in the new file.
  await shop.db.query("FLUSH BINARY LOGS");
  const files = await binlogFiles();
  const current = files[files.length - 1]!;
  assert.notEqual(current, split!.binlogFile);
  await shop.db.query("INSERT INTO purged VALUES (5, 'c'), (6, 'c')");
  await shop.db.query("UPDATE purged SET v = 'd' WHERE id IN (3, 5)");
  await shop.db.query("DELETE FROM purged WHERE id = 4");
  for (let attempt = 0; (await binlogFiles()).includes(split!.binlogFile!); attempt++) {
    // MariaDB keeps a file until its binlog checkpoint is written, shortly after the rotation.
    assert.ok(attempt < 100, `${split!.binlogFile} was never purged`);
    await shop.db.query(`PURGE BINARY LOGS TO '${current}'`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const byFile = reader(opts, { ...split!, gtidPosition: null });
  await assert.rejects(
    pollUntil(byFile, [], () => false),
    new RegExp(`binlog position ${split!.binlogFile}:${split!.binlogPosition}`),
    "a file position in a purged file cannot be resumed",
  );
  await byFile.close();

  const second = reader(opts, split);
  const all = [...events];
  await pollExactly(second, all, 7 + 2 + 4 + 1);
  await second.close();
  assert.deepEqual(applyStrict(all, true), await rows("purged"));
});

test("a SAVEPOINT inside a transaction does not end it; a DDL statement ends its own group", async () => {
  await shop.db.query("CREATE TABLE saved (id INT PRIMARY KEY, v VARCHAR(10))");
  const opts = options([{ table: "saved" }], { startupMode: "latest-offset" });
  const first = reader(opts, undefined, 1);
  const events: ChangeEvent[] = [];
  await pollUntil(first, events, () => false, { polls: 5 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await shop.db.query("CREATE TABLE unrelated (id INT PRIMARY KEY)");
  const [ddl] = await shop.db.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_pos AS gtid");
  // The DDL's group has no COMMIT: its statement ends it, and its GTID joins the position.
  await pollUntil(first, events, () => first.snapshotState(1)[0]!.gtidPosition === String(ddl[0]!.gtid));
  await shop.db.beginTransaction();
  await shop.db.query("INSERT INTO saved VALUES (1, 'a')");
  await shop.db.query("SAVEPOINT halfway");
  await shop.db.query("INSERT INTO saved VALUES (2, 'a')");
  await shop.db.query("ROLLBACK TO SAVEPOINT halfway");
  await shop.db.query("INSERT INTO saved VALUES (4, 'a')");
  await shop.db.query("INSERT INTO saved VALUES (5, 'a')");
  await shop.db.commit();
  // One change per poll: the checkpoint falls after the SAVEPOINT, before the last insert.
  await pollUntil(first, events, (e) => e.length >= 2);
  const [split] = first.snapshotState(1);
  assert.equal(split!.skipChanges, 2, `the checkpoint is inside the transaction (${JSON.stringify(split)})`);
  await first.close();
  const second = reader(opts, split);
  const all = [...events];
  await pollExactly(second, all, 3);
  await second.close();
  assert.deepEqual(applyStrict(all, true), await rows("saved"));
});

test("a malformed GTID in a restored checkpoint is refused naming it", async () => {
  await shop.db.query("CREATE TABLE corrupt (id INT PRIMARY KEY, v VARCHAR(10))");
  const opts = options([{ table: "corrupt" }], { startupMode: "latest-offset" });
  const r = reader(opts, {
    splitId: `mysql-cdc:${opts.serverId}`,
    phase: "stream",
    binlogFile: "binlog.000001",
    binlogPosition: 4,
    gtidPosition: "0-1-12x",
    snapshotTable: 0,
    snapshotAfterKey: null,
    skipChanges: 0,
  });
  await assert.rejects(
    pollUntil(r, [], () => false),
    /restoring the checkpoint failed: the restored checkpoint's GTID position "0-1-12x" is not a MariaDB GTID list/,
  );
  await r.close();
});

test("an unknown GTID in a restored checkpoint fails naming the GTID", async () => {
  await shop.db.query("CREATE TABLE unknown (id INT PRIMARY KEY, v VARCHAR(10))");
  const opts = options([{ table: "unknown" }], { startupMode: "latest-offset" });
  const unknown = [
    ["0-1-999999", /failed: .*0-1-999999, which is not in the master's binlog/],
    ["0-77-1", /failed: .*0-77-1, which is not in the master's binlog/],
    [
      "5-1-3",
      /starting failed: the GTID position "5-1-3" names GTID 5-1-3 of domain 5, which this server's binary log has never had/,
    ],
  ] as const;
  for (const [gtid, reason] of unknown) {
    const r = reader(opts, {
      splitId: `mysql-cdc:${opts.serverId}`,
      phase: "stream",
      binlogFile: null,
      binlogPosition: 0,
      gtidPosition: gtid,
      snapshotTable: 0,
      snapshotAfterKey: null,
      skipChanges: 0,
    });
    await assert.rejects(
      pollUntil(r, [], () => false),
      reason,
    );
    await r.close();
  }
});

test("specific-offset starts after a GTID set; a malformed one is refused when the source is made", async () => {
  await shop.db.query("CREATE TABLE offsets (id INT PRIMARY KEY, v VARCHAR(10))");
  await shop.db.query("INSERT INTO offsets VALUES (1, 'before')");
  const [pos] = await shop.db.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_pos AS gtid");
  const gtid = String(pos[0]!.gtid);
  await shop.db.query("INSERT INTO offsets VALUES (2, 'after')");
  await shop.db.query("UPDATE offsets SET v = 'later' WHERE id = 2");
  const r = reader(
    options([{ table: "offsets" }], {
      startupMode: "specific-offset",
      startupOffset: { gtidPosition: gtid },
    }),
  );
  const events: ChangeEvent[] = [];
  await pollExactly(r, events, 3);
  await r.close();
  assert.deepEqual(
    events.map((e) => [e.kind, e.fields]),
    [
      [0, [2, "after"]],
      [1, [2, "after"]],
      [2, [2, "later"]],
    ],
  );
  assert.throws(
    () =>
      MysqlCdcSource.create(
        options([{ table: "offsets" }], {
          startupMode: "specific-offset",
          startupOffset: { gtidPosition: "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5" },
        }),
      ),
    /the startup GTID set "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5" is not a MariaDB GTID list/,
  );
});

test("specific-offset starts at a binlog file position and checkpoints its GTID position", async () => {
  await shop.db.query("CREATE TABLE at_file (id INT PRIMARY KEY, v VARCHAR(10))");
  await shop.db.query("INSERT INTO at_file VALUES (1, 'before')");
  const [status] = await shop.db.query<mysql.RowDataPacket[]>("SHOW MASTER STATUS");
  const offset = { file: String(status[0]!.File), position: Number(status[0]!.Position) };
  await shop.db.query("INSERT INTO at_file VALUES (2, 'after')");
  const r = reader(
    options([{ table: "at_file" }], { startupMode: "specific-offset", startupOffset: offset }),
  );
  const events: ChangeEvent[] = [];
  await pollExactly(r, events, 1);
  const [split] = r.snapshotState(1);
  const [pos] = await shop.db.query<mysql.RowDataPacket[]>("SELECT @@gtid_binlog_pos AS gtid");
  await r.close();
  assert.deepEqual(events[0]!.fields, [2, "after"]);
  assert.equal(split!.gtidPosition, String(pos[0]!.gtid));
});

test("the SQL connector's specific-offset options are checked", () => {
  const create = (options: Record<string, string>) =>
    mysqlCdcConnector.createSource!({
      table: {
        kind: "table",
        name: "orders",
        columns: [],
        watermark: null,
        primaryKey: null,
        partitionKeys: [],
        temporary: false,
        options: {
          connector: "mysql-cdc",
          hostname: "127.0.0.1",
          username: "root",
          "database-name": "shop",
          "table-name": "orders",
          ...options,
        },
      },
      physicalType: { kind: "ROW", nullable: false, fields: [] },
      metadata: [],
      projectedFields: null,
      env: undefined as never,
      config: new Map(),
    } as never);
  const gtidSet = "scan.startup.specific-offset.gtid-set";
  assert.doesNotThrow(() => create({ "scan.startup.mode": "specific-offset", [gtidSet]: "0-1-42" }));
  assert.doesNotThrow(() =>
    create({ "scan.startup.mode": "specific-offset", "scan.startup.specific-offset.file": "binlog.000002" }),
  );
  assert.throws(() => create({ [gtidSet]: "0-1-42" }), /need 'scan.startup.mode' = 'specific-offset'/);
  assert.throws(
    () => create({ "scan.startup.mode": "specific-offset" }),
    /needs 'scan.startup.specific-offset.gtid-set' or/,
  );
  assert.throws(
    () => create({ "scan.startup.mode": "specific-offset", [gtidSet]: "0-1" }),
    /Table 'orders' \('mysql-cdc'\): .*the startup GTID set "0-1" is not a MariaDB GTID list/,
  );
});
