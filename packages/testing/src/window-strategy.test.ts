/**
 * Window strategies and window functions of the window extension: argument validation (also of
 * hand-built strategy objects) and Flink's window assignment, including offsets and negative
 * timestamps.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AggregateFunction,
  EventTimeExtension,
  TimeWindows,
  type TumblingWindowStrategy,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";
import { OneInputHarness } from "./index.ts";

const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_record, n) => n + 1,
  getResult: (n) => n,
};

test("factories fill in defaults and freeze the strategy", () => {
  const tumbling = WindowStrategy.tumbling(1_000);
  assert.deepEqual(tumbling, {
    kind: "tumbling",
    sizeMs: 1_000,
    offsetMs: 0,
    timeType: "EVENT",
    allowedLatenessMs: 0,
  });
  assert.ok(Object.isFrozen(tumbling));
  assert.deepEqual(WindowStrategy.sliding(10, 5, { timeType: "PROCESSING", offsetMs: -2 }), {
    kind: "sliding",
    sizeMs: 10,
    slideMs: 5,
    offsetMs: -2,
    timeType: "PROCESSING",
    allowedLatenessMs: 0,
  });
  assert.deepEqual(WindowStrategy.session(30, { allowedLatenessMs: 7 }), {
    kind: "session",
    gapMs: 30,
    timeType: "EVENT",
    allowedLatenessMs: 7,
  });
  assert.deepEqual(WindowStrategy.global(), { kind: "global" });
});

test("bad arguments are refused with messages naming them", () => {
  assert.throws(() => WindowStrategy.tumbling(0), /tumbling window size must be a positive integer/);
  assert.throws(() => WindowStrategy.tumbling(1.5), /tumbling window size must be a positive integer/);
  assert.throws(() => WindowStrategy.tumbling(10, { offsetMs: 10 }), /\|offsetMs\| < the size \(10\)/);
  assert.throws(() => WindowStrategy.sliding(10, 0), /sliding window slide must be a positive integer/);
  assert.throws(() => WindowStrategy.sliding(10, 5, { offsetMs: -5 }), /\|offsetMs\| < the slide \(5\)/);
  assert.throws(() => WindowStrategy.session(-1), /session gap must be a positive integer/);
  assert.throws(
    () => WindowStrategy.tumbling(10, { allowedLatenessMs: -1 }),
    /allowedLatenessMs must be a non-negative/,
  );
  assert.throws(
    () => WindowStrategy.session(10, { timeType: "PROCESSING", allowedLatenessMs: 1 }),
    /event-time windows only/,
  );
  assert.throws(
    () => WindowStrategy.tumbling(10, { timeType: "WALL" as "EVENT" }),
    /timeType must be "EVENT" or "PROCESSING"/,
  );
  assert.throws(
    () => WindowFunctions.aggregate({} as AggregateFunction<unknown, unknown, unknown>),
    /createAccumulator/,
  );
  assert.throws(() => WindowFunctions.process({} as never), /process\(key, window, records, output, ctx\)/);
  const hacked: TumblingWindowStrategy = { ...WindowStrategy.tumbling(10), sizeMs: -10 };
  assert.throws(() => Windows.window(hacked, WindowFunctions.aggregate(COUNT)), /tumbling window size/);
  assert.throws(
    () => Windows.window({ kind: "hopping" } as never, WindowFunctions.aggregate(COUNT)),
    /window strategy/,
  );
  assert.throws(
    () =>
      Windows.window(WindowStrategy.global(), WindowFunctions.aggregate(COUNT), { onLateRecord: 3 as never }),
    /onLateRecord must be a function/,
  );
});

test("TimeWindows helpers: last timestamp, overlap of half-open windows, cover", () => {
  assert.equal(TimeWindows.maxTimestamp({ start: 0, end: 10 }), 9);
  assert.equal(TimeWindows.overlaps({ start: 0, end: 10 }, { start: 9, end: 20 }), true);
  assert.equal(TimeWindows.overlaps({ start: 9, end: 20 }, { start: 0, end: 10 }), true);
  assert.equal(
    TimeWindows.overlaps({ start: 0, end: 10 }, { start: 10, end: 20 }),
    false,
    "touching is not overlapping",
  );
  assert.deepEqual(TimeWindows.cover({ start: 0, end: 10 }, { start: 5, end: 20 }), { start: 0, end: 20 });
});

test("assignment: each record lands in the window floor((t - offset) / size) * size + offset, negative t too", async () => {
  for (const [size, offset] of [
    [10, 0],
    [10, 3],
    [7, -3],
  ] as const) {
    await using h = await OneInputHarness.forFunction(
      Windows.window(
        WindowStrategy.tumbling(size, { offsetMs: offset }),
        WindowFunctions.process<number, [number, number, number], string>({
          process(_key, window, records, out) {
            for (const t of records) out.collect([t, window.start, window.end]);
          },
        }),
      ),
      { keySelector: (n: number) => `k${n}` },
    );
    for (let t = -25; t <= 25; t++) h.processRecord(t, t);
    h.processWatermark(
      EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION.newWatermark(Number.POSITIVE_INFINITY),
    );
    const assigned = h.output().sort((a, b) => a[0] - b[0]);
    assert.equal(assigned.length, 51);
    for (const [t, start, end] of assigned) {
      const expected = Math.floor((t - offset) / size) * size + offset;
      assert.deepEqual([start, end], [expected, expected + size], `t=${t} size=${size} offset=${offset}`);
    }
  }
});
