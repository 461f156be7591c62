/**
 * Window aggregation operators under the operator harness: TUMBLE, HOP and CUMULATE windows fire
 * once when event time passes their end, late rows are dropped, state is freed after firing;
 * SESSION windows merge; processing-time windows fire on the clock and at end of input; the window
 * TVF appends window columns. Expected rows are worked out by hand from Flink's window semantics.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { insert, show } from "../testing/changelog.ts";
import { call, countAggregate, sumAggregate } from "../testing/test-aggregates.ts";
import { AttachedWindowAggregateFunction } from "./attached-window-aggregate-function.ts";
import { SessionWindowAggregateFunction } from "./session-window-aggregate-function.ts";
import { WindowAggregateFunction } from "./window-aggregate-function.ts";
import type { WindowAggregateSpec, WindowingStrategy } from "./window-specs.ts";
import { WindowTableFunction } from "./window-table-function.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

/** Input rows: [key, value, rowtime]. */
function spec(
  strategy: WindowingStrategy,
  timeKind: "rowtime" | "proctime" = "rowtime",
): WindowAggregateSpec {
  return {
    strategy,
    timeIndex: 2,
    timeKind,
    groupKey: [0],
    calls: [call("COUNT(*)", countAggregate, []), call("SUM($1)", sumAggregate, [1])],
    stateTtlMs: 0,
  };
}

async function harness(fn: WindowAggregateFunction | SessionWindowAggregateFunction) {
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => row.fields[0] as string,
  });
}

describe("aligned window aggregation", () => {
  test("TUMBLE: each window fires once when the watermark passes its end - 1; late rows are dropped", async () => {
    await using h = await harness(
      new WindowAggregateFunction(spec({ kind: "TUMBLE", sizeMs: 10, offsetMs: 0 })),
    );
    for (const [k, v, t] of [
      ["a", 1n, 1],
      ["b", 2n, 3],
      ["a", 3n, 9],
      ["a", 4n, 10],
    ] as const)
      h.processRecord(insert(k, v, t), t);
    h.processWatermark(EVENT_TIME.newWatermark(8));
    assert.deepEqual(show(h.output()), [], "window [0, 10) is still open at watermark 8");
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(show(h.output()).sort(), ["+I[a, 2, 4, 0, 10, 9]", "+I[b, 1, 2, 0, 10, 9]"]);
    h.clearOutput();
    h.processRecord(insert("a", 100n, 5), 5); // its only window fired: late
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 4, 10, 20, 19]"]);
    const snapshot = h.snapshot();
    const entries = Object.values(snapshot.keyed).flat();
    assert.deepEqual(entries, [], "no window state is left after every window fired");
    assert.deepEqual(snapshot.eventTimers ?? [], [], "nor timers");
  });

  test("HOP size 10 slide 5: a row counts in both windows that hold it", async () => {
    await using h = await harness(
      new WindowAggregateFunction(spec({ kind: "HOP", sizeMs: 10, slideMs: 5, offsetMs: 0 })),
    );
    h.processRecord(insert("a", 1n, 7), 7);
    h.processRecord(insert("a", 2n, 12), 12);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), [
      "+I[a, 1, 1, 0, 10, 9]",
      "+I[a, 2, 3, 5, 15, 14]",
      "+I[a, 1, 2, 10, 20, 19]",
    ]);
  });

  test("CUMULATE max 10 step 5: windows [0,5) and [0,10) grow from the same start", async () => {
    await using h = await harness(
      new WindowAggregateFunction(spec({ kind: "CUMULATE", maxSizeMs: 10, stepMs: 5, offsetMs: 0 })),
    );
    for (const t of [1, 6, 8]) h.processRecord(insert("a", BigInt(t), t), t);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1, 0, 5, 4]", "+I[a, 3, 15, 0, 10, 9]"]);
  });

  test("a restored operator fires the windows it had open", async () => {
    const options = { keySelector: (row: RowData) => row.fields[0] as string };
    const fn = () =>
      EventTimeExtension.wrapProcessFunction(
        new WindowAggregateFunction(spec({ kind: "TUMBLE", sizeMs: 10, offsetMs: 0 })),
      );
    const h = await OneInputHarness.forFunction(fn(), options);
    h.processRecord(insert("a", 5n, 2), 2);
    const snapshot = h.snapshot();
    await h.close();
    await using restored = await OneInputHarness.restore(fn(), snapshot, options);
    restored.processRecord(insert("a", 6n, 3), 3);
    restored.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(restored.output()), ["+I[a, 2, 11, 0, 10, 9]"]);
  });

  test("HOP refuses a size that is not a multiple of the slide, with Flink's message", () => {
    assert.throws(
      () => new WindowAggregateFunction(spec({ kind: "HOP", sizeMs: 10, slideMs: 3, offsetMs: 0 })),
      /requires size must be an integral multiple of slide/,
    );
  });

  test("processing time: windows close on the clock, and at end of input", async () => {
    await using h = await harness(
      new WindowAggregateFunction(spec({ kind: "TUMBLE", sizeMs: 1_000, offsetMs: 0 }, "proctime")),
    );
    h.advanceProcessingTime(500);
    h.processRecord(insert("a", 1n, null));
    h.advanceProcessingTime(1_000);
    assert.deepEqual(show(h.output()), ["+I[a, 1, 1, 0, 1000, 999]"]);
    h.clearOutput();
    h.processRecord(insert("a", 2n, null));
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[a, 1, 2, 1000, 2000, 1999]"]);
  });
});

describe("session window aggregation", () => {
  test("rows closer than the gap merge into one session, ending gap after its last row", async () => {
    await using h = await harness(new SessionWindowAggregateFunction(spec({ kind: "SESSION", gapMs: 10 })));
    for (const [k, t] of [
      ["a", 0],
      ["a", 7],
      ["b", 3],
      ["a", 30],
    ] as const)
      h.processRecord(insert(k, BigInt(t), t), t);
    h.processWatermark(EVENT_TIME.newWatermark(16));
    assert.deepEqual(show(h.output()).sort(), ["+I[a, 2, 7, 0, 17, 16]", "+I[b, 1, 3, 3, 13, 12]"]);
    h.clearOutput();
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 1, 30, 30, 40, 39]"]);
  });

  test("a row between two sessions joins them into one", async () => {
    await using h = await harness(new SessionWindowAggregateFunction(spec({ kind: "SESSION", gapMs: 10 })));
    for (const t of [0, 18, 9]) h.processRecord(insert("a", BigInt(t), t), t);
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[a, 3, 27, 0, 28, 27]"]);
  });
});

describe("window table function", () => {
  test("HOP appends window_start, window_end and window_time, one row per window", async () => {
    await using h = await OneInputHarness.forFunction(
      new WindowTableFunction({
        strategy: { kind: "HOP", sizeMs: 10, slideMs: 5, offsetMs: 0 },
        timeIndex: 1,
        timeKind: "rowtime",
      }),
    );
    h.processRecord(insert("x", 12));
    assert.deepEqual(show(h.output()), ["+I[x, 12, 10, 20, 19]", "+I[x, 12, 5, 15, 14]"]);
  });

  test("TUMBLE with an offset aligns windows to the offset; negative times stay aligned", async () => {
    await using h = await OneInputHarness.forFunction(
      new WindowTableFunction({
        strategy: { kind: "TUMBLE", sizeMs: 10, offsetMs: 3 },
        timeIndex: 1,
        timeKind: "rowtime",
      }),
    );
    h.processRecord(insert("x", 12));
    h.processRecord(insert("y", -4));
    assert.deepEqual(show(h.output()), ["+I[x, 12, 3, 13, 12]", "+I[y, -4, -7, 3, 2]"]);
  });
});

describe("window aggregation over attached windows", () => {
  /** Rows: [auction, window_start, window_end]. */
  const attached = (timeKind: "rowtime" | "proctime") =>
    new AttachedWindowAggregateFunction({
      groupKey: [0, 1, 2],
      windowEndIndex: 2,
      timeKind,
      calls: [call("COUNT(*)", countAggregate, [])],
      stateTtlMs: 0,
    });

  test("each (group, window) fires once when the watermark passes window_end - 1, then its state is gone", async () => {
    await using h = await OneInputHarness.forFunction(
      EventTimeExtension.wrapProcessFunction(attached("rowtime")),
      {
        keySelector: (row: RowData) => [
          row.fields[0] as string,
          row.fields[1] as number,
          row.fields[2] as number,
        ],
      },
    );
    for (const [a, s, e] of [
      ["x", 0, 10],
      ["x", 0, 10],
      ["y", 0, 10],
      ["x", 5, 15],
    ] as const)
      h.processRecord(insert(a, s, e), e - 1);
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(show(h.output()).sort(), ["+I[x, 0, 10, 2]", "+I[y, 0, 10, 1]"]);
    h.clearOutput();
    h.processRecord(insert("x", 0, 10), 9); // its window closed: late, dropped
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[x, 5, 15, 1]"]);
    assert.deepEqual(Object.values(h.snapshot().keyed).flat(), []);
  });

  test("processing time: a window fires when the clock reaches window_end, or at end of input", async () => {
    await using h = await OneInputHarness.forFunction(
      EventTimeExtension.wrapProcessFunction(attached("proctime")),
      {
        keySelector: (row: RowData) => [
          row.fields[0] as string,
          row.fields[1] as number,
          row.fields[2] as number,
        ],
      },
    );
    h.processRecord(insert("x", 0, 1_000));
    h.processRecord(insert("x", 1_000, 2_000));
    h.advanceProcessingTime(1_000);
    assert.deepEqual(show(h.output()), ["+I[x, 0, 1000, 1]"]);
    h.clearOutput();
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[x, 1000, 2000, 1]"]);
  });
});
