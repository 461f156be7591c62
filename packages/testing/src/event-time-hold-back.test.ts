/**
 * The event-time hold-back hook (`outputEventTime`) under the operator harness: the runtime forwards
 * the event time the function returns, never more than the input event time, only when it moves
 * forward, and `+Infinity` at the end; timers still fire at the input event time. Without the hook
 * the input event time is forwarded as before.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  EventTimeExtension,
  type EventTimeManager,
  type OneInputEventTimeStreamProcessFunction,
  type Watermark,
} from "@weir/api";
import { OneInputHarness } from "./index.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

const eventTimes = (watermarks: Watermark[]) =>
  watermarks.filter((w) => w.identifier === EVENT_TIME.identifier).map((w) => w.value);

/** Emits each record at its own time once event time reaches it; holds output back by `delay`. */
function delaying(
  delay: number | null,
  hold: (t: number) => number = (t) => t - (delay ?? 0),
): OneInputEventTimeStreamProcessFunction<number, string, string> {
  let manager: EventTimeManager | undefined;
  const fn: OneInputEventTimeStreamProcessFunction<number, string, string> = {
    initEventTimeProcessFunction: (m) => {
      manager = m;
    },
    processRecord: (n) => manager?.registerTimer(n),
    onEventTimer: (timestamp, output) => output.collect(`fired ${timestamp}`),
  };
  if (delay !== null) fn.outputEventTime = hold;
  return fn;
}

async function harness(fn: OneInputEventTimeStreamProcessFunction<number, string, string>) {
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: () => "k",
  });
}

describe("outputEventTime: held-back event time", () => {
  test("forwards input event time minus the delay; timers fire at the input event time", async () => {
    await using h = await harness(delaying(5));
    h.processRecord(98);
    h.processRecord(101);
    h.processWatermark(EVENT_TIME.newWatermark(100));
    assert.deepEqual(h.output(), ["fired 98"], "the timer at 98 fires with input event time 100");
    assert.deepEqual(eventTimes(h.outputWatermarks()), [95]);
    h.processWatermark(EVENT_TIME.newWatermark(102));
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(eventTimes(h.outputWatermarks()), [95, 97, Number.POSITIVE_INFINITY]);
    assert.deepEqual(h.output(), ["fired 98", "fired 101"]);
  });

  test("a result above the input is clamped to it; a result that does not advance is not forwarded", async () => {
    const steps = new Map([
      [10, 50], // above the input: clamped to 10
      [20, 5], // behind what was forwarded: nothing goes out
      [30, 25],
    ]);
    await using h = await harness(delaying(0, (t) => steps.get(t) ?? t));
    for (const t of [10, 20, 30]) h.processWatermark(EVENT_TIME.newWatermark(t));
    assert.deepEqual(eventTimes(h.outputWatermarks()), [10, 25]);
  });

  test("without the hook the input event time goes downstream unchanged", async () => {
    await using h = await harness(delaying(null));
    h.processWatermark(EVENT_TIME.newWatermark(100));
    assert.deepEqual(eventTimes(h.outputWatermarks()), [100]);
  });

  test("a hook that returns no number is reported with the operator's name", async () => {
    await using h = await harness(delaying(0, () => Number.NaN));
    assert.throws(() => h.processWatermark(EVENT_TIME.newWatermark(1)), /outputEventTime returned NaN/);
  });
});
