/**
 * Tests of the two-output harness: records split over two outputs, timers and endInput reach both
 * collectors, and applyToAllPartitions hands over both outputs.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateDeclarations, type TwoOutputStreamProcessFunction } from "@weir/api";
import { NO_TIMESTAMP, TwoOutputHarness } from "./index.ts";

interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}

const MAX = StateDeclarations.reducing<number>("max", Math.max);

/** Valid readings go to output 1, rejected ones to output 2; a timer reports each sensor's max. */
const validate: TwoOutputStreamProcessFunction<Reading, Reading, string, string> = {
  usesStates: () => [MAX],
  processRecord(r, valid, rejected, ctx) {
    if (r.celsius < -90 || r.celsius > 60) {
      rejected.collect(`${r.sensor}: ${r.celsius} out of range`);
      return;
    }
    valid.collect(r);
    ctx.stateManager.getState(MAX).add(r.celsius);
    ctx.processingTimeManager.registerTimer(60_000);
  },
  onProcessingTimer(t, valid, rejected, ctx) {
    const sensor = ctx.stateManager.getCurrentKey();
    const max = ctx.stateManager.getState(MAX).get()!;
    valid.collect({ sensor, celsius: max });
    rejected.collect(`${sensor}: report at ${t}`);
  },
  endInput(ctx) {
    ctx.applyToAllPartitions((valid, rejected, pctx) => {
      const sensor = pctx.stateManager.getCurrentKey() as string;
      valid.collect({ sensor, celsius: pctx.stateManager.getState(MAX).get()! });
      rejected.collect(`${sensor}: end`);
    });
  },
};

describe("TwoOutputHarness", () => {
  test("records, timers and endInput feed both outputs separately", async () => {
    await using h = await TwoOutputHarness.forFunction(validate, { keySelector: (r) => r.sensor });
    h.processRecord({ sensor: "s1", celsius: 20 }, 5);
    h.processRecord({ sensor: "s1", celsius: 99 }, 6);
    h.processRecord({ sensor: "s2", celsius: -5 }, 7);
    h.processRecord({ sensor: "s1", celsius: 25 }, 8);
    assert.deepEqual(h.output1WithTimestamps(), [
      { value: { sensor: "s1", celsius: 20 }, timestamp: 5 },
      { value: { sensor: "s2", celsius: -5 }, timestamp: 7 },
      { value: { sensor: "s1", celsius: 25 }, timestamp: 8 },
    ]);
    assert.deepEqual(h.output2WithTimestamps(), [{ value: "s1: 99 out of range", timestamp: 6 }]);
    h.clearOutput();
    assert.deepEqual([h.output1(), h.output2()], [[], []]);

    h.advanceProcessingTime(60_000);
    assert.deepEqual(h.output1(), [
      { sensor: "s1", celsius: 25 },
      { sensor: "s2", celsius: -5 },
    ]);
    assert.deepEqual(h.output2(), ["s1: report at 60000", "s2: report at 60000"]);
    assert.ok(h.output2WithTimestamps().every((r) => r.timestamp === NO_TIMESTAMP));
    h.clearOutput();

    h.endInput();
    assert.deepEqual(h.output2().sort(), ["s1: end", "s2: end"]);
    assert.equal(h.output1().length, 2);
    assert.equal(h.operatorName, "TwoOutputProcess");
  });
});
