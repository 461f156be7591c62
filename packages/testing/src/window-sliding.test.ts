/**
 * Sliding windows (window extension) under the operator harness: a record counts in every window
 * that contains it; event time with out-of-order input and allowed lateness that covers only some
 * of a record's windows; late records; processing time on the manual clock. No real sleeps.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AggregateFunction, WindowFunctions, WindowStrategy, Windows } from "@weir/api";
import { OneInputHarness } from "./index.ts";
import { assertNoWindowState, byUser, type Click, EVENT_TIME, LABEL } from "./window-fixtures.ts";

const SUM_AT: AggregateFunction<Click, number, number> = {
  createAccumulator: () => 0,
  add: (click, sum) => sum + click.at,
  getResult: (sum) => sum,
  merge: (a, b) => a + b,
};

const sums = WindowFunctions.aggregate(SUM_AT, LABEL);

describe("event-time sliding windows", () => {
  test("each record counts in size/slide windows; windows fire in end order as event time passes", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.sliding(10, 5), sums),
      byUser,
    );
    for (const at of [12, 3, 7, 16]) h.processRecord({ user: "a", at }, at);
    h.processWatermark(EVENT_TIME.newWatermark(4));
    assert.deepEqual(h.outputWithTimestamps(), [{ value: "a[-5,5)=3", timestamp: 4 }]);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[-5,5)=3", timestamp: 4 },
      { value: "a[0,10)=10", timestamp: 9 },
      { value: "a[5,15)=19", timestamp: 14 },
      { value: "a[10,20)=28", timestamp: 19 },
      { value: "a[15,25)=16", timestamp: 24 },
    ]);
    assertNoWindowState(h.snapshot());
  });

  test("lateness is judged per window: a record may miss a cleaned-up window and still update a later one", async () => {
    const late: number[] = [];
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.sliding(10, 5, { allowedLatenessMs: 3 }), sums, {
        onLateRecord: (click) => late.push(click.at),
      }),
      byUser,
    );
    h.processRecord({ user: "a", at: 6 }, 6);
    h.processWatermark(EVENT_TIME.newWatermark(12));
    assert.deepEqual(h.output(), ["a[0,10)=6"], "[0,10) fired at 9 and was cleaned up at 12");
    h.processRecord({ user: "a", at: 7 }, 7);
    assert.deepEqual(late, [], "7 still belongs to [5,15), which is not even due");
    h.processWatermark(EVENT_TIME.newWatermark(15));
    assert.deepEqual(h.output(), ["a[0,10)=6", "a[5,15)=13"]);
    h.processRecord({ user: "a", at: 8 }, 8);
    assert.deepEqual(h.output().at(-1), "a[5,15)=21", "re-fired within the lateness of [5,15)");
    h.processWatermark(EVENT_TIME.newWatermark(17));
    assertNoWindowState(h.snapshot());
    h.processRecord({ user: "a", at: 9 }, 9);
    assert.deepEqual(late, [9]);
    assert.equal(h.output().length, 3);
  });

  test("with a slide larger than the size, records between windows belong to none and are not late", async () => {
    const late: number[] = [];
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.sliding(5, 10), sums, { onLateRecord: (c) => late.push(c.at) }),
      byUser,
    );
    for (const at of [1, 7, 12]) h.processRecord({ user: "a", at }, at);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(h.output(), ["a[0,5)=1", "a[10,15)=12"]);
    assert.deepEqual(late, []);
  });
});

describe("processing-time sliding windows", () => {
  test("records join the windows containing the clock; each fires at its end - 1", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.sliding(10, 5, { timeType: "PROCESSING" }), sums),
      { ...byUser, startTime: 3 },
    );
    h.processRecord({ user: "a", at: 1 });
    h.advanceProcessingTime(7);
    h.processRecord({ user: "a", at: 2 });
    h.advanceProcessingTime(9);
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a[-5,5)=1", timestamp: 4 },
      { value: "a[0,10)=3", timestamp: 9 },
    ]);
    h.advanceProcessingTime(14);
    assert.deepEqual(h.output().at(-1), "a[5,15)=2");
    assertNoWindowState(h.snapshot());
  });
});
