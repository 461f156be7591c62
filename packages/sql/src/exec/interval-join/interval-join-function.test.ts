/**
 * Interval join under the two-input harness: rows meet when `lower <= l - r <= upper`, rows are
 * freed once the watermark (or the clock) passes the last time they could meet, outer joins emit
 * NULL-padded rows at that moment, late rows are joined but not kept. Expected rows by hand.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { TwoInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, show } from "../testing/changelog.ts";
import { IntervalJoinFunction } from "./interval-join-function.ts";
import type { IntervalJoinSpec } from "./interval-join-specs.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

/** Both sides' rows: [key, time]; `l.t BETWEEN r.t - 1 AND r.t + 1`. */
async function harness(joinType: IntervalJoinSpec["joinType"], timeKind: "rowtime" | "proctime" = "rowtime") {
  const fn = new IntervalJoinFunction({
    joinType,
    leftKey: [0],
    rightKey: [0],
    leftTimeIndex: 1,
    rightTimeIndex: 1,
    timeKind,
    lowerMs: -1,
    upperMs: 1,
    nonEquiCondition: null,
    leftArity: 2,
    rightArity: 2,
    stateTtlMs: 0,
  });
  const key = (row: RowData) => row.fields[0] as string;
  return TwoInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelectors: [key, key],
  });
}

function watermark(h: Awaited<ReturnType<typeof harness>>, time: number): void {
  h.processWatermark(0, EVENT_TIME.newWatermark(time));
  h.processWatermark(1, EVENT_TIME.newWatermark(time));
}

describe("event-time interval join", () => {
  test("inner: rows meet within the interval; state is freed as the watermark passes", async () => {
    await using h = await harness("INNER");
    h.processRecord1(insert("a", 10), 10);
    h.processRecord2(insert("a", 11), 11);
    h.processRecord2(insert("a", 13), 13);
    h.processRecord1(insert("a", 12), 12);
    assert.deepEqual(show(h.output()), ["+I[a, 10, a, 11]", "+I[a, 12, a, 11]", "+I[a, 12, a, 13]"]);
    h.clearOutput();
    watermark(h, 12); // left@10 (last meeting 11) and right@11 (12) are gone
    h.processRecord2(insert("a", 11), 11); // late: meets the held left@12, but is not kept
    h.processRecord1(insert("a", 11), 11); // late: 11 - 13 = -2 misses right@13; right@11 is not held
    assert.deepEqual(show(h.output()), ["+I[a, 12, a, 11]"]);
    watermark(h, 14);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), [], "no rows are held");
    assert.deepEqual(h.snapshot().eventTimers ?? [], [], "nor timers");
  });

  test("FULL: an unmatched row comes out NULL-padded when it can no longer match, a matched one never", async () => {
    await using h = await harness("FULL");
    h.processRecord1(insert("a", 10), 10);
    h.processRecord2(insert("b", 10), 10);
    h.processRecord1(insert("b", 20), 20);
    h.processRecord2(insert("b", 21), 21);
    assert.deepEqual(show(h.output()), ["+I[b, 20, b, 21]"]);
    h.clearOutput();
    watermark(h, 11);
    assert.deepEqual(show(h.output()).sort(), ["+I[a, 10, null, null]", "+I[null, null, b, 10]"]);
    h.clearOutput();
    watermark(h, 30);
    assert.deepEqual(show(h.output()), [], "the matched rows expire silently");
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), []);
  });

  test("LEFT: only left rows are padded; a NULL key never matches and is padded at once", async () => {
    await using h = await harness("LEFT");
    h.processRecord2(insert("a", 10), 10);
    h.processRecord1(insert(null, 10), 10);
    assert.deepEqual(show(h.output()), ["+I[null, 10, null, null]"]);
    h.clearOutput();
    watermark(h, 20);
    assert.deepEqual(show(h.output()), [], "the right row is not padded in a LEFT join");
  });
});

describe("interval join output event time", () => {
  test("is held back by max(-lower, upper): no row it emits is behind the event time it announced", async () => {
    await using h = await harness("FULL");
    const eventTimes = () => h.outputWatermarks().map((w) => w.value as number);
    h.processRecord1(insert("a", 10), 10);
    watermark(h, 10); // input event time 10, output 10 - 1
    assert.deepEqual(eventTimes(), [9]);
    h.processRecord2(insert("a", 11), 11); // meets left@10, a row at time 10 > 9
    watermark(h, 12); // right@11 expires (11 + 1 <= 12) matched; output 11
    h.processRecord2(insert("b", 13), 13);
    watermark(h, 20); // right@13 comes out NULL-padded at time 13 > 11, before output event time 19
    assert.deepEqual(show(h.output()), ["+I[a, 10, a, 11]", "+I[null, null, b, 13]"]);
    assert.deepEqual(eventTimes(), [9, 11, 19]);
    const announced = [Number.NEGATIVE_INFINITY, 9, 11];
    const rowTimes = [10, 13];
    for (let i = 0; i < rowTimes.length; i++)
      assert.ok(rowTimes[i]! > announced[i + 1]!, `row at ${rowTimes[i]} is not late downstream`);
  });

  test("processing time: event time passes through unchanged", async () => {
    await using h = await harness("INNER", "proctime");
    watermark(h, 50);
    assert.deepEqual(
      h.outputWatermarks().map((w) => w.value),
      [50],
    );
  });
});

describe("processing-time interval join", () => {
  test("rows meet within the interval of their arrival times, and are freed by the clock", async () => {
    await using h = await harness("INNER", "proctime");
    h.advanceProcessingTime(100);
    h.processRecord1(insert("a", null));
    h.advanceProcessingTime(101);
    h.processRecord2(insert("a", null));
    assert.deepEqual(show(h.output()), ["+I[a, null, a, null]"]);
    h.clearOutput();
    h.advanceProcessingTime(103);
    h.processRecord2(insert("a", null)); // left@100 could meet right rows up to 101 only
    assert.deepEqual(show(h.output()), []);
    h.advanceProcessingTime(105);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), []);
  });
});

describe("interval join state on a long input", () => {
  test("rows held stay bounded while the watermark advances over 20 000 rows a side", async () => {
    await using h = await harness("LEFT");
    const held: number[] = [];
    for (let t = 1; t <= 20_000; t++) {
      h.processRecord1(insert(`k${t % 7}`, t), t);
      h.processRecord2(insert(`k${t % 5}`, t), t);
      if (t % 10 === 0) watermark(h, t - 5);
      if (t % 100 === 0) h.clearOutput();
      if (t === 2_000 || t === 20_000)
        held.push(JSON.stringify(Object.values(h.snapshot().keyed).flat()).length);
    }
    assert.ok(held[0]! > 100, "rows that can still match are held");
    assert.ok(held[1]! <= held[0]! * 1.5, `state grew from ${held[0]} to ${held[1]} characters`);
  });
});
