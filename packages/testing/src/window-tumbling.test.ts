/**
 * Tumbling windows (window extension) under the operator harness: event time with out-of-order and
 * late input, allowed lateness (re-firing, cleanup), late records, full-window and combined window
 * functions, offsets, snapshots; and processing time driven by the manual clock. No real sleeps.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WindowFunctions, WindowStrategy, Windows } from "@weir/api";
import { OneInputHarness } from "./index.ts";
import { assertNoWindowState, byUser, type Click, COUNT, EVENT_TIME, LABEL } from "./window-fixtures.ts";

const countLabels = WindowFunctions.aggregate(COUNT, LABEL);

function feed(h: { processRecord(c: Click, timestamp: number): void }, clicks: readonly [string, number][]) {
  for (const [user, at] of clicks) h.processRecord({ user, at }, at);
}

/** Keyed state and timers of a snapshot are all empty: nothing is left of expired windows. */
describe("event-time tumbling windows", () => {
  test("out-of-order records land in their windows; each window fires once, when event time passes end - 1", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10), countLabels),
      byUser,
    );
    feed(h, [
      ["a", 1],
      ["b", 3],
      ["a", 12],
      ["a", 5],
      ["b", 19],
      ["a", 9],
      ["a", 0],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(8));
    assert.deepEqual(h.output(), [], "no window has ended at event time 8");
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[0,10)=4", timestamp: 9 },
      { value: "b[0,10)=1", timestamp: 9 },
    ]);
    assert.deepEqual(
      h.outputWatermarks().map((w) => w.value),
      [8, 9],
      "watermarks go on after the windows they close",
    );
    h.clearOutput();
    h.processWatermark(EVENT_TIME.newWatermark(100));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[10,20)=1", timestamp: 19 },
      { value: "b[10,20)=1", timestamp: 19 },
    ]);
    assertNoWindowState(h.snapshot());
  });

  test("an aggregate alone emits its result; a full-window function sees the records in arrival order", async () => {
    await using counts = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10), WindowFunctions.aggregate(COUNT)),
      byUser,
    );
    await using lists = await OneInputHarness.forFunction(
      Windows.window(
        WindowStrategy.tumbling(10),
        WindowFunctions.process<Click, string, string>({
          process(user, window, clicks, out) {
            out.collect(`${user}@${window.start}:${clicks.map((c) => c.at).join(",")}`);
          },
        }),
      ),
      byUser,
    );
    for (const h of [counts, lists]) {
      feed(h, [
        ["a", 7],
        ["a", 2],
        ["a", 15],
        ["a", 4],
      ]);
      h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    }
    assert.deepEqual(counts.outputWithTimestamps(), [
      { value: 3, timestamp: 9 },
      { value: 1, timestamp: 19 },
    ]);
    assert.deepEqual(lists.outputWithTimestamps(), [
      { value: "a@0:7,2,4", timestamp: 9 },
      { value: "a@10:15", timestamp: 19 },
    ]);
    assertNoWindowState(lists.snapshot());
  });

  test("allowed lateness: late records within it update the window and fire it again; then state is cleared", async () => {
    const late: string[] = [];
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10, { allowedLatenessMs: 5 }), countLabels, {
        onLateRecord: (click: Click) => late.push(`${click.user}@${click.at}`),
      }),
      byUser,
    );
    feed(h, [
      ["a", 1],
      ["a", 2],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(h.output(), ["a[0,10)=2"]);
    h.processRecord({ user: "a", at: 4 }, 4);
    assert.deepEqual(
      h.outputWithTimestamps().at(-1),
      { value: "a[0,10)=3", timestamp: 9 },
      "the late firing carries the window's timestamp, not the record's",
    );
    h.processWatermark(EVENT_TIME.newWatermark(13));
    assert.equal(h.output().length, 2, "advancing within the lateness fires nothing");
    assert.equal(h.snapshot().keyed["window-contents"]?.length, 1, "state is kept until 9 + 5");
    h.processRecord({ user: "a", at: 9 }, 9);
    assert.deepEqual(h.output().at(-1), "a[0,10)=4");
    h.processWatermark(EVENT_TIME.newWatermark(14));
    assertNoWindowState(h.snapshot());
    h.processRecord({ user: "a", at: 6 }, 6);
    assert.deepEqual(late, ["a@6"], "after cleanup the record is late");
    assert.deepEqual(h.output(), ["a[0,10)=2", "a[0,10)=3", "a[0,10)=4"], "a late record changes nothing");
    assertNoWindowState(h.snapshot());
  });

  test("a window first created by a record within the lateness fires at once, and is cleaned up later", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10, { allowedLatenessMs: 20 }), countLabels),
      byUser,
    );
    h.processRecord({ user: "b", at: 25 }, 25);
    h.processWatermark(EVENT_TIME.newWatermark(25));
    h.processRecord({ user: "a", at: 3 }, 3);
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    h.processWatermark(EVENT_TIME.newWatermark(28));
    assert.deepEqual(h.output(), ["a[0,10)=1"], "the window does not fire a second time from a timer");
    h.processWatermark(EVENT_TIME.newWatermark(29));
    assert.deepEqual(h.output(), ["a[0,10)=1", "b[20,30)=1"]);
    h.processWatermark(EVENT_TIME.newWatermark(49));
    assertNoWindowState(h.snapshot());
  });

  test("without lateness, a record behind event time is late and goes to onLateRecord, which may emit", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10), WindowFunctions.aggregate(COUNT), {
        onLateRecord: (click: Click, out) => out.collect(-click.at),
      }),
      byUser,
    );
    h.processRecord({ user: "a", at: 12 }, 12);
    h.processWatermark(EVENT_TIME.newWatermark(10));
    h.processRecord({ user: "a", at: 9 }, 9);
    h.processRecord({ user: "a", at: 10 }, 10);
    h.processWatermark(EVENT_TIME.newWatermark(19));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: -9, timestamp: 9 },
      { value: 2, timestamp: 19 },
    ]);
  });

  test("late records are dropped when there is no onLateRecord", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10), WindowFunctions.aggregate(COUNT)),
      byUser,
    );
    h.processWatermark(EVENT_TIME.newWatermark(50));
    h.processRecord({ user: "a", at: 3 }, 3);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    h.endInput();
    assert.deepEqual(h.output(), []);
    assertNoWindowState(h.snapshot());
  });

  test("offsets shift window starts; negative timestamps fall in windows before 0", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10, { offsetMs: 3 }), countLabels),
      byUser,
    );
    feed(h, [
      ["a", 2],
      ["a", 3],
      ["a", 12],
      ["a", 13],
      ["a", -7],
      ["a", -8],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[-17,-7)=1", timestamp: -8 },
      { value: "a[-7,3)=2", timestamp: 2 },
      { value: "a[3,13)=2", timestamp: 12 },
      { value: "a[13,23)=1", timestamp: 22 },
    ]);
  });

  test("window state and timers survive a snapshot and restore", async () => {
    const fn = () => Windows.window(WindowStrategy.tumbling(10, { allowedLatenessMs: 10 }), countLabels);
    const h = await OneInputHarness.forFunction(fn(), byUser);
    feed(h, [
      ["a", 1],
      ["b", 2],
      ["a", 11],
    ]);
    const snapshot = h.snapshot();
    await h.close();
    assert.deepEqual(
      snapshot.eventTimers,
      [
        [9, "a"],
        [9, "b"],
        [19, "a"],
        [19, "b"],
        [29, "a"],
      ],
      "a fire and a cleanup timer per window",
    );
    await using restored = await OneInputHarness.restore(fn(), snapshot, byUser);
    restored.processRecord({ user: "a", at: 5 }, 5);
    restored.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(restored.output(), ["a[0,10)=2", "b[0,10)=1"]);
    restored.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(restored.output(), ["a[0,10)=2", "b[0,10)=1", "a[10,20)=1"]);
    assertNoWindowState(restored.snapshot());
  });

  test("after a restore (event time starts over), a record for a fired window still re-fires it", async () => {
    const fn = () => Windows.window(WindowStrategy.tumbling(10, { allowedLatenessMs: 10 }), countLabels);
    const h = await OneInputHarness.forFunction(fn(), byUser);
    h.processRecord({ user: "a", at: 1 }, 1);
    h.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    const snapshot = h.snapshot();
    await h.close();
    assert.deepEqual(snapshot.eventTimers, [[19, "a"]], "only the cleanup timer is left");
    await using restored = await OneInputHarness.restore(fn(), snapshot, byUser);
    restored.processRecord({ user: "a", at: 2 }, 2);
    restored.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(restored.outputWithTimestamps(), [{ value: "a[0,10)=2", timestamp: 9 }]);
    restored.processWatermark(EVENT_TIME.newWatermark(19));
    assertNoWindowState(restored.snapshot());
  });

  test("end of input fires what event time has not reached yet, and nothing twice", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10, { allowedLatenessMs: 30 }), countLabels),
      byUser,
    );
    feed(h, [
      ["a", 1],
      ["a", 15],
    ]);
    h.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(h.output(), ["a[0,10)=1"]);
    h.endInput();
    assert.deepEqual(h.output(), ["a[0,10)=1", "a[10,20)=1"]);
  });

  test("records without an event timestamp are rejected with a hint", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.tumbling(10), countLabels),
      byUser,
    );
    assert.throws(
      () => h.processRecord({ user: "a", at: 1 }),
      /finite event timestamps.*newWatermarkGeneratorBuilder/s,
    );
  });
});

describe("processing-time tumbling windows", () => {
  const strategy = WindowStrategy.tumbling(10, { timeType: "PROCESSING" });

  test("records are assigned by the wall clock; windows fire when the clock reaches end - 1", async () => {
    await using h = await OneInputHarness.forFunction(Windows.window(strategy, countLabels), {
      ...byUser,
      startTime: 100,
    });
    // Event timestamps are ignored: only the clock counts.
    h.processRecord({ user: "a", at: 1 }, 1);
    h.advanceBy(4);
    h.processRecord({ user: "b", at: 2 }, 2);
    h.processRecord({ user: "a", at: 999 }, 999);
    h.advanceProcessingTime(108);
    assert.deepEqual(h.output(), []);
    h.advanceProcessingTime(109);
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[100,110)=2", timestamp: 109 },
      { value: "b[100,110)=1", timestamp: 109 },
    ]);
    assertNoWindowState(h.snapshot());
    h.advanceBy(1);
    h.processRecord({ user: "a", at: 0 }, 0);
    h.advanceProcessingTime(125);
    assert.deepEqual(h.output().slice(2), ["a[110,120)=1"]);
  });

  test("a record at a window's last millisecond fires it right after", async () => {
    await using h = await OneInputHarness.forFunction(Windows.window(strategy, countLabels), {
      ...byUser,
      startTime: 9,
    });
    h.processRecord({ user: "a", at: 0 });
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "a[0,10)=1", timestamp: 9 }]);
  });

  test("end of input fires the open windows (their timers would be dropped) and clears the state", async () => {
    await using h = await OneInputHarness.forFunction(Windows.window(strategy, countLabels), {
      ...byUser,
      startTime: 3,
    });
    h.processRecord({ user: "a", at: 0 });
    h.processRecord({ user: "b", at: 0 });
    h.endInput();
    assert.deepEqual(h.output(), ["a[0,10)=1", "b[0,10)=1"]);
    assertNoWindowState(h.snapshot());
  });

  test("allowed lateness is refused for processing time", () => {
    assert.throws(
      () => WindowStrategy.tumbling(10, { timeType: "PROCESSING", allowedLatenessMs: 5 }),
      /allowedLatenessMs applies to event-time windows only/,
    );
  });
});
