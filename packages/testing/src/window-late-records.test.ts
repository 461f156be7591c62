/**
 * Late records as a second stream (window extension): `Windows.windowWithLateRecords` tags results
 * and late records on the window's single output, and `Windows.splitLateRecords` splits them into
 * two outputs with their timestamps unchanged.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AggregateFunction,
  WindowFunctions,
  type WindowOutput,
  WindowStrategy,
  Windows,
} from "@weir/api";
import { OneInputHarness, TwoOutputHarness } from "./index.ts";
import { type Click, EVENT_TIME } from "./window-fixtures.ts";

const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_record, n) => n + 1,
  getResult: (n) => n,
};

test("windowWithLateRecords tags results (every function shape) and late records; splitLateRecords separates them", async () => {
  const shapes = [
    WindowFunctions.aggregate(COUNT),
    WindowFunctions.aggregate(COUNT, {
      process(user: string, window, [n], out) {
        out.collect(`${user}@${window.start}=${n}`);
      },
    }),
    WindowFunctions.process<Click, string, string>({
      process(user, window, clicks, out) {
        out.collect(`${user}@${window.start}=${clicks.length}`);
        out.collectAndOverwriteTimestamp(`${user}@${window.start} again`, 1_000);
      },
    }),
  ] as const;
  const tagged: WindowOutput<unknown, Click>[][] = [];
  const timestamps: number[][] = [];
  for (const shape of shapes) {
    await using h = await OneInputHarness.forFunction(
      Windows.windowWithLateRecords<Click, unknown, string>(
        WindowStrategy.tumbling(10, { allowedLatenessMs: 5 }),
        shape,
      ),
      { keySelector: (c: Click) => c.user },
    );
    h.processRecord({ user: "a", at: 3 }, 3);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    h.processRecord({ user: "a", at: 4 }, 4); // within lateness: re-fires
    h.processWatermark(EVENT_TIME.newWatermark(14));
    h.processRecord({ user: "a", at: 5 }, 5); // late
    tagged.push(h.output());
    timestamps.push(h.outputWithTimestamps().map((r) => r.timestamp));
  }
  const late = { kind: "late", record: { user: "a", at: 5 } };
  assert.deepEqual(tagged[0], [{ kind: "result", value: 1 }, { kind: "result", value: 2 }, late]);
  assert.deepEqual(tagged[1], [{ kind: "result", value: "a@0=1" }, { kind: "result", value: "a@0=2" }, late]);
  assert.deepEqual(tagged[2], [
    { kind: "result", value: "a@0=1" },
    { kind: "result", value: "a@0 again" },
    { kind: "result", value: "a@0=2" },
    { kind: "result", value: "a@0 again" },
    late,
  ]);
  assert.deepEqual(timestamps, [
    [9, 9, 5],
    [9, 9, 5],
    [9, 1_000, 9, 1_000, 5],
  ]);

  await using split = await TwoOutputHarness.forFunction(Windows.splitLateRecords<unknown, Click>());
  for (const item of tagged[1]!) split.processRecord(item, item.kind === "late" ? 5 : 9);
  assert.deepEqual(split.output1WithTimestamps(), [
    { value: "a@0=1", timestamp: 9 },
    { value: "a@0=2", timestamp: 9 },
  ]);
  assert.deepEqual(split.output2WithTimestamps(), [{ value: { user: "a", at: 5 }, timestamp: 5 }]);
});
