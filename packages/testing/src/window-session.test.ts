/**
 * Session windows (window extension) under the operator harness: merging (including an
 * out-of-order record that bridges two sessions), timers that move with a merge, allowed lateness
 * (re-firing a merged session), late records, full-window contents of merged sessions, processing
 * time on the manual clock, and the merge requirement on aggregates. No real sleeps.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WindowFunctions, WindowStrategy, Windows } from "@weir/api";
import { OneInputHarness, subtaskForKey } from "./index.ts";
import { assertNoWindowState, byUser, type Click, COUNT, EVENT_TIME, LABEL } from "./window-fixtures.ts";

const counts = WindowFunctions.aggregate(COUNT, LABEL);

describe("event-time session windows", () => {
  test("sessions grow, and out-of-order records merge sessions; the timer moves to the merged end", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.session(10), counts),
      byUser,
    );
    const send = (user: string, at: number) => h.processRecord({ user, at }, at);
    send("a", 0);
    send("a", 5); // [0,15)
    send("a", 30); // [30,40)
    send("a", 18); // [18,28): between the two, overlapping neither
    send("b", 4); // another key: [4,14)
    assert.deepEqual(h.snapshot().eventTimers, [
      [13, "b"],
      [14, "a"],
      [27, "a"],
      [39, "a"],
    ]);
    send("a", 14); // [14,24) overlaps [0,15) and [18,28): one session [0,28)
    assert.deepEqual(
      h.snapshot().eventTimers,
      [
        [13, "b"],
        [27, "a"],
        [39, "a"],
      ],
      "the absorbed session's timer is gone",
    );
    send("a", 27); // [27,37) bridges [0,28) and [30,40): one session [0,40)
    assert.deepEqual(h.snapshot().eventTimers, [
      [13, "b"],
      [39, "a"],
    ]);
    send("a", 40); // [40,50) only touches [0,40): a new session
    h.processWatermark(EVENT_TIME.newWatermark(38));
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "b[4,14)=1", timestamp: 13 }]);
    h.processWatermark(EVENT_TIME.newWatermark(39));
    assert.deepEqual(h.outputWithTimestamps().at(-1), { value: "a[0,40)=6", timestamp: 39 });
    h.processWatermark(EVENT_TIME.newWatermark(49));
    assert.deepEqual(h.outputWithTimestamps().at(-1), { value: "a[40,50)=1", timestamp: 49 });
    assertNoWindowState(h.snapshot());
  });

  test("a full-window function gets the records of merged sessions, earlier session first", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(
        WindowStrategy.session(10),
        WindowFunctions.process<Click, string, string>({
          process(user, window, clicks, out) {
            out.collect(`${user}[${window.start},${window.end}):${clicks.map((c) => c.at).join(",")}`);
          },
        }),
      ),
      byUser,
    );
    for (const at of [20, 22, 1, 3, 12]) h.processRecord({ user: "a", at }, at);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.output(), ["a[1,32):1,3,20,22,12"]);
  });

  test("records behind event time still join a session whose end is ahead (as in Flink)", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.session(10), counts),
      byUser,
    );
    h.processRecord({ user: "a", at: 20 }, 20);
    h.processWatermark(EVENT_TIME.newWatermark(15));
    h.processRecord({ user: "a", at: 12 }, 12); // [12,22) is not over at 15
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.output(), ["a[12,30)=2"]);
  });

  test("allowed lateness: late records re-fire (or extend and re-schedule) a fired session; then it is cleaned up", async () => {
    const late: number[] = [];
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.session(10, { allowedLatenessMs: 5 }), counts, {
        onLateRecord: (click: Click) => late.push(click.at),
      }),
      byUser,
    );
    h.processRecord({ user: "a", at: 0 }, 0);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    // [3,13) merges with the fired session into [0,13), whose end is still ahead: fires at 12.
    h.processRecord({ user: "a", at: 3 }, 3);
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    assert.deepEqual(
      h.snapshot().eventTimers,
      [
        [12, "a"],
        [17, "a"],
      ],
      "the timers moved from 9/14 to 12/17",
    );
    h.processWatermark(EVENT_TIME.newWatermark(13));
    assert.deepEqual(h.output(), ["a[0,10)=1", "a[0,13)=2"]);
    // Within the lateness and inside the fired session: fires the update at once.
    h.processRecord({ user: "a", at: 1 }, 1);
    assert.deepEqual(h.outputWithTimestamps().at(-1), { value: "a[0,13)=3", timestamp: 12 });
    h.processWatermark(EVENT_TIME.newWatermark(17));
    assertNoWindowState(h.snapshot());
    h.processRecord({ user: "a", at: 2 }, 2);
    assert.deepEqual(late, [2]);
    assert.equal(h.output().length, 3);
    assertNoWindowState(h.snapshot());
  });

  test("without lateness, a record whose whole session is behind event time is late", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.windowWithLateRecords(WindowStrategy.session(10), WindowFunctions.aggregate(COUNT)),
      byUser,
    );
    h.processWatermark(EVENT_TIME.newWatermark(30));
    h.processRecord({ user: "a", at: 20 }, 20); // [20,30): maxTimestamp 29 <= 30
    h.processRecord({ user: "a", at: 21 }, 21); // [21,31): maxTimestamp 30 <= 30
    h.processRecord({ user: "a", at: 22 }, 22); // [22,32): still open
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: { kind: "late", record: { user: "a", at: 20 } }, timestamp: 20 },
      { value: { kind: "late", record: { user: "a", at: 21 } }, timestamp: 21 },
      { value: { kind: "result", value: 1 }, timestamp: 31 },
    ]);
  });

  test("open sessions and their timers move with their keys when restored at another parallelism", async () => {
    const fn = () => Windows.window(WindowStrategy.session(10, { allowedLatenessMs: 5 }), counts);
    const users = ["a", "b", "c", "d", "e", "f"];
    const h = await OneInputHarness.forFunction(fn(), byUser);
    for (const [i, user] of users.entries()) {
      h.processRecord({ user, at: i }, i);
      h.processRecord({ user, at: 20 + i }, 20 + i);
    }
    h.processWatermark(EVENT_TIME.newWatermark(12)); // the first sessions of a..d have fired
    const fired = h.output();
    const snapshot = h.snapshot();
    await h.close();
    const owners = new Set(users.map((u) => subtaskForKey(u, { parallelism: 2 })));
    assert.equal(owners.size, 2, "the keys spread over both subtasks");
    const restored = await Promise.all(
      [0, 1].map((subtask) =>
        OneInputHarness.restore(fn(), snapshot, { ...byUser, parallelism: 2, subtask }),
      ),
    );
    const after: string[] = [];
    for (const [subtask, r] of restored.entries()) {
      // Joins the first session on the key's owner (event time starts over after a restore, as in
      // Flink, so the updated session fires with the next watermark past its end).
      for (const user of users) {
        if (subtaskForKey(user, { parallelism: 2 }) === subtask) r.processRecord({ user, at: 1 }, 1);
      }
      r.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
      after.push(...r.output());
      assertNoWindowState(r.snapshot());
      await r.close();
    }
    assert.deepEqual(fired, ["a[0,10)=1", "b[1,11)=1", "c[2,12)=1", "d[3,13)=1"]);
    assert.deepEqual(after.sort(), [
      "a[0,11)=2",
      "a[20,30)=1",
      "b[1,11)=2",
      "b[21,31)=1",
      "c[1,12)=2",
      "c[22,32)=1",
      "d[1,13)=2",
      "d[23,33)=1",
      "e[1,14)=2",
      "e[24,34)=1",
      "f[1,15)=2",
      "f[25,35)=1",
    ]);
  });

  test("after a restore (event time starts over), a record inside a fired session still re-fires it", async () => {
    const fn = () => Windows.window(WindowStrategy.session(10, { allowedLatenessMs: 10 }), counts);
    const h = await OneInputHarness.forFunction(fn(), byUser);
    h.processRecord({ user: "a", at: 0 }, 0);
    h.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(fn(), snapshot, byUser);
    restored.processRecord({ user: "a", at: 0 }, 0); // [0,10) again: the session keeps its end
    restored.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(restored.output(), ["a[0,10)=2"]);
    restored.processWatermark(EVENT_TIME.newWatermark(19));
    assertNoWindowState(restored.snapshot());
  });

  test("an aggregate without merge is refused for session windows", () => {
    const { merge: _merge, ...noMerge } = COUNT;
    assert.throws(
      () => Windows.window(WindowStrategy.session(10), WindowFunctions.aggregate(noMerge)),
      /session windows merge, so their aggregate function needs merge/,
    );
    assert.doesNotThrow(() =>
      Windows.window(WindowStrategy.tumbling(10), WindowFunctions.aggregate(noMerge)),
    );
  });
});

describe("processing-time session windows", () => {
  test("a session closes gap ms after the last record by the wall clock", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.session(10, { timeType: "PROCESSING" }), counts),
      byUser,
    );
    h.processRecord({ user: "a", at: 0 });
    h.advanceProcessingTime(8);
    h.processRecord({ user: "a", at: 0 }); // extends to [0,18)
    h.advanceProcessingTime(9);
    assert.deepEqual(h.output(), [], "the first record's timer moved with the merge");
    assert.deepEqual(h.snapshot().timers, [[17, "a"]]);
    h.advanceProcessingTime(17);
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "a[0,18)=2", timestamp: 17 }]);
    assertNoWindowState(h.snapshot());
    h.advanceProcessingTime(20);
    h.processRecord({ user: "b", at: 0 });
    h.endInput();
    assert.deepEqual(h.output(), ["a[0,18)=2", "b[20,30)=1"], "end of input fires the open session");
    assertNoWindowState(h.snapshot());
  });
});
