/**
 * The window Top-N / deduplication operator under the harness: each window partition is ranked and
 * emitted once when the watermark passes window_end - 1 (or at the end of a bounded input for
 * processing time), late rows are dropped, and state and timers are gone afterwards. Rows:
 * [item, price, window_start, window_end]; keyed by the window. Expected rows are worked out by hand.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EventTimeExtension } from "@weir/api";
import { OneInputHarness } from "@weir/testing";
import type { RowData } from "../../data/row.ts";
import { LogicalTypes } from "../../types/type-factory.ts";
import { insert, show } from "../testing/changelog.ts";
import { WindowRankFunction, type WindowRankSpec } from "./window-rank-function.ts";

const EVENT_TIME = EventTimeExtension.EVENT_TIME_WATERMARK_DECLARATION;

const PRICE_DESC = [{ index: 1, direction: "DESC", nullsFirst: false, type: LogicalTypes.int() }] as const;

async function harness(spec: Partial<WindowRankSpec>) {
  const fn = new WindowRankFunction({
    orderBy: PRICE_DESC,
    rankType: "ROW_NUMBER",
    rankStart: 1,
    rankEnd: 2,
    outputRankNumber: true,
    windowEndIndex: 3,
    timeKind: "rowtime",
    preferLatest: false,
    ...spec,
  });
  return OneInputHarness.forFunction(EventTimeExtension.wrapProcessFunction(fn), {
    keySelector: (row: RowData) => `${row.fields[2]}-${row.fields[3]}`,
  });
}

describe("WindowRankFunction", () => {
  test("Top-2 per window, emitted when the window closes; late rows dropped; state freed", async () => {
    await using h = await harness({});
    h.processRecord(insert("a", 5, 0, 10), 1);
    h.processRecord(insert("b", 9, 0, 10), 2);
    h.processRecord(insert("c", 7, 0, 10), 3);
    h.processRecord(insert("d", 1, 10, 20), 12);
    h.processWatermark(EVENT_TIME.newWatermark(8));
    assert.deepEqual(show(h.output()), [], "window [0, 10) is open at watermark 8");
    h.processWatermark(EVENT_TIME.newWatermark(9));
    assert.deepEqual(show(h.output()), ["+I[b, 9, 0, 10, 1]", "+I[c, 7, 0, 10, 2]"]);
    h.clearOutput();
    h.processRecord(insert("e", 100, 0, 10), 4); // its window fired: late
    h.processWatermark(EVENT_TIME.newWatermark(Number.POSITIVE_INFINITY));
    assert.deepEqual(show(h.output()), ["+I[d, 1, 10, 20, 1]"]);
    const snapshot = h.snapshot();
    assert.deepEqual(Object.values(snapshot.keyed).flat(), [], "no partition state after every window fired");
    assert.deepEqual(snapshot.eventTimers ?? [], [], "nor timers");
  });

  test("RANK and DENSE_RANK give ties one number; the range may start after 1", async () => {
    const rows = [insert("a", 9, 0, 10), insert("b", 7, 0, 10), insert("c", 9, 0, 10), insert("d", 5, 0, 10)];
    await using rank = await harness({ rankType: "RANK", rankStart: 2, rankEnd: 3 });
    for (const r of rows) rank.processRecord(r, 1);
    rank.processWatermark(EVENT_TIME.newWatermark(9));
    // 9, 9 → 1, 1; 7 → 3; 5 → 4.
    assert.deepEqual(show(rank.output()), ["+I[b, 7, 0, 10, 3]"]);
    await using dense = await harness({
      rankType: "DENSE_RANK",
      rankStart: 1,
      rankEnd: 2,
      outputRankNumber: false,
    });
    for (const r of rows) dense.processRecord(r, 1);
    dense.processWatermark(EVENT_TIME.newWatermark(9));
    // Ties keep arrival order: a before c.
    assert.deepEqual(show(dense.output()), ["+I[a, 9, 0, 10]", "+I[c, 9, 0, 10]", "+I[b, 7, 0, 10]"]);
  });

  test("keep-last-row deduplication prefers the latest of equal times; proctime windows close at end of input", async () => {
    const byTime = [{ index: 1, direction: "DESC", nullsFirst: false, type: LogicalTypes.int() }] as const;
    await using h = await harness({
      orderBy: byTime,
      rankEnd: 1,
      outputRankNumber: false,
      preferLatest: true,
      timeKind: "proctime",
    });
    h.processRecord(insert("first", 3, 0, 10));
    h.processRecord(insert("second", 3, 0, 10));
    h.processRecord(insert("older", 2, 0, 10));
    h.endInput();
    assert.deepEqual(show(h.output()), ["+I[second, 3, 0, 10]"]);
  });
});
