/**
 * The Postgres CDC source against a real Postgres (started by the test with wal_level=logical),
 * driving readers the way the runtime does: poll, snapshot the split at a "checkpoint", close,
 * restore a new reader from the split, and checking the changelog strictly (cdc-reader-harness.ts).
 */

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { InputStatus } from "@weir/api";
import type { SqlValue } from "@weir/sql";
import {
  applyStrict,
  applyUpsert,
  CdcTestDatabase,
  collector,
  pollUntil,
} from "../testing/cdc-reader-harness.ts";
import { type ChangeEvent, PostgresCdcSource } from "./postgres-cdc-source.ts";

let t: CdcTestDatabase;
before(async () => {
  t = await CdcTestDatabase.start();
});
after(async () => {
  await t?.stop();
});

test("snapshot then stream: +I for rows and inserts, -U/+U with full before images, -D", async () => {
  await t.db.query("CREATE TABLE items (id int PRIMARY KEY, v text)");
  await t.db.query("ALTER TABLE items REPLICA IDENTITY FULL");
  await t.db.query("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 2500) g");
  const opts = t.options("items_slot", [{ table: "items" }], { snapshotFetchSize: 1000 });
  const r = t.reader(opts, undefined);
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 2500);
  assert.deepEqual(
    events.map((e) => e.fields[0]),
    Array.from({ length: 2500 }, (_, i) => i + 1),
    "the snapshot in key order",
  );
  assert.ok(events.every((e) => e.kind === 0 && e.table === "public.items"));
  await t.db.query("BEGIN");
  await t.db.query("INSERT INTO items VALUES (3000, 'new')");
  await t.db.query("UPDATE items SET v = 'changed' WHERE id = 7");
  await t.db.query("DELETE FROM items WHERE id = 8");
  await t.db.query("COMMIT");
  await pollUntil(r, events, (e) => e.length >= 2504);
  assert.deepEqual(
    events.slice(2500).map((e) => [e.kind, e.fields]),
    [
      [0, [3000, "new"]],
      [1, [7, "v7"]],
      [2, [7, "changed"]],
      [3, [8, "v8"]],
    ],
  );
  await r.close();
  assert.deepEqual(applyStrict(events, true), await t.tableRows("items"));
});

test("Postgres types map to SQL values exactly; key-only before images without REPLICA IDENTITY FULL", async () => {
  await t.db.query(`CREATE TABLE typed (id bigint PRIMARY KEY, small int2, n numeric(12,3), f float8, b bool, d date,
    ts timestamp(3), tz timestamptz, by bytea, j jsonb, u uuid, t varchar(10))`);
  const values = `(9007199254740993, -3, -123456789.125, 1.5, true, '2024-02-29', '2024-02-29 12:34:56.789',
    '2024-02-29 12:34:56.789+02', '\\x00ff', '{"a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'text')`;
  await t.db.query(`INSERT INTO typed VALUES ${values}`);
  const r = t.reader(t.options("typed_slot", [{ table: "public.typed" }]), undefined);
  const events: ChangeEvent[] = [];
  await pollUntil(r, events, (e) => e.length >= 1);
  await t.db.query(`INSERT INTO typed VALUES ${values.replace("9007199254740993", "2")}`);
  await t.db.query("UPDATE typed SET small = 4 WHERE id = 2");
  await t.db.query("DELETE FROM typed WHERE id = 2");
  await pollUntil(r, events, (e) => e.length >= 5);
  await r.close();
  const expected = [
    9007199254740993n,
    -3,
    -123456789125n,
    1.5,
    true,
    19782,
    Date.UTC(2024, 1, 29, 12, 34, 56, 789),
    Date.UTC(2024, 1, 29, 10, 34, 56, 789),
    Uint8Array.of(0, 255),
    '{"a": [1, 2]}',
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "text",
  ];
  assert.deepEqual(events[0]!.fields, expected);
  assert.deepEqual(events[1]!.fields, [2n, ...expected.slice(1)]);
  const keyOnly = [2n, ...expected.slice(1).map(() => null)];
  assert.deepEqual(
    events.slice(2).map((e) => [e.kind, e.fields]),
    [
      [1, keyOnly],
      [2, [2n, 4, ...expected.slice(2)]],
      [3, keyOnly],
    ],
  );
});

test("a restore mid-transaction resumes after the last emitted change, and acknowledges only completed checkpoints", async () => {
  await t.db.query("CREATE TABLE moves (id int PRIMARY KEY, v text)");
  await t.db.query("ALTER TABLE moves REPLICA IDENTITY FULL");
  const opts = t.options("moves_slot", [{ table: "moves" }], { startupMode: "latest-offset" });
  const first = t.reader(opts, undefined, 3);
  const events: ChangeEvent[] = [];
  await t.untilStreaming(first, "moves_slot", events);
  await t.db.query("INSERT INTO moves SELECT g, 'a' FROM generate_series(1, 10) g");
  await t.db.query("UPDATE moves SET v = 'b'");
  // Four polls of three: 10 inserts, then 2 of the update transaction's 20 change events.
  await pollUntil(first, events, (e) => e.length >= 12, { timeoutMs: 5_000 });
  const [split] = first.snapshotState(1);
  assert.equal(split!.phase, "stream");
  assert.ok(
    split!.skipChanges > 0,
    `the checkpoint is inside the update transaction (${JSON.stringify(split)})`,
  );
  const confirmed = async () =>
    (
      await t.db.query(
        "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = 'moves_slot'",
      )
    ).rows[0].lsn as string;
  const before = await confirmed();
  await first.notifyCheckpointComplete?.(1);
  const deadline = Date.now() + 5_000;
  while ((await confirmed()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await confirmed(), split!.lsn, "the slot confirms the completed checkpoint's position");
  await first.close();
  // Restore: changes emitted before the "failure" but after the checkpoint are replayed, no others.
  const emittedAtCheckpoint = events.length;
  const second = t.reader(opts, split);
  const resumed: ChangeEvent[] = [];
  await pollUntil(second, resumed, (e) => emittedAtCheckpoint + e.length >= 30);
  await second.close();
  const all = [...events.slice(0, emittedAtCheckpoint), ...resumed];
  assert.equal(all.length, 30);
  assert.deepEqual(applyStrict(all, true), await t.tableRows("moves"));
});

test("exact re-reads: a restore mid-snapshot reads the rest under a new snapshot without losing or doubling concurrent changes", async () => {
  await t.db.query("CREATE TABLE resumed (id int PRIMARY KEY, v text)");
  await t.db.query("ALTER TABLE resumed REPLICA IDENTITY FULL");
  await t.db.query("CREATE TABLE resumed2 (id int PRIMARY KEY, v text)");
  await t.db.query("ALTER TABLE resumed2 REPLICA IDENTITY FULL");
  await t.db.query("INSERT INTO resumed SELECT g, 'r' || g FROM generate_series(1, 100) g");
  await t.db.query("INSERT INTO resumed2 SELECT g, 's' || g FROM generate_series(1, 50) g");
  const opts = t.options("resumed_slot", [{ table: "resumed" }, { table: "resumed2" }], {
    snapshotFetchSize: 10,
    reReadMode: "exact",
  });
  const first = t.reader(opts, undefined, 5);
  const events: ChangeEvent[] = [];
  await pollUntil(first, events, (e) => e.length >= 40);
  const [split] = first.snapshotState(1);
  assert.equal(split!.phase, "snapshot");
  assert.deepEqual([split!.snapshotTable, split!.snapshotAfterKey], [0, [String(events.length)]]);
  const emitted = events.length;
  await first.close();
  // Changes after the slot's consistent point, both in the part already read and in the rest.
  await t.db.query("UPDATE resumed SET v = 'u' || id WHERE id % 7 = 0");
  await t.db.query("DELETE FROM resumed WHERE id % 11 = 0");
  await t.db.query("INSERT INTO resumed SELECT g, 'n' || g FROM generate_series(101, 120) g");
  await t.db.query("UPDATE resumed2 SET v = 'w' WHERE id < 5");
  const second = t.reader(opts, split, 7);
  const resumed: ChangeEvent[] = [];
  // Changes made while the second reader reads its snapshot, also in both kinds of ranges.
  await pollUntil(second, resumed, (e) => e.length >= 30);
  await t.db.query("UPDATE resumed SET v = 'late' WHERE id IN (3, 90)");
  await t.db.query("INSERT INTO resumed2 VALUES (1000, 'late')");
  const expectedResumed = await t.tableRows("resumed");
  const expectedResumed2 = await t.tableRows("resumed2");
  const done = (all: ChangeEvent[]) => {
    const first = applyStrict(
      all.filter((e) => e.table === "public.resumed"),
      true,
    );
    const second = applyStrict(
      all.filter((e) => e.table === "public.resumed2"),
      true,
    );
    return isDeepStrictEqual(first, expectedResumed) && isDeepStrictEqual(second, expectedResumed2);
  };
  await pollUntil(second, resumed, (e) => done([...events.slice(0, emitted), ...e]), { timeoutMs: 10_000 });
  // Nothing more arrives: no late duplicates.
  await new Promise((r) => setTimeout(r, 300));
  await pollUntil(second, resumed, () => false, { polls: 5 });
  await second.close();
  const all = [...events.slice(0, emitted), ...resumed];
  assert.deepEqual(
    applyStrict(
      all.filter((e) => e.table === "public.resumed"),
      true,
    ),
    expectedResumed,
  );
  assert.deepEqual(
    applyStrict(
      all.filter((e) => e.table === "public.resumed2"),
      true,
    ),
    expectedResumed2,
  );
});

test("replay re-reads: rows a failed attempt wrote converge in an upsert sink, also after a restart without checkpoint", async () => {
  await t.db.query("CREATE TABLE replayed (id int PRIMARY KEY, v text)");
  await t.db.query("INSERT INTO replayed SELECT g, 'r' || g FROM generate_series(1, 60) g");
  const opts = t.options("replayed_slot", [{ table: "replayed" }], { snapshotFetchSize: 10 });
  // Attempt 1 reads beyond what its checkpoint will record, as a sink may have written it.
  const sink = new Map<string, SqlValue[]>();
  const first = t.reader(opts, undefined, 5);
  const firstEvents: ChangeEvent[] = [];
  await pollUntil(first, firstEvents, (e) => e.length >= 20);
  const [checkpointed] = first.snapshotState(1);
  await pollUntil(first, firstEvents, (e) => e.length >= 45);
  await first.close();
  applyUpsert(firstEvents, sink);
  // Rows the failed attempt wrote are deleted and changed before the re-read.
  await t.db.query("DELETE FROM replayed WHERE id IN (5, 30, 40)");
  await t.db.query("UPDATE replayed SET v = 'changed' WHERE id IN (6, 31)");
  await t.db.query("INSERT INTO replayed VALUES (100, 'new')");
  const second = t.reader(opts, checkpointed, 7);
  const secondEvents: ChangeEvent[] = [];
  const expected = await t.tableRows("replayed");
  await pollUntil(second, secondEvents, (e) => isDeepStrictEqual(applyUpsert(e, new Map(sink)), expected));
  await second.close();
  // A restart from the beginning (no checkpoint completed) keeps the slot and replays its changes.
  await t.db.query("DELETE FROM replayed WHERE id IN (7, 8)");
  const third = t.reader(opts, undefined, 7);
  const thirdEvents: ChangeEvent[] = [];
  const expectedAfter = await t.tableRows("replayed");
  const target = applyUpsert(secondEvents, new Map(sink));
  await pollUntil(third, thirdEvents, (e) =>
    isDeepStrictEqual(applyUpsert(e, new Map(target)), expectedAfter),
  );
  await third.close();
  assert.ok(
    thirdEvents.some((e) => e.kind === 3 && e.fields[0] === 5),
    "the earlier delete of row 5 is replayed",
  );
});

test("upsert changelog mode: updates are +U only, a changed key is -D then +U", async () => {
  await t.db.query("CREATE TABLE upserts (id int PRIMARY KEY, v text)");
  const opts = t.options("upserts_slot", [{ table: "upserts" }], {
    startupMode: "latest-offset",
    changelogMode: "upsert",
  });
  const r = t.reader(opts, undefined);
  const events: ChangeEvent[] = [];
  await t.untilStreaming(r, "upserts_slot", events);
  await t.db.query("INSERT INTO upserts VALUES (1, 'a')");
  await t.db.query("UPDATE upserts SET v = 'b' WHERE id = 1");
  await t.db.query("UPDATE upserts SET id = 2 WHERE id = 1");
  await t.db.query("DELETE FROM upserts WHERE id = 2");
  await pollUntil(r, events, (e) => e.length >= 5);
  await r.close();
  assert.deepEqual(
    events.map((e) => [e.kind, e.fields]),
    [
      [0, [1, "a"]],
      [2, [1, "b"]],
      [3, [1, null]],
      [2, [2, "b"]],
      [3, [2, null]],
    ],
  );
});

test("snapshot mode reads the table once and ends, without a slot", async () => {
  await t.db.query("CREATE TABLE bounded (id int PRIMARY KEY, v text)");
  await t.db.query("INSERT INTO bounded SELECT g, 'b' || g FROM generate_series(1, 25) g");
  const opts = t.options("bounded_slot", [{ table: "bounded" }], {
    startupMode: "snapshot",
    snapshotFetchSize: 10,
  });
  const source = PostgresCdcSource.create(opts);
  assert.equal(source.boundedness, "BOUNDED");
  const r = t.reader(opts, undefined, 4);
  const events: ChangeEvent[] = [];
  const out = collector(events);
  const deadline = Date.now() + 10_000;
  for (let status = r.pollNext(out); status !== InputStatus.END_OF_INPUT; status = r.pollNext(out)) {
    assert.ok(Date.now() < deadline, "never ended");
    if (status === InputStatus.NOTHING_AVAILABLE) await r.isAvailable();
  }
  await r.close();
  assert.deepEqual(
    events.map((e) => e.fields[0]),
    Array.from({ length: 25 }, (_, i) => i + 1),
  );
  const slots = await t.db.query(
    "SELECT count(*)::int AS n FROM pg_replication_slots WHERE slot_name = 'bounded_slot'",
  );
  assert.equal(slots.rows[0].n, 0);
  // A reader that gets no split ends once told there are none.
  const idle = source.createReader({
    indexOfSubtask: 1,
    parallelism: 2,
    batchSizeHint: 10,
    sendSplitRequest: () => {},
    currentTime: () => 0,
  });
  idle.notifyNoMoreSplits();
  assert.equal(idle.pollNext(out), InputStatus.END_OF_INPUT);
  await idle.close();
});

test("options are checked when the source is created", () => {
  assert.throws(
    () => PostgresCdcSource.create(t.options("Bad-Slot", [{ table: "t" }])),
    /slot names may only contain lower-case letters/,
  );
  assert.throws(() => PostgresCdcSource.create(t.options("ok", [])), /no tables to capture/);
});
