/**
 * The global window (window extension) under the operator harness: nothing fires before the end of
 * input; then every key (or the subtask, on non-keyed streams) fires once, with the timestamp of the
 * end of time, and its state is cleared.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AggregateFunction,
  EventTimeExtension,
  TimeWindows,
  WindowFunctions,
  WindowStrategy,
  Windows,
} from "@weir/api";
import { OneInputHarness } from "./index.ts";
import type { Click } from "./window-fixtures.ts";

const SUM_AT: AggregateFunction<Click, number, number> = {
  createAccumulator: () => 0,
  add: (click, sum) => sum + click.at,
  getResult: (sum) => sum,
};

describe("global window", () => {
  test("keyed: fires once per key at end of input, never earlier, with timestamp +Infinity", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(
        WindowStrategy.global(),
        WindowFunctions.aggregate(SUM_AT, {
          process(user: string, window, [sum], out) {
            assert.deepEqual(window, TimeWindows.GLOBAL);
            out.collect(`${user}=${sum}`);
          },
        }),
      ),
      { keySelector: (c: Click) => c.user },
    );
    for (const [user, at] of [
      ["a", 1],
      ["b", 10],
      ["a", 2],
    ] as const)
      h.processRecord({ user, at }, at);
    h.processWatermark(
      EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION.newWatermark(Number.POSITIVE_INFINITY),
    );
    h.advanceBy(1_000_000);
    assert.deepEqual(h.output(), [], "neither event time nor processing time fires the global window");
    h.endInput();
    assert.deepEqual(h.outputWithTimestamps(), [
      { value: "a=3", timestamp: Number.POSITIVE_INFINITY },
      { value: "b=10", timestamp: Number.POSITIVE_INFINITY },
    ]);
    assert.deepEqual(h.snapshot().keyed, { "global-window-contents": [] });
  });

  test("non-keyed: one window for the subtask; the key is undefined", async () => {
    const seen: unknown[] = [];
    await using h = await OneInputHarness.forFunction(
      Windows.window(
        WindowStrategy.global(),
        WindowFunctions.process<Click, string, never>({
          process(key, _window, clicks, out) {
            seen.push(key);
            out.collect(clicks.map((c) => `${c.user}${c.at}`).join(" "));
          },
        }),
      ),
    );
    h.processRecord({ user: "a", at: 1 });
    h.processRecord({ user: "b", at: 2 });
    h.endInput();
    assert.deepEqual(h.output(), ["a1 b2"]);
    assert.deepEqual(seen, [undefined]);
    assert.deepEqual(h.snapshot().operator["global-window-contents"]?.value, undefined);
  });

  test("an empty input fires nothing", async () => {
    await using h = await OneInputHarness.forFunction(
      Windows.window(WindowStrategy.global(), WindowFunctions.aggregate(SUM_AT)),
      { keySelector: (c: Click) => c.user },
    );
    h.endInput();
    assert.deepEqual(h.output(), []);
  });
});
