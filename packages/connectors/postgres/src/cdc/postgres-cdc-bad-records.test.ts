/**
 * The CDC source's bad-record policies (fail, drop, dead-letter) and its refusal of tables it
 * cannot snapshot, against a real Postgres started by the test.
 */

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CdcTestDatabase, pollUntil } from "../testing/cdc-reader-harness.ts";
import { recordingSink } from "../testing/recording-sink.ts";
import { type DeadLetter, postgresCdcSourceMetrics } from "./bad-records.ts";
import type { ChangeEvent } from "./postgres-cdc-source.ts";

let t: CdcTestDatabase;
before(async () => {
  t = await CdcTestDatabase.start();
});
after(async () => {
  await t?.stop();
});

describe("bad values", () => {
  const declared = [{ name: "id" }, { name: "v", type: { kind: "INT", nullable: true } as const }];

  test("fail (default): the error names the table, the LSN and the column", async () => {
    await t.db.query("CREATE TABLE bad_fail (id int PRIMARY KEY, v text)");
    const r = t.reader(
      t.options("bad_fail_slot", [{ table: "bad_fail", columns: declared }], {
        startupMode: "latest-offset",
      }),
      undefined,
    );
    const events: ChangeEvent[] = [];
    await t.untilStreaming(r, "bad_fail_slot", events);
    await t.db.query("INSERT INTO bad_fail VALUES (1, '5'), (2, 'five')");
    await assert.rejects(
      pollUntil(r, events, () => false),
      /Postgres CDC: cannot read a change of table "public.bad_fail" at LSN [0-9A-F]+\/[0-9A-F]+: column "v": cannot read "five" as INT; values \["2", "five"\]/,
    );
    assert.deepEqual(
      events.map((e) => e.fields),
      [[1, 5]],
    );
    await r.close();
  });

  test("drop: bad changes are skipped, counted and logged", async () => {
    await t.db.query("CREATE TABLE bad_drop (id int PRIMARY KEY, v text)");
    const dropsBefore = postgresCdcSourceMetrics().droppedChanges;
    const lines: string[] = [];
    const r = t.reader(
      t.options("bad_drop_slot", [{ table: "bad_drop", columns: declared }], {
        startupMode: "latest-offset",
        badRecords: { policy: "drop" },
        log: (line) => lines.push(line),
      }),
      undefined,
    );
    const events: ChangeEvent[] = [];
    await t.untilStreaming(r, "bad_drop_slot", events);
    await t.db.query("INSERT INTO bad_drop VALUES (1, 'x'), (2, '2'), (3, 'y'), (4, '4')");
    await pollUntil(r, events, (e) => e.length >= 2);
    assert.deepEqual(
      events.map((e) => e.fields),
      [
        [2, 2],
        [4, 4],
      ],
    );
    assert.equal((r as unknown as { droppedChanges: number }).droppedChanges, 2);
    assert.equal(postgresCdcSourceMetrics().droppedChanges - dropsBefore, 2);
    assert.match(
      lines[0]!,
      /dropped a bad change of table "public.bad_drop" at LSN .*: column "v": cannot read "x" as INT \(1 dropped so far\)/,
    );
    await r.close();
  });

  test("dead-letter: bad changes are stored in a table, the rest flows on", async () => {
    await t.db.query("CREATE TABLE bad_letter (id int PRIMARY KEY, v text)");
    const lettersBefore = postgresCdcSourceMetrics().deadLetters;
    await t.db.query("INSERT INTO bad_letter VALUES (1, 'snap-bad'), (2, '2')");
    const r = t.reader(
      t.options("bad_letter_slot", [{ table: "bad_letter", columns: declared }], {
        badRecords: { policy: "dead-letter", table: "cdc_dead_letters" },
      }),
      undefined,
    );
    const events: ChangeEvent[] = [];
    await pollUntil(r, events, (e) => e.length >= 1);
    await t.db.query("INSERT INTO bad_letter VALUES (3, 'stream-bad'), (4, '4')");
    await pollUntil(r, events, (e) => e.length >= 2);
    await r.close();
    assert.deepEqual(
      events.map((e) => e.fields),
      [
        [2, 2],
        [4, 4],
      ],
    );
    assert.equal(postgresCdcSourceMetrics().deadLetters - lettersBefore, 2);
    const letters = await t.db.query(
      "SELECT source_table, position, error, raw_values FROM cdc_dead_letters ORDER BY stored_at",
    );
    assert.deepEqual(
      letters.rows.map((l) => [
        l.source_table,
        l.position.replace(/[0-9A-F]+\/[0-9A-F]+/, "X"),
        l.error,
        l.raw_values,
      ]),
      [
        [
          "public.bad_letter",
          "snapshot",
          'column "v": cannot read "snap-bad" as INT',
          { id: "1", v: "snap-bad" },
        ],
        [
          "public.bad_letter",
          "LSN X",
          'column "v": cannot read "stream-bad" as INT',
          { id: "3", v: "stream-bad" },
        ],
      ],
    );
  });
});

describe("the shared policy of @weir/api", () => {
  const declared = [{ name: "id" }, { name: "v", type: { kind: "INT", nullable: true } as const }];

  test("{ kind: 'drop' } skips bad changes, counted and logged through its own log", async () => {
    await t.db.query("CREATE TABLE shared_drop (id int PRIMARY KEY, v text)");
    const lines: string[] = [];
    const r = t.reader(
      t.options("shared_drop_slot", [{ table: "shared_drop", columns: declared }], {
        startupMode: "latest-offset",
        badRecords: { kind: "drop", logIntervalMs: 0, log: (line) => lines.push(line) },
      }),
      undefined,
    );
    const events: ChangeEvent[] = [];
    await t.untilStreaming(r, "shared_drop_slot", events);
    await t.db.query("INSERT INTO shared_drop VALUES (1, 'x'), (2, '2'), (3, 'y')");
    await pollUntil(r, events, (e) => e.length >= 1);
    await r.close();
    assert.deepEqual(
      events.map((e) => e.fields),
      [[2, 2]],
    );
    assert.equal((r as unknown as { droppedChanges: number }).droppedChanges, 2);
    assert.equal(lines.length, 2, "logIntervalMs 0: every drop is logged");
  });

  test("{ kind: 'dead-letter', sink } writes and commits each bad change to the sink before moving on", async () => {
    await t.db.query("CREATE TABLE shared_letter (id int PRIMARY KEY, v text)");
    const written: DeadLetter[] = [];
    const committed: DeadLetter[] = [];
    const sink = recordingSink(written, committed);
    const r = t.reader(
      t.options("shared_letter_slot", [{ table: "shared_letter", columns: declared }], {
        startupMode: "latest-offset",
        badRecords: { kind: "dead-letter", sink },
      }),
      undefined,
    );
    const events: ChangeEvent[] = [];
    await t.untilStreaming(r, "shared_letter_slot", events);
    await t.db.query("INSERT INTO shared_letter VALUES (1, 'bad'), (2, '2')");
    await pollUntil(r, events, (e) => e.length >= 1);
    await r.close();
    assert.deepEqual(
      events.map((e) => e.fields),
      [[2, 2]],
    );
    assert.deepEqual(
      committed.map((l) => [l.table, l.error, l.rawValues]),
      [["public.shared_letter", 'column "v": cannot read "bad" as INT', { id: "1", v: "bad" }]],
    );
    assert.match(committed[0]!.position, /^LSN [0-9A-F]+\/[0-9A-F]+$/);
    assert.equal(written.length, 1);
  });

  test("a malformed shared policy is refused by name", () => {
    assert.throws(
      () =>
        t.reader(
          t.options("shared_bad_slot", [{ table: "shared_letter", columns: declared }], {
            badRecords: { kind: "dead-letter", sink: {} as never },
          }),
          undefined,
        ),
      /badRecords.sink must be a Sink/,
    );
  });
});

test("a table without a primary key is refused by name", async () => {
  await t.db.query("CREATE TABLE keyless (a int)");
  const r = t.reader(t.options("keyless_slot", [{ table: "keyless" }]), undefined);
  await assert.rejects(
    pollUntil(r, [], () => false),
    /table "public.keyless" has no primary key/,
  );
  await r.close();
});
