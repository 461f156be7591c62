/**
 * The event-time extension under the operator harness: watermark generators (bounded
 * out-of-orderness, per-event and periodic, idleness, end of input) and event-time timers. Time is
 * driven by hand: no real sleeps.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  EventTimeExtension,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  StateDeclarations,
  type Watermark,
} from "@weir/api";
import { OneInputHarness } from "./index.ts";

const { EVENT_TIME_WATERMARK_DECLARATION: EVENT_TIME, IDLE_STATUS_WATERMARK_DECLARATION: IDLE } =
  EventTimeExtension;

interface Click {
  readonly user: string;
  readonly at: number;
}

const eventTimes = (watermarks: Watermark[]) =>
  watermarks.filter((w) => w.identifier === EVENT_TIME.identifier).map((w) => w.value);
const idleStates = (watermarks: Watermark[]) =>
  watermarks.filter((w) => w.identifier === IDLE.identifier).map((w) => w.value);

describe("watermark generators", () => {
  test("per-event, bounded out-of-orderness: watermark = largest timestamp - bound - 1, stamped timestamps", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((c: Click) => c.at)
      .withMaxOutOfOrderTime(2)
      .perEventWatermark()
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    for (const at of [5, 3, 9, 8, 12]) h.processRecord({ user: "u", at });
    assert.deepEqual(eventTimes(h.outputWatermarks()), [2, 6, 9]);
    assert.deepEqual(
      h.outputWithTimestamps().map((r) => r.timestamp),
      [5, 3, 9, 8, 12],
    );
    h.endInput();
    assert.deepEqual(eventTimes(h.outputWatermarks()).at(-1), Number.POSITIVE_INFINITY);
  });

  test("monotonous (no out-of-orderness): watermark = largest timestamp - 1", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
      .perEventWatermark()
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    for (const n of [10, 20, 20, 30]) h.processRecord(n);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [9, 19, 29]);
  });

  test("periodic emission happens on the interval, only when the watermark advanced", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
      .periodicWatermark(100)
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    h.processRecord(50);
    h.processRecord(70);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [], "nothing before the first interval");
    h.advanceBy(100);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [69]);
    h.advanceBy(100);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [69], "no new watermark without progress");
    h.processRecord(60);
    h.processRecord(90);
    h.advanceBy(250);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [69, 89]);
  });

  test("an input without records goes idle, and is active again before its next record", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
      .withIdleness(1_000)
      .periodicWatermark(200)
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    h.processRecord(1);
    h.advanceBy(800);
    assert.deepEqual(idleStates(h.outputWatermarks()), []);
    h.advanceBy(400);
    assert.deepEqual(idleStates(h.outputWatermarks()), [true]);
    h.advanceBy(5_000);
    assert.deepEqual(idleStates(h.outputWatermarks()), [true], "idle is announced once");
    h.processRecord(2);
    assert.deepEqual(idleStates(h.outputWatermarks()), [true, false]);
    // The active announcement comes before the record it precedes: the record is the last output.
    assert.deepEqual(h.output(), [1, 2]);
  });

  test("upstream event time is replaced by the generator's own", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
      .perEventWatermark()
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    h.processWatermark(EVENT_TIME.newWatermark(1_000));
    h.processRecord(5);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [4]);
  });

  test("a bad timestamp extractor result fails with a clear error", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder(
      (c: { at?: number }) => c.at as number,
    ).buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    assert.throws(
      () => h.processRecord({}),
      /the timestamp extractor returned undefined, expected milliseconds/,
    );
  });

  test("builder arguments are validated", () => {
    const b = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n);
    assert.throws(() => b.withMaxOutOfOrderTime(-1), /withMaxOutOfOrderTime must be a non-negative number/);
    assert.throws(() => b.withIdleness(0), /withIdleness must be a positive number/);
    assert.throws(() => b.periodicWatermark(Number.NaN), /periodicWatermark must be a positive number/);
  });
});

describe("event-time timers", () => {
  const COUNTS = StateDeclarations.map<number, number>("counts-by-window-end");

  /** Counts clicks per user and 10 ms window, emitting each window's count when event time passes its end. */
  function windowCounter(): OneInputEventTimeStreamProcessFunction<Click, string, string> & {
    late: string[];
  } {
    let manager: EventTimeManager;
    const late: string[] = [];
    return {
      late,
      usesStates: () => [COUNTS],
      initEventTimeProcessFunction(m) {
        manager = m;
      },
      processRecord(click, _out, ctx) {
        const timestamp = manager.recordTimestamp();
        if (timestamp <= manager.currentTime()) {
          late.push(`${click.user}@${click.at}`);
          return;
        }
        const windowEnd = Math.floor(timestamp / 10) * 10 + 9;
        const counts = ctx.stateManager.getState(COUNTS);
        counts.put(windowEnd, (counts.get(windowEnd) ?? 0) + 1);
        manager.registerTimer(windowEnd);
      },
      onEventTimer(timestamp, out, ctx) {
        const counts = ctx.stateManager.getState(COUNTS);
        out.collect(`${ctx.stateManager.getCurrentKey()}:${timestamp}:${counts.get(timestamp)}`);
        counts.remove(timestamp);
      },
    };
  }

  test("timers fire per key in timestamp order when event time passes them, before the watermark goes on", async () => {
    const fn = windowCounter();
    await using h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
      keySelector: (c: Click) => c.user,
    });
    for (const [user, at] of [
      ["a", 1],
      ["b", 3],
      ["a", 5],
      ["a", 12],
      ["b", 15],
    ] as const)
      h.processRecord({ user, at }, at);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(h.output(), ["a:9:2", "b:9:1"]);
    assert.deepEqual(eventTimes(h.outputWatermarks()), [9], "the watermark is forwarded after its timers");
    assert.deepEqual(
      h.outputWithTimestamps().map((r) => r.timestamp),
      [9, 9],
      "records emitted by an event timer carry the timer's time",
    );
    h.clearOutput();
    h.processRecord({ user: "a", at: 7 }, 7);
    assert.deepEqual(fn.late, ["a@7"], "a record at or behind event time is late");
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.output().sort(), ["a:19:1", "b:19:1"]);
  });

  test("event timers are part of the snapshot and fire after a restore", async () => {
    const fn = windowCounter();
    const options = { keySelector: (c: Click) => c.user };
    const h = await OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), options);
    h.processRecord({ user: "a", at: 1 }, 1);
    const snapshot = h.snapshot();
    await h.close();
    assert.deepEqual(snapshot.eventTimers, [[9, "a"]]);
    await using restored = await OneInputHarness.restore(
      EventTimeExtension.wrapProcessFunction(windowCounter()),
      snapshot,
      options,
    );
    restored.processWatermark(EVENT_TIME.newWatermark(100));
    assert.deepEqual(restored.output(), ["a:9:1"]);
  });

  test("event timers need a keyed stream", async () => {
    let manager: EventTimeManager | undefined;
    const fn = EventTimeExtension.wrapProcessFunction<number, number, never>({
      initEventTimeProcessFunction(m) {
        manager = m;
      },
      processRecord() {
        manager!.registerTimer(5);
      },
    });
    await using h = await OneInputHarness.forFunction(fn);
    assert.throws(() => h.processRecord(1), /event-time timers are only available on keyed streams/);
  });
});

describe("watermark alignment", () => {
  test("a generator reports its watermark and pauses its input while it is ahead of its group", async () => {
    const generator = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n)
      .withWatermarkAlignment("g", 100, 50)
      .perEventWatermark()
      .buildAsProcessFunction();
    await using h = await OneInputHarness.forFunction(generator);
    assert.deepEqual(
      h.alignmentReports,
      [{ group: "g", watermark: Number.NEGATIVE_INFINITY }],
      "reports at start",
    );
    h.processRecord(1_000);
    h.advanceBy(50);
    assert.deepEqual(h.alignmentReports.at(-1), { group: "g", watermark: 999 }, "reports on the interval");
    // The group's slowest member is at 800: at most 900 is allowed, and 999 is ahead.
    h.announceAlignment("g", 900);
    assert.equal(h.inputPaused, true);
    assert.throws(() => h.processRecord(1_001), /paused/);
    // The group catches up: input resumes.
    h.announceAlignment("g", 1_200);
    await Promise.resolve();
    assert.equal(h.inputPaused, false);
    h.processRecord(1_001);
    h.endInput();
    assert.deepEqual(
      h.alignmentReports.at(-1),
      { group: "g", watermark: Number.POSITIVE_INFINITY },
      "a finished member stops holding the group back",
    );
  });

  test("alignment arguments are validated", () => {
    const b = EventTimeExtension.newWatermarkGeneratorBuilder((n: number) => n);
    assert.throws(() => b.withWatermarkAlignment("", 10), /non-empty group name/);
    assert.throws(() => b.withWatermarkAlignment("g", -1), /maxDriftMs must be a non-negative number/);
  });
});
